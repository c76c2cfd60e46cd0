package fileio

import (
	"strconv"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/etwsession"
	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// kdEvent and kfEvent build events as the shared ETW session hands them
// over. They are NOT captured from a machine (no Windows here): typed from
// the documented manifests, Microsoft-Windows-Kernel-Disk DiskRead 10 /
// DiskWrite 11 (DiskNumber, IrpFlags, TransferSize, Reserved, ByteOffset,
// FileObject, IORequestPacket, HighResResponseTime, IssuingThreadId) and
// Microsoft-Windows-Kernel-File Create 12 / Close 14, with properties
// formatted as golang-etw formats them (decimal or 0x hex strings).
// HighResResponseTime is in performance-counter ticks (the
// DiskIo_TypeGroup1 class reference: "in the KeQueryPerformanceCounter
// tick units"); the tests use a 10 MHz counter, 100 ns a tick.
func kdEvent(id uint16, headerPID uint32, props map[string]string) etwsession.Event {
	base := map[string]string{"DiskNumber": "0", "IrpFlags": "0x60043", "Reserved": "0", "ByteOffset": "0x2A000000",
		"IORequestPacket": "0xFFFF9A0000000101"}
	for k, v := range props {
		base[k] = v
	}
	return etwsession.Event{Provider: etwsession.KernelDiskGUID, ID: id, PID: headerPID, Props: base}
}

func kfEvent(id uint16, pid uint32, props map[string]string) etwsession.Event {
	return etwsession.Event{Provider: etwsession.KernelFileGUID, ID: id, PID: pid, Props: props}
}

// Kernel-Disk completions give each named file its disk bytes and the
// response time of its requests (ms/req, FileStats DiskResponseMs),
// charged like the per-process counts: issuing thread, else opener, else
// header. Disk events share IDs 10 and 11 with Kernel-File's NameCreate and
// NameDelete: routed by ID alone they would count nothing.
func TestETWDecoderDiskResponsePerFile(t *testing.T) {
	d := newETWDecoder(map[string]string{`\Device\HarddiskVolume3`: "C:"})
	d.qpcFreq = 10_000_000
	d.threadPID = func(tid uint32) (uint32, bool) {
		pid, ok := map[uint32]uint32{3112: 2840, 88: 4}[tid]
		return pid, ok
	}
	tempdb := `\Device\HarddiskVolume3\MSSQL\DATA\tempdb.mdf`
	for _, e := range []etwsession.Event{
		kfEvent(kfCreate, 2840, map[string]string{"FileObject": "0xFFFF9A0011112222", "FileName": tempdb}),
		kfEvent(kfCreate, 5120, map[string]string{"FileObject": "0xFFFF9A0033334444", "FileName": `\Device\HarddiskVolume3\Backup\vm.vhdx`}),
		// sqlservr's write, completed in another process's context (700): 2 ms
		kdEvent(kdDiskWrite, 700, map[string]string{"TransferSize": "65536", "FileObject": "0xFFFF9A0011112222",
			"HighResResponseTime": "20000", "IssuingThreadId": "3112"}),
		// its read, no IssuingThreadId (older Windows): the opener; 4 ms
		kdEvent(kdDiskRead, 0, map[string]string{"TransferSize": "8192", "FileObject": "0xFFFF9A0011112222",
			"HighResResponseTime": "0x9C40"}),
		// the lazy writer flushing tempdb: a System thread gets it; 10 ms
		kdEvent(kdDiskWrite, 4, map[string]string{"TransferSize": "1048576", "FileObject": "0xFFFF9A0011112222",
			"HighResResponseTime": "100000", "IssuingThreadId": "88"}),
		// the backup's write, thread gone: the opener; no response time field
		kdEvent(kdDiskWrite, 4, map[string]string{"TransferSize": "4194304", "FileObject": "0xFFFF9A0033334444",
			"IssuingThreadId": "9999"}),
		// a read of a file no Kernel-File event moved bytes of this
		// interval: no row of disk reads alone (as on Linux)
		kfEvent(kfCreate, 2840, map[string]string{"FileObject": "0xFFFF9A0055556666", "FileName": `\Device\HarddiskVolume3\MSSQL\DATA\master.mdf`}),
		kdEvent(kdDiskRead, 0, map[string]string{"TransferSize": "8192", "FileObject": "0xFFFF9A0055556666",
			"HighResResponseTime": "500", "IssuingThreadId": "3112"}),
		// a file object never seen opened: left to the per-process counts
		kdEvent(kdDiskWrite, 1234, map[string]string{"TransferSize": "4096", "FileObject": "0xFFFF9A00DEADBEEF",
			"HighResResponseTime": "100"}),
	} {
		d.handleEvent(e)
	}
	b := newIntervalBuilder()
	d.drainInto(b, func(pid uint32) (sampler.ProcKey, string) { return sampler.ProcKey{PID: int32(pid), Start: 1}, "" })
	iv := b.finish(sampleTime, sampleElapsed)
	type fig struct{ disk, nanos, count uint64 }
	want := map[string]fig{
		"2840 " + `C:\MSSQL\DATA\tempdb.mdf`: {65536, 6_000_000, 2},
		"4 " + `C:\MSSQL\DATA\tempdb.mdf`:    {1 << 20, 10_000_000, 1},
		"5120 " + `C:\Backup\vm.vhdx`:        {4 << 20, 0, 0},
	}
	got := map[string]fig{}
	for _, f := range iv.Files {
		got[strconv.Itoa(int(f.Key.Proc.PID))+" "+f.Key.Path] = fig{f.DiskWriteBytes, f.DiskIONanos, f.DiskIOCount}
	}
	if len(got) != len(want) {
		t.Errorf("files %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %+v, want %+v", k, got[k], w)
		}
	}
	for _, f := range iv.Files {
		if f.Key.Path == `C:\MSSQL\DATA\tempdb.mdf` && f.Key.Proc.PID == 2840 {
			if ms, ok := f.DiskResponseMs(); !ok || ms != 3 {
				t.Errorf("sqlservr tempdb.mdf DiskResponseMs %.3f, %v; want 3 ms", ms, ok)
			}
		}
	}
}
