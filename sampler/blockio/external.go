package blockio

import "github.com/hvrdoctor/hvrdoctor/sampler"

// kindRules are the classification rules shown for the kernel rows.
var kindRules = map[RowKind]string{
	RowJournal:        "kernel: filesystem journal (jbd2 commits, caused by fsync and metadata changes)",
	RowMetadata:       "kernel: filesystem metadata (inode tables, bitmaps, directories)",
	RowKernel:         "kernel: other kernel I/O (swap, kernel threads, stacked devices)",
	RowUnknownDirtier: "kernel: writeback of pages dirtied before hvrdoctor started",
}

// External converts an interval's rows for sampler.Engine.ApplyDiskBytes.
func External(iv Interval) []sampler.DiskActivity {
	out := make([]sampler.DiskActivity, 0, len(iv.Processes))
	for _, r := range iv.Processes {
		out = append(out, sampler.DiskActivity{
			Key: r.Key, Name: r.Name, Kernel: r.Kind != RowProcess, Rule: kindRules[r.Kind],
			WriteBytes: r.WriteBytes, ReadBytes: r.ReadBytes, DiscardBytes: r.DiscardBytes,
			WritebackBytes: r.WritebackBytes, WriteTotal: r.WriteTotal,
			IONanos: r.IONanos, IOCount: r.IOCount,
		})
	}
	return out
}
