package lab

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
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

// freePort returns a loopback TCP port free at the time of the call.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// freeTCPUDPPort returns a loopback port that is free for both TCP and UDP
// at the time of the call (a KDC listens on both).
func freeTCPUDPPort() (int, error) {
	for i := 0; i < 20; i++ {
		port, err := freePort()
		if err != nil {
			return 0, err
		}
		u, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue
		}
		u.Close()
		return port, nil
	}
	return 0, errors.New("free port: no port free for both TCP and UDP")
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

// fileExists reports whether path names an existing file.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
