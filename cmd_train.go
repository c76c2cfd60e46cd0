package main

import (
	"fmt"
	"io"
	"os"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/train"
	"github.com/hvrdoctor/hvrdoctor/tui"
)

func init() {
	register(command{name: "train", summary: "training: break-fix scenarios on local labs (catalogue, start, verify, hint)", run: runTrain})
}

// runTrain wires `hvrdoctor train`: the logic is in package train (and the
// catalogue screen in tui).
func runTrain(args []string, stdout, stderr io.Writer) int {
	t, errs, err := train.NewTrainer()
	if err != nil {
		fmt.Fprintf(stderr, "hvrdoctor train: %v\n", err)
		return exitFail
	}
	for _, e := range errs {
		fmt.Fprintf(stderr, "hvrdoctor train: scenario skipped: %v\n", e)
	}
	if len(args) == 0 {
		notes := make([]string, len(errs))
		for i, e := range errs {
			notes[i] = e.Error()
		}
		ascii, mode := tui.DetectDisplayHere(os.Getenv)
		openFiles := func() (tui.FileSource, string, func()) {
			src, note, err := openUIFiles(recordFilesAuto, false)
			if err != nil {
				return nil, err.Error(), func() {}
			}
			if src == nil {
				return nil, note, func() {}
			}
			return uiFileSource(src), note, func() { src.Close() }
		}
		if _, err := tea.NewProgram(tui.NewTrain(tui.TrainOptions{Trainer: t, Notes: notes, ASCII: ascii, Mode: mode, OpenFiles: openFiles})).Run(); err != nil {
			fmt.Fprintf(stderr, "hvrdoctor train: terminal UI: %v\n", err)
			return exitFail
		}
		return exitOK
	}
	return t.Main(args, stdout, stderr)
}
