//go:build linux

package fileio

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The fanotify backend promises: the /proc scan's bytes for long-lived
// writers, plus the files written without moving the position (pwrite) or
// opened, written and closed between scans, listed with bytes unknown and
// the right PID and path.
func TestFanotifyNamesFilesTheScanMisses(t *testing.T) {
	exe := testExe(t)
	dir := worldDir(t)
	seq := startWriter(t, exe, "seq", filepath.Join(dir, "seq.dat"), 2<<20+5, nil)
	pw := startWriter(t, exe, "pwrite", filepath.Join(dir, "pwrite.dat"), 1<<20, nil)

	s, err := Open(Options{Backend: BackendFanotify, Clock: &stepClock{t: time.Unix(1_800_000_000, 0), step: time.Second}})
	if err != nil {
		requireIntegration(t, "fanotify backend unavailable (needs root): %v", err)
	}
	defer s.Close()
	seq.run()
	pw.run()
	short := filepath.Join(dir, "short.dat")
	shortPID := runOneshot(t, exe, "seq", short, 1<<20)

	iv, err := s.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := findFile(iv, seq.pid(), seq.path); !ok || f.WriteBytes != uint64(seq.bytes) || f.BytesUnknown {
		t.Errorf("sequential writer: %+v (found %v), want %d bytes", f, ok, seq.bytes)
	}
	if f, ok := findFile(iv, pw.pid(), pw.path); !ok || !f.BytesUnknown {
		t.Errorf("pwrite writer: %+v (found %v), want listed with bytes unknown", f, ok)
	} else if f.Key.Proc.Start != procStart(t, pw.pid()) || f.Name != "fileio.test" {
		t.Errorf("pwrite writer: process %+v %q, want start %d name fileio.test", f.Key.Proc, f.Name, procStart(t, pw.pid()))
	}
	if f, ok := findFile(iv, shortPID, short); !ok || !f.BytesUnknown {
		t.Errorf("short-lived writer PID %d: %+v (found %v), want %s listed with bytes unknown; files %v", shortPID, f, ok, short, iv.Files)
	}
	in := s.Info()
	if in.Backend != BackendFanotify || !strings.Contains(in.Limits, "bytes unknown") {
		t.Errorf("Info = %+v", in)
	}

	// Nothing happened since: the next interval names none of them.
	iv2, err := s.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{seq.path, pw.path, short} {
		for _, f := range iv2.Files {
			if f.Key.Path == p {
				t.Errorf("idle interval lists %+v", f)
			}
		}
	}
}
