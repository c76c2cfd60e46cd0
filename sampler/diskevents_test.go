package sampler

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/etwsession"
)

// loadDiskFixture reads testdata/kernel-disk-events.json. The events are
// NOT captured from a machine: they are typed by hand from the documented
// Microsoft-Windows-Kernel-Disk manifest (DiskRead 10, DiskWrite 11,
// DiskFlush 14: DiskNumber, IrpFlags, TransferSize, Reserved, ByteOffset,
// FileObject, IORequestPacket, HighResResponseTime, IssuingThreadId) and
// the Microsoft-Windows-Kernel-File manifest (Create 12, Close 14,
// CreateNewFile 30), in the JSON shape github.com/tekert/golang-etw gives
// parsed events, because ETW sessions cannot run here (Linux, and wine
// refuses them).
func loadDiskFixture(t *testing.T) []etwsession.Event {
	t.Helper()
	b, err := os.ReadFile("testdata/kernel-disk-events.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw []struct {
		Comment string `json:"_comment"`
		System  struct {
			EventID   uint16
			Provider  struct{ Guid string }
			Execution struct{ ProcessID, ThreadID uint32 }
		}
		EventData map[string]string
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	var out []etwsession.Event
	for _, r := range raw {
		if r.Comment != "" {
			continue
		}
		out = append(out, etwsession.Event{Provider: r.System.Provider.Guid, ID: r.System.EventID,
			PID: r.System.Execution.ProcessID, TID: r.System.Execution.ThreadID, Props: r.EventData})
	}
	return out
}

// threads stands in for OpenThread/GetProcessIdOfThread: 3112 is
// sqlservr's thread, 88 a System worker; 9999 has exited.
func fixtureThreads(tid uint32) (uint32, bool) {
	pid, ok := map[uint32]uint32{3112: 2840, 88: 4, 1300: 1234}[tid]
	return pid, ok
}

func TestDiskDecoderAttributesToIssuingProcess(t *testing.T) {
	d := newDiskDecoder(fixtureThreads, qpc10MHz)
	for _, ev := range loadDiskFixture(t) {
		d.handle(ev)
	}
	// Response times: the fixture's HighResResponseTime ticks at 10 MHz
	// (100 ns a tick): sqlservr 1520+900+300+10 ticks over 4 requests.
	want := map[uint32]diskBytes{
		2840: {write: 65536 + 0x8000 + 512, read: 8192, ioNanos: 2730 * 100, ioCount: 4}, // by thread, by opener, by thread after Close
		5120: {write: 4 << 20, ioNanos: 2_000_000, ioCount: 1},                           // thread gone: the file object's opener
		4:    {write: 1 << 20, ioNanos: 700_000, ioCount: 1},                             // lazy writer: a System thread
		1234: {read: 4096, ioNanos: 10_000, ioCount: 1},                                  // nothing else known: the header
	}
	got := d.totals()
	if len(got) != len(want) {
		t.Errorf("totals for %d processes, want %d: %+v", len(got), len(want), got)
	}
	for pid, w := range want {
		if got[pid] != w {
			t.Errorf("pid %d: %+v, want %+v", pid, got[pid], w)
		}
	}
	if _, ok := got[700]; ok {
		t.Error("the completion's header process (700) was charged for sqlservr's write")
	}
	if d.byHeader != 1 {
		t.Errorf("byHeader = %d, want 1", d.byHeader)
	}
	tempdb := `\Device\HarddiskVolume3\MSSQL\DATA\tempdb.mdf`
	if f := d.files[diskFileKey{2840, tempdb}]; f == nil || *f != (diskBytes{write: 65536 + 0x8000, read: 8192, ioNanos: 2720 * 100, ioCount: 3}) {
		t.Errorf("tempdb.mdf for sqlservr: %+v", f)
	}
	if f := d.files[diskFileKey{5120, `\Device\HarddiskVolume9\Backup\vm-full.vhdx`}]; f == nil || f.write != 4<<20 || f.ioNanos != 2_000_000 || f.ioCount != 1 {
		t.Errorf("vm-full.vhdx for wbengine: %+v", f)
	}
}

// GetProcessIoCounters counts network and device I/O: a web server that
// sent 2 GiB and wrote nothing to disk must show 0 disk writes, and the
// all-I/O figure stays in LogicalWriteBytes.
func TestDiskTotalsReplaceAllIOCounters(t *testing.T) {
	d := newDiskDecoder(fixtureThreads, qpc10MHz)
	for _, ev := range loadDiskFixture(t) {
		d.handle(ev)
	}
	snap := Snapshot{Processes: []ProcessCounters{
		{Key: ProcKey{PID: 2840, Start: 10}, Name: "sqlservr.exe", WriteBytes: 900 << 20, LogicalWriteBytes: 900 << 20},
		{Key: ProcKey{PID: 700, Start: 11}, Name: "w3wp.exe", WriteBytes: 2 << 30, ReadBytes: 1 << 30, LogicalWriteBytes: 2 << 30},
		{Key: ProcKey{PID: 4, Start: 1}, Name: "System"},
	}}
	starts := map[uint32]int64{}
	applyDiskTotals(&snap, d, starts)
	byPID := map[int32]ProcessCounters{}
	for _, p := range snap.Processes {
		byPID[p.Key.PID] = p
	}
	if p := byPID[700]; p.WriteBytes != 0 || p.ReadBytes != 0 || p.LogicalWriteBytes != 2<<30 {
		t.Errorf("w3wp.exe: write %d read %d logical %d, want 0, 0 and the all-I/O 2 GiB", p.WriteBytes, p.ReadBytes, p.LogicalWriteBytes)
	}
	if p := byPID[2840]; p.WriteBytes != 65536+0x8000+512 || p.ReadBytes != 8192 || p.LogicalWriteBytes != 900<<20 {
		t.Errorf("sqlservr.exe: %+v", p)
	}
	if p := byPID[4]; p.WriteBytes != 1<<20 {
		t.Errorf("System: %+v", p)
	}
	if _, ok := d.totals()[5120]; ok {
		t.Error("an exited process's totals were kept")
	}
	// PID 2840 reused by another program: it starts from zero.
	snap2 := Snapshot{Processes: []ProcessCounters{{Key: ProcKey{PID: 2840, Start: 99}, Name: "notepad.exe"}}}
	applyDiskTotals(&snap2, d, starts)
	if p := snap2.Processes[0]; p.WriteBytes != 0 || p.ReadBytes != 0 {
		t.Errorf("reused PID inherited the old process's bytes: %+v", p)
	}
}
