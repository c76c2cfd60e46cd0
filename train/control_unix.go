//go:build !windows

package train

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// startSupervisor runs cmd (the `train _lab ID` re-exec) in a session of
// its own, so it outlives the command that started it and no terminal
// signal reaches it; its output goes to logPath.
func startSupervisor(cmd *exec.Cmd, logPath string) (<-chan struct{}, error) {
	lf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr, cmd.Stdin = lf, lf, nil
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		lf.Close()
		return nil, err
	}
	lf.Close()
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		close(done)
	}()
	return done, nil
}

// procAlive reports whether pid runs and, on Linux, that its command line
// names name (so a PID reused by another program is left alone).
func procAlive(pid int, name string) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		return !isLinux() // no /proc: trust kill(0)
	}
	if len(b) == 0 {
		return false // a zombie
	}
	if st, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil {
		if f := strings.Fields(string(st)); len(f) > 2 && f[2] == "Z" {
			return false
		}
	}
	return name == "" || strings.Contains(string(b), name)
}

func signalProc(pid int, sig string) error {
	s := map[string]syscall.Signal{"term": syscall.SIGTERM, "kill": syscall.SIGKILL, "hup": syscall.SIGHUP, "reset": syscall.SIGUSR1}[sig]
	if err := syscall.Kill(pid, s); err != nil {
		return fmt.Errorf("signal pid %d: %w", pid, err)
	}
	return nil
}

// waitGone waits until pid is gone (or d passes).
func waitGone(pid int, name string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for procAlive(pid, name) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
	return true
}

// labsSupported is nil where labs run.
func labsSupported() error { return nil }
