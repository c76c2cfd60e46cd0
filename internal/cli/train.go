package cli

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/train"
	"github.com/hvrdoctor/hvrdoctor/tui"
)

// runTrain wires `hvrdoctor train`: the catalogue screen without
// arguments; the subcommands (list, start, verify...) are train.Main's,
// which prints its own one-line errors, so its exit code is passed on
// through ExitError without a second message.
func runTrain(env *Env, args []string) error {
	t, errs, err := train.NewTrainer()
	if err != nil {
		return err
	}
	for _, e := range errs {
		env.notef("scenario skipped: %v", e)
	}
	if len(args) > 0 {
		if code := t.Main(args, env.Stdout, env.Stderr); code != exitOK {
			return &ExitError{Code: code}
		}
		return nil
	}
	notes := make([]string, len(errs))
	for i, e := range errs {
		notes[i] = e.Error()
	}
	ascii, mode := tui.DetectDisplayHere(env.Getenv)
	openFiles := func() (tui.FileSource, string, func()) {
		src, note, err := openUIFiles(env, filesFlags{mode: filesAuto})
		if err != nil {
			return nil, err.Error(), func() {}
		}
		if src == nil {
			return nil, note, func() {}
		}
		return uiFileSource(src), note, func() { src.Close() }
	}
	if _, err := tea.NewProgram(tui.NewTrain(tui.TrainOptions{Trainer: t, Notes: notes, ASCII: ascii, Mode: mode, OpenFiles: openFiles})).Run(); err != nil {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}
