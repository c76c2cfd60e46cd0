package sampler

import "strconv"

// The per-disk time columns of HVRStats, after Host, so that readers of
// older recordings, which find columns by name, read newer ones: the
// share of the interval the disk was busy (0-100), the average number of
// requests in flight, and the average milliseconds per completed request
// (iostat's %util, aqu-sz, await). Empty cells where the source does not
// measure them (DiskRates.HasTimes false, e.g. Windows' gopsutil
// counters).
const (
	DiskActiveSuffix   = ".ActiveTimePercent"
	DiskQueueSuffix    = ".AvgQueueLength"
	DiskResponseSuffix = ".AvgResponseMs"
)

// diskTimeColumns are the time columns' titles for disks.
func diskTimeColumns(disks []string) []string {
	out := make([]string, 0, 3*len(disks))
	for _, d := range disks {
		out = append(out, d+DiskActiveSuffix, d+DiskQueueSuffix, d+DiskResponseSuffix)
	}
	return out
}

// appendDiskTimes appends each disk's time cells, in the order of disks.
func appendDiskTimes(row []string, disks []string, rates []DiskRates) []string {
	for _, name := range disks {
		var d *DiskRates
		for i := range rates {
			if rates[i].Name == name {
				d = &rates[i]
				break
			}
		}
		if d == nil || !d.HasTimes {
			row = append(row, "", "", "")
			continue
		}
		row = append(row, strconv.FormatFloat(d.ActivePercent, 'f', 1, 64),
			strconv.FormatFloat(d.QueueLength, 'f', 2, 64), strconv.FormatFloat(d.ResponseMs, 'f', 2, 64))
	}
	return row
}
