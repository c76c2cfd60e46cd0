package testutil

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// Child is a helper process a test started, with its stdin and stdout
// connected to the test. The test's cleanup stops it.
type Child struct {
	// Cmd is the started command.
	Cmd *exec.Cmd
	// Stdin is the child's standard input; closing it asks the helpers
	// in this package (and the packages' own) to finish.
	Stdin io.WriteCloser
	// Stdout reads the child's standard output.
	Stdout *bufio.Reader

	stopOnce sync.Once
}

// StartChild starts cmd (its stderr goes to the test's, unless set) with
// pipes for stdin and stdout, and stops it when the test ends.
func StartChild(t testing.TB, cmd *exec.Cmd) *Child {
	t.Helper()
	if cmd.Stderr == nil {
		cmd.Stderr = os.Stderr
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatalf("start %s: stdin: %v", cmd.Path, err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("start %s: stdout: %v", cmd.Path, err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	c := &Child{Cmd: cmd, Stdin: stdin, Stdout: bufio.NewReader(stdout)}
	t.Cleanup(c.Stop)
	return c
}

// stopGrace is how long Stop waits for a child to exit on its own.
var stopGrace = 10 * time.Second

// PID is the child's process ID.
func (c *Child) PID() int { return c.Cmd.Process.Pid }

// Stop closes the child's stdin, gives it 10 s to exit, then kills it by
// its PID, and reaps it. Safe to call more than once.
func (c *Child) Stop() {
	c.stopOnce.Do(func() {
		c.Stdin.Close()
		done := make(chan struct{})
		go func() { c.Cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(stopGrace):
			c.Cmd.Process.Kill()
			<-done
		}
	})
}
