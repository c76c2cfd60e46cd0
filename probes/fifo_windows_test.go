//go:build windows

package probes

import "errors"

// mkfifo: Windows has no FIFOs in the file system; the tests skip them.
func mkfifo(string) error { return errors.New("no FIFOs on Windows") }
