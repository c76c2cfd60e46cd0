package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// daemon is a server process the lab started: it knows its PID, its log
// file and the directory it owns, and stop ends it by PID. Every lab
// component that runs a program (squid, mitmdump, krb5kdc, slapd) runs it
// through a daemon, so they share one lifecycle.
type daemon struct {
	name    string
	cmd     *exec.Cmd
	done    chan struct{}
	waitErr error // how the process ended; read only after done is closed
	dir     string
	log     string
	stopMu  sync.Mutex
	stopped bool
}

// startDaemon starts cmd (stdout and stderr to logPath) and waits until
// addr accepts TCP connections. ownedDir, when not empty, is removed by
// stop. When the process does not come up, startDaemon ends it and returns
// an error with the end of its log, and leaves ownedDir for the caller to
// remove (so it can add other logs from there to the error).
func startDaemon(ctx context.Context, name string, cmd *exec.Cmd, ownedDir, logPath, addr string, timeout time.Duration) (*daemon, error) {
	lf, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("lab %s: log file: %w", name, err)
	}
	cmd.Stdout, cmd.Stderr = lf, lf
	if err := cmd.Start(); err != nil {
		lf.Close()
		return nil, fmt.Errorf("lab %s: start %s: %w", name, cmd.Path, err)
	}
	d := &daemon{name: name, cmd: cmd, done: make(chan struct{}), dir: ownedDir, log: logPath}
	go func() {
		d.waitErr = cmd.Wait()
		lf.Close()
		close(d.done)
	}()
	if err := waitListening(ctx, addr, timeout, d.done); err != nil {
		d.dir = "" // the caller removes it, after reading what it needs
		d.stop()
		select {
		case <-d.done:
			if d.waitErr != nil {
				err = fmt.Errorf("%w (%v)", err, d.waitErr)
			}
		default:
		}
		return nil, fmt.Errorf("lab %s: %w; log: %s", name, err, tail(logPath, 3))
	}
	return d, nil
}

// waitListening polls addr until it accepts a TCP connection, the process
// exits, ctx ends or timeout passes.
func waitListening(ctx context.Context, addr string, timeout time.Duration, exited <-chan struct{}) error {
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not listening on %s after %s", addr, timeout)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", addr, ctx.Err())
		case <-exited:
			return fmt.Errorf("exited before listening on %s", addr)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// pid is the process ID (0 for a nil daemon or one not started).
func (d *daemon) pid() int {
	if d == nil || d.cmd == nil || d.cmd.Process == nil {
		return 0
	}
	return d.cmd.Process.Pid
}

// stop sends SIGTERM to the PID, then SIGKILL after 5 s, waits for the
// exit and removes the owned directory. Safe to call twice, and on a nil
// daemon.
func (d *daemon) stop() error {
	if d == nil {
		return nil
	}
	d.stopMu.Lock()
	defer d.stopMu.Unlock()
	if d.stopped {
		return nil
	}
	d.stopped = true
	var err error
	select {
	case <-d.done:
	default:
		if serr := d.cmd.Process.Signal(syscall.SIGTERM); serr != nil && !errors.Is(serr, os.ErrProcessDone) {
			d.cmd.Process.Kill()
		}
		select {
		case <-d.done:
		case <-time.After(5 * time.Second):
			d.cmd.Process.Kill()
			select {
			case <-d.done:
			case <-time.After(5 * time.Second):
				err = fmt.Errorf("lab %s: pid %d did not exit", d.name, d.pid())
			}
		}
	}
	if d.dir != "" {
		os.RemoveAll(d.dir)
	}
	return err
}

// ErrUnavailable marks errors saying a component cannot run on this
// machine (not installed, not root); tests skip on it.
var ErrUnavailable = errors.New("lab component unavailable")

func unavailable(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnavailable, fmt.Sprintf(format, args...))
}
