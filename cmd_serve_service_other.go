//go:build !windows

package main

import "io"

// serveAsService is false off Windows: systemd runs serve as a plain
// process (deploy/systemd/hvrdoctor.service) and stops it with SIGTERM.
func serveAsService(serveOptions, io.Writer) (int, bool) { return 0, false }
