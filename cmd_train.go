package main

import (
	"fmt"
	"io"

	"github.com/hvrdoctor/hvrdoctor/train"
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
	return t.Main(args, stdout, stderr)
}
