package testutil

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// HelperEnv names the helper that a re-executed test binary runs instead
// of its tests (see Main and HelperCommand).
const HelperEnv = "HVRDOCTOR_TEST_HELPER"

// noTests is the first argument of every helper command: should a package
// not route its TestMain through Main, the child runs no tests instead of
// all of them (and never re-executes itself in a loop).
const noTests = "-test.run=^$"

// HelperFunc is a helper's main: it gets the arguments given to
// HelperCommand and returns the exit status.
type HelperFunc func(args []string) int

// builtin are the helpers every package using Main has.
var builtin = map[string]HelperFunc{
	WriterHelper: writerMain,
	ChurnHelper:  churnMain,
	RateHelper:   rateMain,
}

// Main is a package's TestMain: when HelperEnv names a helper (one of the
// built-in ones or of helpers) it runs that helper and exits with its
// status; otherwise it runs the tests and then removes the binary Binary
// built, if any.
func Main(m *testing.M, helpers map[string]HelperFunc) {
	name := os.Getenv(HelperEnv)
	if name == "" {
		code := m.Run()
		removeBinary()
		os.Exit(code)
	}
	h, ok := helpers[name]
	if !ok {
		h, ok = builtin[name]
	}
	if !ok {
		fmt.Fprintf(os.Stderr, "test helper %q unknown (%s)\n", name, HelperEnv)
		os.Exit(2)
	}
	args := os.Args[1:]
	if len(args) > 0 && args[0] == noTests {
		args = args[1:]
	}
	os.Exit(h(args))
}

// HelperCommand returns a command that runs exe (the running test binary
// when exe is "") as the helper name with args. The package of that binary
// must call Main from its TestMain.
func HelperCommand(exe, name string, args ...string) *exec.Cmd {
	if exe == "" {
		exe = self()
	}
	cmd := exec.Command(exe, append([]string{noTests}, args...)...)
	cmd.Env = append(os.Environ(), HelperEnv+"="+name)
	return cmd
}

// self is the path of the running binary.
func self() string {
	if exe, err := os.Executable(); err == nil {
		return exe
	}
	return os.Args[0]
}
