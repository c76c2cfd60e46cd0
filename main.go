// Command hvrdoctor troubleshoots Hyper-V Replica: a live sampler of
// per-process and per-file disk writes beside a guided wizard that checks the
// path to the replica server. Without a subcommand it opens the terminal UI;
// subcommands run headless (check, record, analyze, explain).
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/internal/winconsole"
)

// command is one subcommand. Each lives in its own cmd_*.go file and
// registers itself from init, so the dispatcher never changes when one is
// added.
type command struct {
	name    string
	summary string
	// run parses args (without the subcommand name) and returns the exit
	// code. Usage errors return exitUsage after printing one line.
	run func(args []string, stdout, stderr io.Writer) int
}

// Exit codes shared by every subcommand.
const (
	exitOK    = 0
	exitFail  = 1 // a check failed, or a runtime error
	exitUsage = 2 // bad usage or input the user must correct
)

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

func main() {
	// On Windows: UTF-8 and VT mode while running, the console as it was
	// afterwards, and a pause when double-clicked (see winconsole).
	console := winconsole.Setup()
	code := dispatch(os.Args[1:], os.Stdout, os.Stderr)
	console.Restore()
	console.PauseIfOwnConsole(os.Stdin, os.Stdout, code)
	os.Exit(code)
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "--version", "-version", "version":
			fmt.Fprintf(stdout, "hvrdoctor %s\n", buildVersion())
			return exitOK
		case "help", "-h", "--help":
			if len(args) > 1 {
				if c, ok := commands[args[1]]; ok {
					return c.run([]string{"-h"}, stdout, stderr)
				}
			}
			usage(stdout)
			return exitOK
		}
		if c, ok := commands[args[0]]; ok {
			return c.run(args[1:], stdout, stderr)
		}
		if !strings.HasPrefix(args[0], "-") {
			fmt.Fprintf(stderr, "hvrdoctor: unknown command %s; run 'hvrdoctor help' for the list\n", flagErrorLine(fmt.Errorf("%q", args[0])))
			return exitUsage
		}
	}
	// No subcommand (or only flags): the interactive UI.
	if c, ok := commands["ui"]; ok {
		return c.run(args, stdout, stderr)
	}
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "hvrdoctor: find why Hyper-V Replica cannot connect, and what makes its log grow.")
	fmt.Fprintln(w, "\nUsage:\n  hvrdoctor [flags]            open the terminal UI (sampler and wizard)")
	names := make([]string, 0, len(commands))
	for n := range commands {
		if n != "ui" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  hvrdoctor %-18s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "  hvrdoctor --version          print the version\n\nRun 'hvrdoctor COMMAND -h' for a command's flags.")
}
