package hyperv

import (
	"sort"
	"time"
)

// ReplicaCounterNames are the English names of the "Hyper-V Replica VM"
// counters read live (PdhAddEnglishCounter, so a localized Windows finds
// them too). Names from an unmerged windows_exporter collector; units are
// not documented.
var ReplicaCounterNames = []string{
	"Average Replication Latency", "Average Replication Size", "Compression Efficiency",
	"Last Replication Size", "Network Bytes Recv", "Network Bytes Sent", "Replication Count",
	"Replication Latency", "Resynchronized Bytes",
}

// CountersFromPDH turns one PDH reading (counter name -> instance (VM
// name) -> value) into one-point series of the ReplicaCounterObject, in
// a stable order; the _Total instance is left out.
func CountersFromPDH(values map[string]map[string]float64, t time.Time) []Series {
	var out []Series
	for counter, insts := range values {
		for inst, v := range insts {
			if inst == "_Total" || inst == "" {
				continue
			}
			out = append(out, Series{Object: ReplicaCounterObject, Instance: inst, Counter: counter, Points: []Point{{T: t, V: v}}})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Instance != out[j].Instance {
			return out[i].Instance < out[j].Instance
		}
		return out[i].Counter < out[j].Counter
	})
	return out
}
