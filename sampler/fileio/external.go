package fileio

import "github.com/hvrdoctor/hvrdoctor/sampler"

// ExternalActivity converts an interval's per-process sums for
// sampler.Engine.MergeActivity, which adds processes the per-process
// sampler missed (started and exited between two samples) to the frame of
// the same interval. Call it with the Interval read right after the
// Engine's Sample.
func ExternalActivity(iv Interval) []sampler.ExternalActivity {
	if len(iv.Processes) == 0 {
		return nil
	}
	out := make([]sampler.ExternalActivity, 0, len(iv.Processes))
	for _, p := range iv.Processes {
		out = append(out, sampler.ExternalActivity{
			Key:        p.Key,
			Name:       p.Name,
			WriteBytes: p.WriteBytes,
			ReadBytes:  p.ReadBytes,
			WriteTotal: p.WriteTotal,
			ReadTotal:  p.ReadTotal,
			PPID:       p.PPID,
		})
	}
	return out
}

// CountsExitedProcesses reports whether the backend counts the bytes of
// processes that exit within an interval (eBPF and ETW count I/O as it
// happens; the /proc scans only see processes alive at the scan). Only such
// backends' activity is worth merging into the process view: the others
// add nothing the per-process sampler lacks.
func (i Info) CountsExitedProcesses() bool {
	return i.Backend == BackendEBPF || i.Backend == BackendETW
}
