package views

import (
	"fmt"

	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
)

// diskLoadLegend says what the spikes' disk column counts.
const diskLoadLegend = "Busiest disk: the share of the minute's recorded time (its samples with disk times) it was busy, its average queue (requests in flight) and response time (ms a request), from the recording's disk time columns."

// spikesHaveDisks reports whether any spike has disk times.
func spikesHaveDisks(spikes []analysis.MinuteStat) bool {
	for _, m := range spikes {
		if len(m.Disks) > 0 {
			return true
		}
	}
	return false
}

// diskLoadText is the busiest disk of a minute: "sda 98% busy, queue
// 7.9, 31 ms", or "-" without disk times.
func diskLoadText(disks []analysis.DiskLoad) string {
	if len(disks) == 0 {
		return "-"
	}
	d := disks[0]
	ms := fmt.Sprintf("%.1f ms", d.ResponseMs)
	if d.ResponseMs >= 10 {
		ms = fmt.Sprintf("%.0f ms", d.ResponseMs)
	}
	return fmt.Sprintf("%s %.0f%% busy, queue %.1f, %s", d.Name, d.ActivePercent, d.QueueLength, ms)
}
