package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
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
func analyzeScreens(inputs, paths []string, f analyzeFlags, opt analysis.Options, cl *sampler.Classifier, stderr io.Writer) int {
	source := analyzeSource(inputs, paths)
	rec, err := tui.OpenRecording(source, paths, f.cols, opt, cl)
	if err != nil {
		var fe *analysis.FileError
		if errors.As(err, &fe) {
			fmt.Fprintf(stderr, "hvrdoctor analyze: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(stderr, "hvrdoctor analyze: %v; check the files, or print what can be read with --format text\n", err)
		return exitFail
	}
	ascii, mode := tui.DetectDisplayHere(os.Getenv)
	if f.ascii {
		ascii, mode = true, views.ASCII
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := tui.New(tui.Options{Replay: rec, Host: rec.Host(), ASCII: ascii, Mode: mode, Context: ctx,
		Tool: "hvrdoctor " + buildVersion(), Analysis: opt})
	defer m.Close()
	_, err = tea.NewProgram(m, tea.WithContext(ctx)).Run()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintf(stderr, "hvrdoctor analyze: terminal UI: %v\n", err)
		return exitFail
	}
	for _, s := range rec.Skipped() {
		fmt.Fprintf(stderr, "hvrdoctor analyze: %s\n", s.String())
	}
	return exitOK
}
