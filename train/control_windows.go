package train

import (
	"errors"
	"os/exec"
	"time"
)

var errNoLabsHere = errors.New("labs run on Linux only (squid, mitmproxy, MIT Kerberos); on Windows training runs simulated")

func startSupervisor(*exec.Cmd, string) (<-chan struct{}, error) { return nil, errNoLabsHere }
func procAlive(int, string) bool                                 { return false }
func signalProc(int, string) error                               { return errNoLabsHere }
func waitGone(int, string, time.Duration) bool                   { return true }
func labsSupported() error                                       { return errNoLabsHere }

// RunSupervisor is not available on Windows (no labs run there).
func RunSupervisor(Dirs, string) int { return 1 }
