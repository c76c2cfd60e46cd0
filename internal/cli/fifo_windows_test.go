//go:build windows

package cli

import "errors"

// mkfifo: Windows has no FIFOs in the file system; the tests skip them.
func mkfifo(string) error { return errors.New("no FIFOs on Windows") }
