package blockio

import "github.com/hvrdoctor/hvrdoctor/sampler"

// kindRules are the classification rules shown for the kernel rows.
var kindRules = map[RowKind]string{
	RowJournal:        "kernel: filesystem journal (jbd2 commits, caused by fsync and metadata changes)",
	RowMetadata:       "kernel: filesystem metadata (inode tables, bitmaps, directories)",
	RowKernel:         "kernel: other kernel I/O (swap, kernel threads, stacked devices)",
	RowUnknownDirtier: "kernel: writeback of pages dirtied before hvrdoctor started",
	RowTableFull:      "bytes whose process or file hvrdoctor's kernel table had no room to keep (more writers between two samples than it holds; a shorter interval empties it more often)",
}

// External converts an interval's rows for sampler.Engine.ApplyDiskBytes,
// counting only the disks the frame counts (disks: the frame's Disks), so
// that the rows add up to the frame's disk total: the sampler leaves out
// loop, ram and stacked devices, whose writes reach (or never reach) a
// real disk through another device. With no disks every disk counts.
func External(iv Interval, disks []sampler.DiskRates) []sampler.DiskActivity {
	rows := iv.Processes
	onDisk := make(map[sampler.ProcKey]map[string]sampler.DiskIO)
	for _, r := range iv.DiskRows {
		m := onDisk[r.Key]
		if m == nil {
			m = make(map[string]sampler.DiskIO, 1)
			onDisk[r.Key] = m
		}
		d := m[r.Disk]
		d.Add(sampler.DiskIO{WriteBytes: r.WriteBytes, ReadBytes: r.ReadBytes, IONanos: r.IONanos, IOCount: r.IOCount})
		m[r.Disk] = d
	}
	if len(disks) > 0 {
		want := make(map[string]bool, len(disks))
		for _, d := range disks {
			want[d.Name] = true
		}
		at := make(map[sampler.ProcKey]int)
		rows = nil
		for _, r := range iv.DiskRows {
			if !want[r.Disk] {
				continue
			}
			i, ok := at[r.Key]
			if !ok {
				i = len(rows)
				at[r.Key] = i
				rows = append(rows, Row{Key: r.Key, Name: r.Name, Kind: r.Kind})
			}
			rows[i].add(&r)
		}
	}
	out := make([]sampler.DiskActivity, 0, len(rows))
	for _, r := range rows {
		out = append(out, sampler.DiskActivity{
			Key: r.Key, Name: r.Name, Kernel: r.Kind != RowProcess, Rule: kindRules[r.Kind],
			WriteBytes: r.WriteBytes, ReadBytes: r.ReadBytes, DiscardBytes: r.DiscardBytes,
			WritebackBytes: r.WritebackBytes,
			IONanos:        r.IONanos, IOCount: r.IOCount,
			OnDisk: onDisk[r.Key],
		})
	}
	return out
}
