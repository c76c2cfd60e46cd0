package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/tui"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// analyzeSource names the recording in the header: the directory or file
// the user gave, or the folder of the files.
func analyzeSource(inputs, paths []string) string {
	if len(inputs) == 1 {
		return inputs[0]
	}
	return filepath.Dir(paths[0]) + string(filepath.Separator) + fmt.Sprintf("(%d files)", len(paths))
}

// analyzeScreens opens the terminal UI on the recording: the sampler's
// screens over a time cursor, the Churn tab with the analysis of the whole
// recording, the report; no wizard.
func analyzeScreens(env *Env, inputs, paths []string, f analyzeFlags, opt analysis.Options, cl *sampler.Classifier) error {
	source := analyzeSource(inputs, paths)
	rec, err := tui.OpenRecording(source, paths, f.cols, opt, cl)
	if err != nil {
		var fe *analysis.FileError
		if errors.As(err, &fe) {
			return &FlagError{Err: err}
		}
		return fmt.Errorf("%v; check the files, or print what can be read with --format text", err)
	}
	ascii, mode := tui.DetectDisplayHere(env.Getenv)
	if f.ascii {
		ascii, mode = true, views.ASCII
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := tui.New(tui.Options{Replay: rec, Host: rec.Host(), ASCII: ascii, Mode: mode, Context: ctx,
		Tool: env.tool(), Analysis: opt})
	defer m.Close()
	_, err = tea.NewProgram(m, tea.WithContext(ctx)).Run()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return fmt.Errorf("terminal UI: %v", err)
	}
	for _, s := range rec.Skipped() {
		env.notef("%s", s.String())
	}
	return nil
}
