package tui

import (
	"slices"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// diskHistoryPoints is how many points the per-disk histories keep at
// least (at most twice as many): more than the widest graph shows.
const diskHistoryPoints = 4000

// diskGraphs keeps, from each frame, the read and write rates of all
// disks together and of each disk, so the Processes tab's graph can show
// one disk (D). The engine's own series is the "all disks" write graph.
type diskGraphs struct {
	// off is set on a recording: its frames come as the cursor moves, not
	// in time, so add takes none and setReplay gives the histories.
	off   bool
	times []time.Time
	read  []float64 // all disks
	// perDisk holds each disk's write and read series, aligned with times
	// (0 before the disk appeared).
	perDisk map[string]*[2][]float64
	names   []string // in the order first seen
	sel     int      // 0 all disks writes, 1 all disks reads, then 2+2i disk i writes, 3+2i its reads
	shown   int      // points when the screen last took a frame (paused screens stay)
}

// add takes a frame with rates.
func (g *diskGraphs) add(f sampler.Frame) {
	if g.off || f.Elapsed <= 0 {
		return
	}
	if g.perDisk == nil {
		g.perDisk = map[string]*[2][]float64{}
	}
	n := len(g.times)
	g.times = append(g.times, f.Time)
	g.read = append(g.read, f.DiskReadRate)
	for _, d := range f.Disks {
		s := g.perDisk[d.Name]
		if s == nil {
			s = &[2][]float64{make([]float64, n), make([]float64, n)}
			g.perDisk[d.Name] = s
			g.names = append(g.names, d.Name)
		}
		s[0] = append(s[0], d.WriteRate)
		s[1] = append(s[1], d.ReadRate)
	}
	for _, s := range g.perDisk {
		for i := range s {
			if len(s[i]) < n+1 {
				s[i] = append(s[i], 0) // the disk is gone from this frame
			}
		}
	}
	if len(g.times) > 2*diskHistoryPoints {
		// Trimmed to diskHistoryPoints once the history holds twice as
		// many, so copying stays rare.
		cut := len(g.times) - diskHistoryPoints
		g.times, g.read = slices.Clone(g.times[cut:]), slices.Clone(g.read[cut:])
		for _, s := range g.perDisk {
			s[0], s[1] = slices.Clone(s[0][cut:]), slices.Clone(s[1][cut:])
		}
		g.shown = max(0, g.shown-cut)
	}
}

// setReplay takes a recording's histories up to its cursor. Disks keep
// the order first seen, so the selection stays on its disk.
func (g *diskGraphs) setReplay(v *replayView) {
	g.times, g.read, g.perDisk = v.times, v.read, v.perDisk
	for _, n := range v.names {
		if !slices.Contains(g.names, n) {
			g.names = append(g.names, n)
		}
	}
	n := len(v.times)
	for _, name := range g.names {
		if g.perDisk[name] == nil {
			g.perDisk[name] = &[2][]float64{make([]float64, n), make([]float64, n)} // not near the cursor
		}
	}
	g.shown = n
}

// next moves the selection to the next graph, back to all disks' writes
// after the last disk's reads, and says which it is.
func (g *diskGraphs) next() string {
	g.sel = (g.sel + 1) % (2 + 2*len(g.names))
	return g.title()
}

// title names the selected graph.
func (g *diskGraphs) title() string {
	switch {
	case g.sel == 0:
		return "Disk writes, all disks"
	case g.sel == 1:
		return "Disk reads, all disks"
	case g.sel%2 == 0:
		return "Disk writes, " + g.names[(g.sel-2)/2]
	default:
		return "Disk reads, " + g.names[(g.sel-2)/2]
	}
}

// graph fills d's title and, for anything but all disks' writes (the
// engine's series, already in d), its series and times, up to the
// points the screen last took.
func (g *diskGraphs) graph(d *views.GraphData) {
	if g.sel >= 2+2*len(g.names) {
		g.sel = 0
	}
	d.Title = g.title()
	if g.sel == 0 {
		return
	}
	n := min(g.shown, len(g.times))
	d.Times = g.times[:n]
	switch {
	case g.sel == 1:
		d.Series = g.read[:n]
	default:
		s := g.perDisk[g.names[(g.sel-2)/2]]
		d.Series = s[(g.sel-2)%2][:n]
	}
}
