//go:build windows

package fileio

import "fmt"

// Open starts the ETW backend, the only one on Windows.
func Open(opts Options) (Source, error) {
	if opts.Backend != BackendAuto && opts.Backend != BackendETW {
		return nil, fmt.Errorf("per-file backend %q is not available on Windows: use %q or leave it empty", opts.Backend, BackendETW)
	}
	s, err := openETW(opts.clock())
	if err != nil {
		return nil, err
	}
	s.info.Reason = "ETW session hvrdoctor-<pid> (shared) on Microsoft-Windows-Kernel-File"
	return s, nil
}
