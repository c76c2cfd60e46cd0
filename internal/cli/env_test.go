package cli

import (
	"io"
	"strings"
)

// testEnv is an Env for one test: its own streams, an empty stdin that is
// not a terminal, and the real clock, environment and per-file backends.
// A test changes what it needs on its own Env.
func testEnv(stdout, stderr io.Writer) *Env {
	env := OSEnv("")
	env.Stdin, env.Stdout, env.Stderr, env.Terminal = strings.NewReader(""), stdout, stderr, nil
	return env
}

// dispatch runs the command line args as Main does, in a testEnv.
func dispatch(args []string, stdout, stderr io.Writer) int {
	return Main(args, testEnv(stdout, stderr))
}

// runCmd runs the subcommand name with args, as dispatch.
func runCmd(name string, args []string, stdout, stderr io.Writer) int {
	return dispatch(append([]string{name}, args...), stdout, stderr)
}

// parseUI parses the UI's flags as hvrdoctor without a subcommand does:
// the options, the exit status the error maps to (its line on stderr),
// and whether the UI would start.
func parseUI(args []string, stdout, stderr io.Writer) (uiOptions, int, bool) {
	env := testEnv(stdout, stderr)
	o, err := parseUIFlags(env, args)
	return o, exitCode(env, err), err == nil
}
