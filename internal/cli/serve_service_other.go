//go:build !windows

package cli

// serveAsService is false off Windows: systemd runs serve as a plain
// process (deploy/systemd/hvrdoctor.service) and stops it with SIGTERM.
func serveAsService(*Env, serveOptions) (error, bool) { return nil, false }
