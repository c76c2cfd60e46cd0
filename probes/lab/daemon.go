package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// daemon is a server process the lab started: it knows its PID, its log
// file and its directory, and Stop ends it by PID.
type daemon struct {
	name    string
	cmd     *exec.Cmd
	done    chan struct{}
	dir     string
	log     string
	stopMu  sync.Mutex
	stopped bool
}

// startDaemon starts cmd (stdout and stderr to logPath) and waits until
// addr accepts TCP connections.
func startDaemon(ctx context.Context, name string, cmd *exec.Cmd, dir, logPath, addr string, timeout time.Duration) (*daemon, error) {
	lf, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("lab %s: log file: %w", name, err)
	}
	cmd.Stdout, cmd.Stderr = lf, lf
	if err := cmd.Start(); err != nil {
		lf.Close()
		return nil, fmt.Errorf("lab %s: start %s: %w", name, cmd.Path, err)
	}
	d := &daemon{name: name, cmd: cmd, done: make(chan struct{}), dir: dir, log: logPath}
	go func() {
		cmd.Wait()
		lf.Close()
		close(d.done)
	}()
	if err := waitListening(ctx, addr, timeout, d.done); err != nil {
		d.stop()
		return nil, fmt.Errorf("lab %s: %w; log: %s", name, err, tail(logPath, 3))
	}
	return d, nil
}

// waitListening polls addr until it accepts a connection, the process
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

// PID of the process.
func (d *daemon) pid() int {
	if d.cmd == nil || d.cmd.Process == nil {
		return 0
	}
	return d.cmd.Process.Pid
}

// stop sends SIGTERM to the PID, then SIGKILL after 5 s, waits for the
// exit and removes the directory. Safe to call twice.
func (d *daemon) stop() error {
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

// freePort returns a loopback TCP port free at the time of the call.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// tail returns the last n non-empty lines of a file, joined by " | ".
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no log)"
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	if len(lines) == 0 {
		return "(empty log)"
	}
	return strings.Join(lines, " | ")
}

// ErrUnavailable marks errors saying a component cannot run on this
// machine (not installed, not root); tests skip on it.
var ErrUnavailable = errors.New("lab component unavailable")

func unavailable(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnavailable, fmt.Sprintf(format, args...))
}
