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
