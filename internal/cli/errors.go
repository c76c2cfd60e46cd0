package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
)

// Exit codes shared by every subcommand.
const (
	exitOK    = 0
	exitFail  = 1 // a check failed, or a runtime error
	exitUsage = 2 // bad usage or input the user must correct
)

// FlagError is bad usage or input the user must correct (a flag, an
// argument, a file or value named on the command line): exit status 2,
// as gh's cmdutil.FlagError. Any other error is a runtime failure: exit
// status 1.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// flagErrorf is a FlagError with a formatted message.
func flagErrorf(format string, a ...any) error {
	return &FlagError{Err: fmt.Errorf(format, a...)}
}

// parseError is a flag package error as one line with the hint to run -h.
func parseError(cmd string, err error) error {
	return flagErrorf("%s; run 'hvrdoctor %s -h' for the flags", flagErrorLine(err), cmd)
}

// namedError is an error whose message starts with the command's own
// name, as probes.Explain's ("explain \"0xDEADBEEF\" (...): ..."): it is
// printed after "hvrdoctor " alone.
type namedError struct{ Err error }

func (e *namedError) Error() string { return e.Err.Error() }
func (e *namedError) Unwrap() error { return e.Err }

// ExitError ends a command with exit status Code after it reported what
// it found itself: check's verdict, status's VM health, a recording that
// went on after a failure. Err, when not nil, is printed as the error line.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}
func (e *ExitError) Unwrap() error { return e.Err }

// Errors that end a command with nothing more to print.
var (
	// errHelp: -h printed the usage on stdout (exit 0).
	errHelp error = &ExitError{Code: exitOK}
	// errFailed: the output says what failed (exit 1).
	errFailed error = &ExitError{Code: exitFail}
	// errUsageShown: the lines on stderr say what to correct (exit 2).
	errUsageShown error = &ExitError{Code: exitUsage}
)

// exitCode is the one mapping of a command's error to the exit status; it
// prints the error, when there is one to print, as one line with the
// command's prefix.
func exitCode(env *Env, err error) int {
	code, msg := exitCodeOf(err), printable(err)
	var named *namedError
	switch {
	case msg == nil:
	case errors.As(msg, &named):
		env.namedLine(oneLine(msg.Error()))
	default:
		env.line(oneLine(msg.Error()))
	}
	return code
}

// exitCodeOf is err's exit status: 0 for none (or help), an ExitError's
// code, 2 for a FlagError, 1 for any other error.
func exitCodeOf(err error) int {
	var ee *ExitError
	var fe *FlagError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ee):
		return ee.Code
	case errors.As(err, &fe):
		return exitUsage
	}
	return exitFail
}

// printable is the error to print for err: nil when there is none (an
// ExitError without Err, help).
func printable(err error) error {
	var ee *ExitError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return nil
	case errors.As(err, &ee):
		return ee.Err
	}
	return err
}

// oneLine joins a message that spans lines (a wrapped parser error, a
// pasted value) into one.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
