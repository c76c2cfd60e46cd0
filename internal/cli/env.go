package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
	"github.com/hvrdoctor/hvrdoctor/train"
)

// Env is everything a command reaches beyond its arguments: the standard
// streams, the terminal, the environment, the clock and the per-file
// backend. Main gets OSEnv; a test builds its own Env (or changes a field
// of one), so no test changes a package variable and tests do not depend
// on their order.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Terminal is stdin when it is a terminal, nil otherwise: the no-echo
	// password prompts read from it.
	Terminal *os.File
	// IsTerminal reports whether w (Stdout or Stderr) is a terminal: the
	// screens open, and check shows its progress, only then.
	IsTerminal func(w io.Writer) bool
	Getenv     func(string) string
	Now        func() time.Time
	// Version is the version commands print and put in reports.
	Version string
	// OpenFileSource opens the per-file backend (record, serve, and the
	// UI's --files on).
	OpenFileSource func(all bool) (fileio.Source, error)
	// OpenFileSourceAsync opens it in the background for the UI's
	// --files auto; nil opens it with OpenFileSource before the screen
	// starts.
	OpenFileSourceAsync func(all bool) fileio.Source
	// OpenTrainer loads the training catalogue and its per-user files
	// (train.NewTrainer); errs are the scenario files that did not load.
	OpenTrainer func() (t *train.Trainer, errs []error, err error)

	// cmd is the subcommand as typed ("" for the UI without one; "train
	// start" for a command with subcommands, see subcommand): the prefix
	// of every line the command prints on Stderr (see line).
	cmd string
}

// OSEnv is the Env of the running process. injectedVersion is main's
// version, set at release time (-ldflags "-X main.version=v1.2.3").
func OSEnv(injectedVersion string) *Env {
	var tty *os.File
	if term.IsTerminal(int(os.Stdin.Fd())) {
		tty = os.Stdin
	}
	return &Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Terminal: tty,
		IsTerminal: isTerminal, Getenv: os.Getenv, Now: time.Now,
		Version:             buildVersion(injectedVersion),
		OpenFileSource:      openCleanFileSource,
		OpenFileSourceAsync: openCleanFileSourceAsync,
		OpenTrainer:         train.NewTrainer,
	}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// tool names this program and its version in reports and screens.
func (e *Env) tool() string { return "hvrdoctor " + e.Version }

// subcommand adds a subcommand's name to the command's (Main's copy of
// the Env is per run), so that its notes and the error exitCode prints
// say "hvrdoctor train start: ...".
func (e *Env) subcommand(name string) { e.cmd += " " + name }

// notef prints a line of a command's progress or notes on Stderr, with the
// command's prefix (see line).
func (e *Env) notef(format string, a ...any) { e.line(fmt.Sprintf(format, a...)) }

// line prints msg on Stderr after "hvrdoctor CMD: " (or "hvrdoctor: " for
// the UI run without a subcommand): the one place the prefix is written.
func (e *Env) line(msg string) {
	prefix := "hvrdoctor: "
	if e.cmd != "" {
		prefix = "hvrdoctor " + e.cmd + ": "
	}
	fmt.Fprintln(e.Stderr, prefix+msg)
}

// namedLine prints msg, which starts with the command's own name (a
// namedError), after "hvrdoctor ".
func (e *Env) namedLine(msg string) { fmt.Fprintln(e.Stderr, "hvrdoctor "+msg) }
