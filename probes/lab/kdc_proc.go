package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"time"
)

// needTools returns an error naming the first program of tools that is not
// on PATH, and what provides it.
func needTools(what string, tools []string) error {
	for _, t := range tools {
		if _, err := exec.LookPath(t); err != nil {
			return fmt.Errorf("%s: %s not found on PATH", what, t)
		}
	}
	return nil
}

// pickTCPUDPPort returns a loopback port that is free for both TCP and UDP
// at the time of the call.
func pickTCPUDPPort() (int, error) {
	for i := 0; i < 20; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("free port: %w", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		u, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		l.Close()
		if err != nil {
			continue
		}
		u.Close()
		return port, nil
	}
	return 0, errors.New("free port: no port free for both TCP and UDP")
}

// awaitListen polls addr until it accepts a TCP connection, the process
// exits (exited is closed), ctx ends or timeout passes.
func awaitListen(ctx context.Context, addr string, timeout time.Duration, exited <-chan struct{}) error {
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not listening after %s", addr, timeout)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", addr, ctx.Err())
		case <-exited:
			return fmt.Errorf("process exited before listening on %s", addr)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// outputHead returns the first lines of a tool's output for an error message.
func outputHead(out []byte) string {
	s := strings.TrimSpace(string(out))
	lines := strings.Split(s, "\n")
	if len(lines) > 4 {
		lines = lines[:4]
	}
	return strings.Join(lines, " | ")
}
