package cli

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"io"
	"os"
	"strings"
	"testing"
)

// exitCode is the one mapping: a FlagError is 2, an ExitError its code
// (printing its Err only), any other error 1; each printed once, on one
// line, after the command's prefix.
func TestExitCodeMapping(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		err  error
		code int
		want string
	}{
		{"record", nil, exitOK, ""},
		{"record", errHelp, exitOK, ""},
		{"check", errFailed, exitFail, ""},
		{"status", &ExitError{Code: exitFail}, exitFail, ""},
		{"analyze", errUsageShown, exitUsage, ""},
		{"record", flagErrorf("--out is empty"), exitUsage, "hvrdoctor record: --out is empty\n"},
		{"serve", fmt.Errorf("wrapped: %w", flagErrorf("--listen x")), exitUsage, "hvrdoctor serve: wrapped: --listen x\n"},
		{"check", errors.New("interrupted"), exitFail, "hvrdoctor check: interrupted\n"},
		{"check", &ExitError{Code: 3, Err: errors.New("three")}, 3, "hvrdoctor check: three\n"},
		{"", flagErrorf("--interval 1ms is out of range"), exitUsage, "hvrdoctor: --interval 1ms is out of range\n"},
		{"ui", flagErrorf("--interval 1ms is out of range"), exitUsage, "hvrdoctor ui: --interval 1ms is out of range\n"},
		// An error that names the command already (probes.Explain's).
		{"explain", &FlagError{Err: &namedError{Err: errors.New(`explain "x": unknown`)}}, exitUsage, "hvrdoctor explain \"x\": unknown\n"},
		{"record", flagErrorf("record something"), exitUsage, "hvrdoctor record: record something\n"},
		// A message over several lines is printed as one.
		{"status", errors.New("read a.json:\n  line 3:\tbad"), exitFail, "hvrdoctor status: read a.json: line 3: bad\n"},
	} {
		var errb bytes.Buffer
		env := testEnv(io.Discard, &errb)
		env.cmd = c.cmd
		if code := exitCode(env, c.err); code != c.code || errb.String() != c.want {
			t.Errorf("%s %v: exit %d, stderr %q; want %d, %q", c.cmd, c.err, code, errb.String(), c.code, c.want)
		}
	}
}

// The UI's errors carry one prefix each way it is run: "hvrdoctor:"
// without a subcommand, "hvrdoctor ui:" as `hvrdoctor ui` (cmd_ui.go used
// both, whichever way it ran).
func TestUIErrorPrefix(t *testing.T) {
	rules := testutil.TempDir(t) + "/rules.txt"
	if err := os.WriteFile(rules, []byte("bad-line-without-pattern\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"extra"}, {"--interval", "1ms"}, {"--files", "maybe"}, {"--spike-factor", "0.5"},
		{"--report-dir", "/nonexistent/reports"}, {"--port", "0"}, {"--rules", rules},
		{"--from", "/nonexistent/status"}, {"--nosuchflag"},
	} {
		for _, sub := range []string{"", "ui"} {
			line := "hvrdoctor"
			full := args
			if sub != "" {
				line += " " + sub
				full = append([]string{sub}, args...)
			}
			var out, errb bytes.Buffer
			code := dispatch(full, &out, &errb)
			msg := errb.String()
			if code != exitUsage || strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, line+": ") || strings.HasPrefix(strings.TrimPrefix(msg, line+": "), "hvrdoctor") {
				t.Errorf("%q: exit %d, stderr %q; want exit 2 and one line after %q", full, code, msg, line+": ")
			}
		}
	}
}

// Two runs with their own Env do not see each other's seams: the per-file
// backend of one is not the other's.
func TestEnvIsPerRun(t *testing.T) {
	var errA, errB bytes.Buffer
	a := testEnv(io.Discard, &errA)
	a.OpenFileSource = nil // would panic if record used it with --files off
	b := withoutFileBackend(io.Discard, &errB)
	outA, outB := testutil.TempDir(t), testutil.TempDir(t)
	done := make(chan int, 1)
	go func() {
		done <- Main([]string{"record", "--out", outA, "--interval", "250ms", "--duration", "250ms", "--files", "off"}, a)
	}()
	if code := Main([]string{"record", "--out", outB, "--interval", "250ms", "--duration", "250ms", "--files", "on"}, b); code != exitFail ||
		!strings.Contains(errB.String(), "not available on plan9") {
		t.Errorf("--files on without a backend: exit %d, %q", code, errB.String())
	}
	if code := <-done; code != exitOK {
		t.Errorf("--files off: exit %d, %q", code, errA.String())
	}
}

// The shared flags have one validation: ui, record and serve refuse the
// same --interval and --files with the same line.
func TestSharedFlagsOneValidation(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--interval", "1ms"}, "--interval 1ms is out of range; use 250ms to 60s\n"},
		{[]string{"--files", "maybe"}, "--files \"maybe\" is not auto, on or off\n"},
		{[]string{"--rules", "/nonexistent/rules.txt"}, "--rules: "},
	} {
		for _, cmd := range []string{"ui", "record", "serve"} {
			var out, errb bytes.Buffer
			code := dispatch(append([]string{cmd}, c.args...), &out, &errb)
			prefix := "hvrdoctor " + cmd + ": " + c.want
			if code != exitUsage || strings.Count(errb.String(), "\n") != 1 || !strings.HasPrefix(errb.String(), prefix) {
				t.Errorf("%s %q: exit %d, stderr %q; want exit 2 and %q", cmd, c.args, code, errb.String(), prefix)
			}
		}
	}
}
