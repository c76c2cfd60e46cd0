package sampler

import (
	"context"
	"io"
	"strings"
	"testing"
)

// The live Windows source says which counters it uses: disk bytes from
// ETW when its session started (real Windows as Administrator), else
// GetProcessIoCounters' all-I/O counts with the reason. Under wine (ETW
// sessions are refused) this runs the fallback for real.
func TestLiveWindowsSourceSaysWhichCounters(t *testing.T) {
	src := NewLiveSource()
	defer CloseSource(src)
	info := src.Info()
	if _, etw := src.(io.Closer); etw {
		if info.Name != "etw" || !strings.Contains(info.WriteLabel, "ETW") || !strings.Contains(info.Note, "Kernel-Disk") {
			t.Errorf("ETW source: %+v", info)
		}
	} else {
		if !strings.Contains(info.WriteLabel, "all I/O") || !strings.Contains(info.Note, "all I/O (disk, network, devices)") {
			t.Errorf("fallback source does not say its figures are all I/O: %+v", info)
		}
		if isPrivileged() && !strings.Contains(info.Note, "ETW") {
			t.Errorf("elevated, yet the note does not say why ETW is not used: %q", info.Note)
		}
	}
	t.Logf("write label %q; note %q", info.WriteLabel, info.Note)
	if _, err := src.Snapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
}
