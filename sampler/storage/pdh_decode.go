package storage

import "sort"

// The PhysicalDisk counters read on Windows, by their English names
// (PdhAddEnglishCounter), in the order of pdhCounterPaths.
const (
	pdhIdle        = `% Idle Time`
	pdhAvgQueue    = `Avg. Disk Queue Length`
	pdhCurQueue    = `Current Disk Queue Length`
	pdhReadBytes   = `Disk Read Bytes/sec`
	pdhWriteBytes  = `Disk Write Bytes/sec`
	pdhReads       = `Disk Reads/sec`
	pdhWrites      = `Disk Writes/sec`
	pdhSecPerRead  = `Avg. Disk sec/Read`
	pdhSecPerWrite = `Avg. Disk sec/Write`
)

// pdhCounterNames are the counters added to the query, each as
// \PhysicalDisk(*)\<name>.
var pdhCounterNames = []string{pdhIdle, pdhAvgQueue, pdhCurQueue, pdhReadBytes, pdhWriteBytes,
	pdhReads, pdhWrites, pdhSecPerRead, pdhSecPerWrite}

// disksFromPDH turns formatted PhysicalDisk counter values (counter name
// -> instance -> value, as PdhGetFormattedCounterArray gives them with
// PDH_FMT_DOUBLE) into DiskStats, one per instance ("0 C:"), sorted by
// name; the _Total instance is left out. Active time is 100 - % Idle
// Time (% Disk Time can pass 100; that Resource Monitor's "Highest
// Active Time" is this figure is UNCONFIRMED, Microsoft does not document
// it); response times come in seconds and are turned into milliseconds.
func disksFromPDH(values map[string]map[string]float64) []DiskStats {
	names := map[string]bool{}
	for _, inst := range values {
		for n := range inst {
			if n != "_Total" {
				names[n] = true
			}
		}
	}
	var out []DiskStats
	for n := range names {
		get := func(c string) float64 {
			v := values[c][n]
			if v < 0 {
				return 0
			}
			return v
		}
		d := DiskStats{Name: n,
			QueueLength:      get(pdhAvgQueue),
			InFlight:         uint64(get(pdhCurQueue) + 0.5),
			ReadBytesPerSec:  get(pdhReadBytes),
			WriteBytesPerSec: get(pdhWriteBytes),
			ReadIOPS:         get(pdhReads),
			WriteIOPS:        get(pdhWrites),
		}
		if idle, ok := values[pdhIdle][n]; ok {
			d.ActivePercent = min(max(100-idle, 0), 100)
		}
		if d.ReadIOPS > 0 {
			d.ReadResponseMs = get(pdhSecPerRead) * 1000
		}
		if d.WriteIOPS > 0 {
			d.WriteResponseMs = get(pdhSecPerWrite) * 1000
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
