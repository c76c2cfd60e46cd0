package fileio

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// fixtureEvent is the JSON shape golang-etw gives an *etw.Event (System
// header plus EventData properties formatted as strings).
type fixtureEvent struct {
	System struct {
		EventID   uint16
		Execution struct{ ProcessID uint32 }
	}
	EventData map[string]string
}

// loadFixture reads testdata/kernel-file-events.json. The events are NOT
// captured from a machine: they are typed by hand from the documented
// Microsoft-Windows-Kernel-File manifest fields (event IDs 10, 12, 14, 15,
// 16, 27, 30 and their properties), in the JSON shape golang-etw gives
// parsed events, because Windows ETW cannot run on the Linux CI machines.
func loadFixture(t *testing.T) []kernelFileEvent {
	t.Helper()
	b, err := os.ReadFile("testdata/kernel-file-events.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw []fixtureEvent
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	out := make([]kernelFileEvent, len(raw))
	for i, r := range raw {
		out[i] = kernelFileEvent{ID: r.System.EventID, PID: r.System.Execution.ProcessID, Props: r.EventData}
	}
	return out
}

func TestETWDecoderAttributesRecordedEvents(t *testing.T) {
	d := newETWDecoder(map[string]string{`\Device\HarddiskVolume3`: "C:"})
	for _, ev := range loadFixture(t) {
		d.handle(ev)
	}
	b := newIntervalBuilder()
	names := map[uint32]string{4: "System", 2840: "sqlservr.exe", 5120: "wbengine.exe", 700: "svchost.exe"}
	unnamed := d.drainInto(b, func(pid uint32) (sampler.ProcKey, string) {
		return sampler.ProcKey{PID: int32(pid), Start: 1000 + int64(pid)}, names[pid]
	})
	iv := b.finish(sampleTime, sampleElapsed)

	tempdb := `C:\Program Files\Microsoft SQL Server\MSSQL\DATA\tempdb.mdf`
	closed := "file key 0xffffc000aaaa0000 (opened before tracing started)"
	want := map[string]FileActivity{
		"4 " + `C:\pagefile.sys`: {Name: "System", WriteBytes: 2 << 20, WriteCalls: 2},
		"2840 " + tempdb:         {Name: "sqlservr.exe", WriteBytes: 3 * 65536, ReadBytes: 8192, WriteCalls: 3, ReadCalls: 1},
		"2840 " + closed:         {Name: "sqlservr.exe", WriteBytes: 512, WriteCalls: 1},
		"5120 " + `\Device\HarddiskVolume9\Backup\vm-full.vhdx`: {Name: "wbengine.exe", WriteBytes: 4 << 20, WriteCalls: 1},
		"700 " + `C:\Windows\Temp\new.log`:                      {Name: "svchost.exe", WriteBytes: 100, WriteCalls: 1},
	}
	if len(iv.Files) != len(want) {
		t.Errorf("%d files, want %d: %+v", len(iv.Files), len(want), iv.Files)
	}
	for _, f := range iv.Files {
		k := strconv.Itoa(int(f.Key.Proc.PID)) + " " + f.Key.Path
		w, ok := want[k]
		if !ok {
			t.Errorf("unexpected %s: %+v", k, f)
			continue
		}
		if f.Name != w.Name || f.WriteBytes != w.WriteBytes || f.ReadBytes != w.ReadBytes ||
			f.WriteCalls != w.WriteCalls || f.ReadCalls != w.ReadCalls || f.Key.Proc.Start != 1000+int64(f.Key.Proc.PID) {
			t.Errorf("%s = %+v, want %+v", k, f, w)
		}
	}
	if unnamed != 1 {
		t.Errorf("unnamed = %d, want 1 (the write after Close)", unnamed)
	}
	if iv.Files[0].Key.Path != `\Device\HarddiskVolume9\Backup\vm-full.vhdx` {
		t.Errorf("busiest file first: got %s", iv.Files[0].Key.Path)
	}
	// A second drain starts empty.
	if d.drainInto(b, func(uint32) (sampler.ProcKey, string) { return sampler.ProcKey{}, "" }); len(b.finish(sampleTime, sampleElapsed).Files) != 0 {
		t.Error("counts were not reset by the drain")
	}
}

func TestPropUintFormats(t *testing.T) {
	p := map[string]string{"a": "0x10000", "b": "65536", "c": "0XFF", "d": "garbage", "e": ""}
	for k, want := range map[string]uint64{"a": 65536, "b": 65536, "c": 255} {
		if v, ok := propUint(p, k); !ok || v != want {
			t.Errorf("propUint(%s) = %d %v, want %d", p[k], v, ok, want)
		}
	}
	for _, k := range []string{"d", "e", "missing"} {
		if _, ok := propUint(p, k); ok {
			t.Errorf("propUint(%q) accepted", p[k])
		}
	}
}
