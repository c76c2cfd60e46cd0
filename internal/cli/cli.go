// Package cli is hvrdoctor's command line: the subcommands, their flags,
// and the one mapping of their errors to exit codes. main.go at the
// module root only calls Main.
//
// A command is a function run<Name>(env *Env, args []string) error in its
// own file, listed in commands below. It parses its flags (shared groups
// in flags.go), prints its output on env.Stdout, and returns an error:
// a *FlagError for bad usage (exit 2), an *ExitError for a verdict it has
// printed (check, status), any other error for a failure (exit 1).
// exitCode prints the error once, as "hvrdoctor CMD: message".
package cli

import (
	"fmt"
	"io"
	"strings"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	// run parses args (without the subcommand name) and runs the command.
	run func(env *Env, args []string) error
}

// commands are the subcommands, in the order help lists them (ui is the
// default and not listed). To add a command, write its run function in
// its own file and add its line here.
var commands = []command{
	{"analyze", "analyse recordings: minute pivot, spikes and culprits, replication impact", runAnalyze},
	{"check", "check the path to a replica server (DNS, TCP, listener, proxy, auth)", runCheck},
	{"explain", "explain an error code, pasted error text or VMMS event ID (0x80090303, 12019, 32086)", runExplain},
	{"record", "record write rates to HVRStats-N.csv, ProcStats-N.csv and FileStats-N.csv", runRecord},
	{"serve", "Prometheus exporter: churn counters on /metrics, the wizard's probes on /probe", runServe},
	{"status", "Hyper-V Replica's own view: each VM's state, health and why, its events, fixes (from saved PowerShell output)", runStatus},
	{"ui", "open the terminal UI (the default when no command is given)", runUI},
}

// lookup finds a subcommand by name.
func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// Main runs the command line args (without the program name) in env and
// returns the exit status.
func Main(args []string, env *Env) int {
	e := *env // the prefix is per run
	e.cmd = ""
	if len(args) > 0 {
		switch args[0] {
		case "--version", "-version", "version":
			fmt.Fprintf(e.Stdout, "%s\n", e.tool())
			return exitOK
		case "help", "-h", "--help":
			if len(args) > 1 {
				if c, ok := lookup(args[1]); ok {
					e.cmd = c.name
					return exitCode(&e, c.run(&e, []string{"-h"}))
				}
			}
			usage(e.Stdout)
			return exitOK
		}
		if c, ok := lookup(args[0]); ok {
			e.cmd = c.name
			return exitCode(&e, c.run(&e, args[1:]))
		}
		if !strings.HasPrefix(args[0], "-") {
			return exitCode(&e, flagErrorf("unknown command %s; run 'hvrdoctor help' for the list", flagErrorLine(fmt.Errorf("%q", args[0]))))
		}
	}
	// No subcommand (or only flags): the interactive UI, its messages
	// prefixed "hvrdoctor:".
	return exitCode(&e, runUI(&e, args))
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "hvrdoctor: find why Hyper-V Replica cannot connect, and what makes its log grow.")
	fmt.Fprintln(w, "\nUsage:\n  hvrdoctor [flags]            open the terminal UI (sampler and wizard)")
	for _, c := range commands {
		if c.name != "ui" {
			fmt.Fprintf(w, "  hvrdoctor %-18s %s\n", c.name, c.summary)
		}
	}
	fmt.Fprintln(w, "  hvrdoctor --version          print the version\n\nRun 'hvrdoctor COMMAND -h' for a command's flags.")
}
