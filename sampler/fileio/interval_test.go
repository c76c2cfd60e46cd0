package fileio

import (
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

var (
	sampleTime    = time.Date(2026, 11, 24, 4, 57, 1, 0, time.UTC)
	sampleElapsed = 2 * time.Second
)

func TestIntervalBuilderSumsAndKeepsTotals(t *testing.T) {
	b := newIntervalBuilder()
	p1 := sampler.ProcKey{PID: 10, Start: 1}
	p2 := sampler.ProcKey{PID: 11, Start: 1}
	b.add(FileActivity{Key: FileKey{Proc: p1, Path: "/a"}, Name: "one", WriteBytes: 100})
	b.add(FileActivity{Key: FileKey{Proc: p1, Path: "/a"}, WriteBytes: 50, ReadBytes: 1}) // same file twice
	b.add(FileActivity{Key: FileKey{Proc: p1, Path: "/b"}, Name: "one", ReadBytes: 500})
	b.add(FileActivity{Key: FileKey{Proc: p2, Path: "/c"}, Name: "two", WriteBytes: 1000})
	iv := b.finish(sampleTime, sampleElapsed)
	if len(iv.Files) != 3 || iv.Files[0].Key.Path != "/c" || iv.Files[1].Key.Path != "/b" || iv.Files[2].WriteBytes != 150 {
		t.Errorf("files = %+v", iv.Files)
	}
	if got := iv.Files[2].WriteRate(iv.Elapsed); got != 75 {
		t.Errorf("WriteRate = %v, want 75 B/s", got)
	}
	if len(iv.Processes) != 2 || iv.Processes[0].Key != p2 || iv.Processes[1].WriteBytes != 150 || iv.Processes[1].ReadBytes != 501 {
		t.Errorf("processes = %+v", iv.Processes)
	}
	b.add(FileActivity{Key: FileKey{Proc: p1, Path: "/a"}, Name: "one", WriteBytes: 10})
	iv = b.finish(sampleTime.Add(sampleElapsed), sampleElapsed)
	if len(iv.Processes) != 1 || iv.Processes[0].WriteBytes != 10 || iv.Processes[0].WriteTotal != 160 || iv.Processes[0].ReadTotal != 501 {
		t.Errorf("second interval processes = %+v", iv.Processes)
	}
	b.forget(func(k sampler.ProcKey) bool { return k == p2 })
	b.add(FileActivity{Key: FileKey{Proc: p1, Path: "/a"}, WriteBytes: 1})
	if iv := b.finish(sampleTime, sampleElapsed); iv.Processes[0].WriteTotal != 1 {
		t.Errorf("total after forget = %d, want 1", iv.Processes[0].WriteTotal)
	}
	if (FileActivity{WriteBytes: 5}).WriteRate(0) != 0 {
		t.Error("rate over zero elapsed time is not 0")
	}
}

// stepClock advances by a fixed step each time it is read.
type stepClock struct {
	t    time.Time
	step time.Duration
}

func (c *stepClock) Now() time.Time { c.t = c.t.Add(c.step); return c.t }

// The parent a backend saw for a process is kept on its per-process sum
// whichever of its files carried it, and handed on to the engine's merge.
func TestIntervalBuilderKeepsParent(t *testing.T) {
	b := newIntervalBuilder()
	dd := sampler.ProcKey{PID: 200, Start: 7}
	b.add(FileActivity{Key: FileKey{Proc: dd, Path: "/dev/zero"}, Name: "dd", ReadBytes: 4096})
	b.add(FileActivity{Key: FileKey{Proc: dd, Path: "/tmp/out"}, Name: "dd", WriteBytes: 4096, PPID: 100})
	b.add(FileActivity{Key: FileKey{Proc: dd, Path: "/tmp/out"}, WriteBytes: 4096})
	iv := b.finish(sampleTime, sampleElapsed)
	if len(iv.Processes) != 1 || iv.Processes[0].PPID != 100 {
		t.Fatalf("processes = %+v, want dd with PPID 100", iv.Processes)
	}
	for _, f := range iv.Files {
		if f.Key.Path == "/tmp/out" && (f.PPID != 100 || f.WriteBytes != 8192) {
			t.Errorf("/tmp/out = %+v, want PPID 100 and 8192 bytes", f)
		}
	}
	ext := ExternalActivity(iv)
	if len(ext) != 1 || ext[0].PPID != 100 || ext[0].Key != dd || ext[0].WriteBytes != 8192 || ext[0].ReadBytes != 4096 {
		t.Errorf("ExternalActivity = %+v, want dd's sums with PPID 100", ext)
	}
}
