package sampler

import (
	"context"
	"testing"
)

// diskInfoSource is a replay whose Info says its write counters are disk
// bytes, as the Windows ETW source's does (Kernel-Disk events cannot be
// produced here: the source's decoding is tested on typed fixtures in
// diskevents_test.go).
type diskInfoSource struct{ Source }

func (s diskInfoSource) Info() SourceInfo {
	i := s.Source.Info()
	i.DiskBytes = true
	return i
}

// A source that counts disk bytes itself gives rows whose basis is disk,
// so ProcStats and the exporter do not call them storage-layer writes.
func TestSourceDiskBytesRowsAreDiskBasis(t *testing.T) {
	snaps := []Snapshot{
		snapAt(0, proc(10, 1, "sqlservr.exe", 0, 0)),
		snapAt(1e9, proc(10, 1, "sqlservr.exe", 4*mib, 0)),
	}
	for _, c := range []struct {
		src  Source
		want string
	}{
		{diskInfoSource{NewReplaySource(snaps)}, BasisDisk},
		{NewReplaySource(snaps), BasisStorage},
	} {
		e, err := NewEngine(c.src, Config{Clock: &fakeClock{t: t0}})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			f, err := e.Sample(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			r, ok := find(f, 10, 1)
			if !ok || r.WriteBasis() != c.want {
				t.Errorf("source %s: row %+v basis %q, want %q", c.src.Info().Name, r, r.WriteBasis(), c.want)
			}
		}
	}
}
