package sampler

import (
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/etwsession"
)

// qpc10MHz is QueryPerformanceFrequency on current Windows (a tick is
// 100 ns); the fixture's HighResResponseTime values are ticks of it.
const qpc10MHz = 10_000_000

// diskWrite is a Kernel-Disk DiskWrite (11) completion with the fields of
// the provider's manifest (DiskNumber, IrpFlags, TransferSize, Reserved,
// ByteOffset, FileObject, IORequestPacket, HighResResponseTime,
// IssuingThreadId), typed from that documented layout, NOT captured from
// a machine; ticks "" leaves HighResResponseTime out (an event template
// without it).
func diskWrite(tid uint32, size, ticks string) etwsession.Event {
	props := map[string]string{"DiskNumber": "0", "IrpFlags": "0x60043", "TransferSize": size, "Reserved": "0",
		"ByteOffset": "0x1000", "FileObject": "0x0", "IORequestPacket": "0xFFFF9A0000000200", "IssuingThreadId": "3112"}
	if ticks != "" {
		props["HighResResponseTime"] = ticks
	}
	return etwsession.Event{Provider: etwsession.KernelDiskGUID, ID: kdDiskWrite, PID: 700, TID: tid, Props: props}
}

// HighResResponseTime is in performance-counter ticks (DiskIo_TypeGroup1:
// "in the KeQueryPerformanceCounter tick units"), so the same ticks are a
// different time on a machine whose counter runs at another frequency
// (3.579545 MHz, the ACPI PM timer some machines use).
func TestDiskDecoderResponseTimeInCounterTicks(t *testing.T) {
	for _, c := range []struct {
		freq   uint64
		nanos  uint64
		timed  uint64
		reason string
	}{
		{qpc10MHz, (35_795 + 3_579_545) * 100, 2, "10 MHz: 100 ns a tick"},
		{3_579_545, 9_999_874 + 1_000_000_000, 2, "3.579545 MHz: 35,795 ticks are 9,999,874 ns (truncated), 3,579,545 ticks 1 s"},
		{0, 0, 0, "frequency unknown: untimed, bytes still counted"},
	} {
		d := newDiskDecoder(fixtureThreads, c.freq)
		d.handle(diskWrite(3112, "65536", "35795"))
		d.handle(diskWrite(3112, "0x1000", "0x369E99")) // 3,579,545 ticks, in hex as golang-etw may format it
		d.handle(diskWrite(3112, "512", ""))            // no HighResResponseTime: bytes, no time
		got := d.totals()[2840]
		want := diskBytes{write: 65536 + 4096 + 512, ioNanos: c.nanos, ioCount: c.timed}
		if got != want {
			t.Errorf("%s: %+v, want %+v", c.reason, got, want)
		}
	}
}

// On Windows the ETW source's cumulative response times become each
// row's DiskIONanos/DiskIOCount for the interval (what the process page,
// the ProcStats DiskResponseMs column and ms/req show), not the totals
// since hvrdoctor started.
func TestEngineResponseTimePerInterval(t *testing.T) {
	d := newDiskDecoder(fixtureThreads, qpc10MHz)
	starts := map[uint32]int64{}
	snapWith := func(at time.Duration) Snapshot {
		s := snapAt(at, ProcessCounters{Key: ProcKey{PID: 2840, Start: 10}, Name: "sqlservr.exe"},
			ProcessCounters{Key: ProcKey{PID: 900, Start: 12}, Name: "idle.exe"})
		applyDiskTotals(&s, d, starts)
		return s
	}
	var snaps []Snapshot
	snaps = append(snaps, snapWith(0))
	d.handle(diskWrite(3112, "65536", "20000")) // 2 ms
	d.handle(diskWrite(3112, "65536", "40000")) // 4 ms
	snaps = append(snaps, snapWith(time.Second))
	d.handle(diskWrite(3112, "8192", "90000")) // 9 ms
	snaps = append(snaps, snapWith(2*time.Second))
	e, err := NewEngine(NewReplaySourceInfo(snaps, SourceInfo{Name: "etw", WriteLabel: "disk writes per process, from ETW (Kernel-Disk)", DiskBytes: true}),
		Config{Clock: &fakeClock{t: t0}})
	if err != nil {
		t.Fatal(err)
	}
	base := sample(t, e)
	for _, p := range base.Processes {
		if p.DiskIOCount != 0 {
			t.Errorf("baseline %s: %d timed requests, want none", p.Name, p.DiskIOCount)
		}
	}
	for i, want := range []struct {
		ms    float64
		count uint64
	}{{3, 2}, {9, 1}} {
		f := sample(t, e)
		for _, p := range f.Processes {
			ms, ok := p.DiskResponseMs()
			switch p.Key.PID {
			case 2840:
				if !ok || p.DiskIOCount != want.count || ms != want.ms {
					t.Errorf("interval %d sqlservr.exe: %.3f ms over %d requests, want %.0f ms over %d", i+1, ms, p.DiskIOCount, want.ms, want.count)
				}
				if responseMsText(p) == "" {
					t.Errorf("interval %d: ProcStats DiskResponseMs empty for sqlservr.exe", i+1)
				}
			case 900:
				if ok {
					t.Errorf("interval %d idle.exe: %.3f ms, want no timed request", i+1, ms)
				}
			}
		}
	}
}
