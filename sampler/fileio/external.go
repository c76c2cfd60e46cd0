package fileio

import "github.com/hvrdoctor/hvrdoctor/sampler"

// ExternalActivity converts an interval's per-process sums for
// sampler.Engine.MergeActivity, which adds processes the per-process
// sampler missed (started and exited between two samples) to the frame of
// the same interval. Call it with the Interval read right after the
// Engine's Sample.
//
// A process that exited in the interval carries its storage-layer counters
// at exit (Interval.Exits), so its merged row has storage-layer figures;
// one that exited without moving file bytes in the interval (it only
// deleted files, or wrote before the previous reading) gets a row from
// its exit counters alone.
func ExternalActivity(iv Interval) []sampler.ExternalActivity {
	if len(iv.Processes) == 0 && len(iv.Exits) == 0 {
		return nil
	}
	out := make([]sampler.ExternalActivity, 0, len(iv.Processes)+len(iv.Exits))
	out = append(out, iv.Processes...)
	index := make(map[sampler.ProcKey]int, len(iv.Processes))
	for i, p := range iv.Processes {
		index[p.Key] = i
	}
	for _, x := range iv.Exits {
		c := x.Counters
		if i, ok := index[x.Key]; ok {
			out[i].Exit = &c
			continue
		}
		out = append(out, sampler.ExternalActivity{Key: x.Key, Name: x.Name, PPID: x.PPID, Exit: &c})
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
