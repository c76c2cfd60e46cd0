package main

import (
	"bytes"
	"strings"
	"testing"
)

// Piped output gets a one-shot table of the top writers from the live
// sampler, not the full-screen UI, and exits 0.
func TestUIOneShotWhenNotATerminal(t *testing.T) {
	var out, errb bytes.Buffer
	code := dispatch([]string{"--interval", "250ms"}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d, stderr: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if !strings.HasPrefix(lines[0], "hvrdoctor: top writers on ") || !strings.Contains(lines[0], " over ") {
		t.Errorf("heading: %q", lines[0])
	}
	head := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "IMAGE") {
			head = i
		}
	}
	if head < 0 {
		if !strings.HasPrefix(lines[len(lines)-1], "no process wrote during the ") {
			t.Fatalf("neither a table nor the reason why none:\n%s", out.String())
		}
		return
	}
	for _, col := range []string{"PID", "CLASS", "WRITE/S", "READ/S", "WRITTEN"} {
		if !strings.Contains(lines[head], col) {
			t.Errorf("table heading lacks %s: %q", col, lines[head])
		}
	}
	if rows := len(lines) - head - 1; rows < 1 || rows > uiTopWriters {
		t.Errorf("%d rows, want 1..%d", rows, uiTopWriters)
	}
	if strings.Contains(out.String(), "\x1b[") {
		t.Errorf("piped output must carry no escape sequences")
	}
}

func TestUIFlagsRejectBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"ui", "--interval", "10ms"},
		{"ui", "--interval", "soon"},
		{"ui", "extra"},
		{"ui", "--rules", "/nonexistent/rules.txt"},
	} {
		var out, errb bytes.Buffer
		if code := dispatch(args, &out, &errb); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
		msg := strings.TrimSpace(errb.String())
		if msg == "" || strings.Contains(msg, "\n") {
			t.Errorf("%v: want one line on stderr, got %q", args, msg)
		}
	}
}
