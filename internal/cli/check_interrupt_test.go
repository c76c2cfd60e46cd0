//go:build !windows

package cli

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// Ctrl-C during a check turns the unfinished steps into skips; the exit
// status must still say the check did not pass (1), with one line on
// stderr, or a script would read an interrupted check as a passed one.
func TestCheckInterruptedExitsOne(t *testing.T) {
	// A "replica" that accepts connections and never answers: TCP reach
	// passes, the listener step waits for an answer until interrupted.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	hold := make(chan struct{}) // connections stay open, silent, until the test ends
	defer close(hold)
	requests := make(chan struct{}, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 1)
				if n, _ := c.Read(buf); n > 0 {
					requests <- struct{}{} // the listener probe sent its request
				}
				<-hold
			}()
		}
	}()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	cmd := exec.Command(testutil.Binary(t), "check", "--replica", "127.0.0.1", "--port", port, "--timeout", "60s")
	for _, kv := range os.Environ() {
		if !strings.Contains(strings.ToUpper(strings.SplitN(kv, "=", 2)[0]), "PROXY") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	select {
	case <-requests:
	case <-time.After(30 * time.Second):
		t.Fatalf("the check never sent its listener request; stdout:\n%s", stdout.String())
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	msg := stderr.String()
	if code != exitFail || !strings.Contains(msg, "interrupted") || strings.Count(msg, "\n") != 1 {
		t.Errorf("interrupted check: exit %d, stderr %q; want exit 1 and one line saying it was interrupted\nstdout:\n%s", code, msg, stdout.String())
	}
	if !strings.Contains(stdout.String(), "cancelled") && !strings.Contains(stdout.String(), "Cancelled") {
		t.Errorf("the report should show the cancelled steps:\n%s", stdout.String())
	}
}
