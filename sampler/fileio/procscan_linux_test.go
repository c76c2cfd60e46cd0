//go:build linux

package fileio

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// The /proc backend promises: bytes written with write(2) and read with
// read(2) by long-lived processes, by position moves; nothing for pwrite at
// offsets; nothing for files opened and closed between scans.
func TestProcCountsPositionMovesOnly(t *testing.T) {
	exe := testExe(t)
	dir := worldDir(t)
	input := filepath.Join(dir, "input.dat")
	if err := os.WriteFile(input, make([]byte, 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	seq := startWriter(t, exe, "seq", filepath.Join(dir, "seq.dat"), 3<<20+17, nil)
	writev := startWriter(t, exe, "writev", filepath.Join(dir, "writev.dat"), 1<<20+3, nil)
	pw := startWriter(t, exe, "pwrite", filepath.Join(dir, "pwrite.dat"), 1<<20, nil)
	rd := startWriter(t, exe, "read", input, 1<<20, nil)

	s, err := openProc(&stepClock{t: time.Unix(1_800_000_000, 0), step: 2 * time.Second}, "/proc")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, w := range []*writer{seq, writev, pw, rd} {
		w.run()
	}
	short := filepath.Join(dir, "short.dat")
	shortPID := runOneshot(t, exe, "seq", short, 1<<20)

	iv, err := s.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if iv.Elapsed != 2*time.Second {
		t.Errorf("Elapsed = %v, want 2s from the injected clock", iv.Elapsed)
	}
	for _, w := range []*writer{seq, writev} {
		f, ok := findFile(iv, w.pid(), w.path)
		if !ok || f.WriteBytes != uint64(w.bytes) || f.ReadBytes != 0 {
			t.Errorf("%s: %+v (found %v), want %d bytes written", w.mode, f, ok, w.bytes)
		}
		if ok && f.Key.Proc.Start != procStart(t, w.pid()) {
			t.Errorf("%s: start %d, /proc says %d", w.mode, f.Key.Proc.Start, procStart(t, w.pid()))
		}
	}
	if f, ok := findFile(iv, rd.pid(), input); !ok || f.ReadBytes != 1<<20 || f.WriteBytes != 0 {
		t.Errorf("read(2) of %s: %+v (found %v), want 1 MiB read", input, f, ok)
	}
	if f, ok := findFile(iv, pw.pid(), pw.path); ok {
		t.Errorf("pwrite does not move the position, yet the /proc backend reported %+v", f)
	}
	if f, ok := findFile(iv, shortPID, short); ok {
		t.Errorf("a file opened and closed between scans cannot be seen, yet got %+v", f)
	}
	if !strings.Contains(s.Info().Limits, "pwrite") || !strings.Contains(s.Info().Limits, "opened and closed between scans") {
		t.Errorf("Limits do not say what is missed: %q", s.Info().Limits)
	}
}

// Unprivileged, the /proc backend sees the user's own processes and counts
// the others as hidden. The scanner runs as nobody (uid 65534).
func TestProcUnprivilegedSeesOwnProcessesOnly(t *testing.T) {
	if os.Geteuid() != 0 {
		requireIntegration(t, "needs root to start processes as two different users (running as uid %d)", os.Geteuid())
	}
	nobody := &syscall.Credential{Uid: 65534, Gid: 65534}
	exe := testExe(t)
	dir := worldDir(t)
	own := startWriter(t, exe, "seq", filepath.Join(dir, "own.dat"), 2<<20, nobody)
	other := startWriter(t, exe, "seq", filepath.Join(dir, "root.dat"), 2<<20, nil)

	scanner := testutil.HelperCommand(exe, "scan")
	scanner.SysProcAttr = &syscall.SysProcAttr{Credential: nobody}
	sc := testutil.StartChild(t, scanner)
	stdin, out := sc.Stdin, sc.Stdout
	if line, err := out.ReadString('\n'); strings.TrimSpace(line) != "open" {
		t.Fatalf("scanner: %q %v", line, err)
	}
	own.run()
	other.run()
	fmt.Fprintln(stdin, "go")
	var res scanResult
	if err := json.NewDecoder(out).Decode(&res); err != nil {
		t.Fatalf("scanner output: %v", err)
	}
	if f, ok := findFile(res.Interval, own.pid(), own.path); !ok || f.WriteBytes != 2<<20 {
		t.Errorf("own process's file: %+v (found %v), want 2 MiB written", f, ok)
	}
	if f, ok := findFile(res.Interval, other.pid(), other.path); ok {
		t.Errorf("root's process is visible to nobody: %+v", f)
	}
	if res.Interval.Hidden == 0 {
		t.Error("Hidden = 0, want root's processes counted as hidden")
	}
	if res.Info.AllProcesses || !strings.Contains(res.Info.Reason, "only your own processes") {
		t.Errorf("Info does not say processes are hidden: %+v", res.Info)
	}
}

type scanResult struct {
	Info     Info
	Interval Interval
}

// scanMain is the scanner process of the unprivileged test: it opens the
// best backend for its user, prints "open", reads one interval when a line
// arrives on stdin and prints it as JSON.
func scanMain() int {
	s, err := Open(Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "scan:", err)
		return 1
	}
	defer s.Close()
	fmt.Println("open")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		return 1
	}
	iv, err := s.Read(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "scan:", err)
		return 1
	}
	if err := json.NewEncoder(os.Stdout).Encode(scanResult{Info: s.Info(), Interval: iv}); err != nil {
		return 1
	}
	return 0
}

func TestParseStatNameWithSpacesAndParens(t *testing.T) {
	line := []byte("4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 200 18446744073709551615")
	start, name, ok := parseStat(line)
	if !ok || name != "my (odd) name" || start != 987654 {
		t.Errorf("parseStat = %d %q %v, want 987654 \"my (odd) name\" true", start, name, ok)
	}
	if _, _, ok := parseStat([]byte("garbage")); ok {
		t.Error("parseStat accepted garbage")
	}
}
