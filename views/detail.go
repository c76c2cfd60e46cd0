package views

import (
	"strconv"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// DetailData is one process's page: its latest rates and its history.
type DetailData struct {
	Process sampler.ProcessRates
	// Series is the process's write rate, oldest first; Times match it.
	Series   []float64
	Times    []time.Time
	Interval time.Duration
	Mode     GraphMode
	// WriteLabel says what the write counters are ("storage-layer writes").
	WriteLabel string
	// Cancelled is true when the counters net out cancelled writes
	// (sampler.SourceInfo.CancelledWrites): the page shows them.
	Cancelled bool
	// RatesPending says only one reading was taken: the rates show
	// Glyphs.Pending, the totals are known.
	RatesPending bool
	// IOPriority is the process's I/O priority as read when the page
	// opened ("best-effort 4  (ioprio_get)"), "" for no such line.
	IOPriority string
}

// Detail draws the process page in exactly h lines of at most w cells: a
// title, the facts (class and the rule that gave it, user, command line,
// rates and totals) and the process's own write-rate graph in the rest.
func Detail(d DetailData, w, h int, t Theme) string {
	p := d.Process
	state := ""
	if p.Exited {
		state = t.Warn.Render("  exited")
	}
	title := t.Heading.Render(p.Name) + t.Label.Render("  PID ") + t.Value.Render(strconv.Itoa(int(p.Key.PID))) + state
	field := func(label, value string) string {
		return t.Label.Render(PadRight(label, 9)) + value
	}
	rule := p.Class.Rule
	if rule == "" {
		rule = "no rule matched"
	}
	rate := func(v float64) string {
		if d.RatesPending {
			return t.Glyphs.Pending
		}
		return Rate(v)
	}
	orDash := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return t.Muted.Render("(unknown)")
		}
		return s
	}
	facts := []string{
		title,
		field("Class", t.classStyle(p.Class.Class).Render(string(p.Class.Class))+t.Muted.Render("  rule: ")+rule),
		field("User", orDash(p.User)),
		field("Command", orDash(strings.ReplaceAll(p.Cmdline, "\n", " "))),
		field("Write/s", t.Value.Render(rate(p.WriteRate))+t.Label.Render("   read/s ")+t.Value.Render(rate(p.ReadRate))+
			t.Label.Render("   syscall writes/s ")+t.Value.Render(rate(p.LogicalWriteRate))),
		field("Totals", t.Label.Render("written ")+t.Value.Render(Bytes(p.WriteTotal))+
			t.Label.Render("   read ")+t.Value.Render(Bytes(p.ReadTotal))+t.Muted.Render("  since the process started")),
	}
	if p.DiskBytes {
		facts[5] = field("Totals", t.Label.Render("on disk ")+t.Value.Render(Bytes(p.WriteTotal))+
			t.Muted.Render("  since hvrdoctor started")+t.Label.Render("   read ")+t.Value.Render(Bytes(p.ReadTotal)))
	}
	if d.IOPriority != "" {
		facts = append(facts, field("I/O prio", d.IOPriority))
	}
	if d.Cancelled {
		cancel := field("Cancel/s", t.Value.Render(rate(p.CancelledWriteRate))+
			t.Muted.Render("  deleted or truncated before reaching the disk; not in Write/s"))
		facts = append(facts[:5], append([]string{cancel}, facts[5:]...)...)
	}
	if p.DiskBytes {
		facts = append(facts, diskFacts(p, rate, field, t)...)
	}
	if r := responseFact(p, field, t); r != "" {
		facts = append(facts, r)
	}
	if p.ChildrenWriteBytes > 0 {
		facts = append(facts, field("Children", t.Warn.Render("includes "+Bytes(p.ChildrenWriteBytes)+" from exited children")+
			t.Muted.Render(" in this interval: they started and exited between samples; the eBPF backend (root) counts them apart")))
	}
	if p.WriteBasis() == sampler.BasisPageCache {
		facts = append(facts, field("Basis", t.Warn.Render("page-cache bytes")+
			t.Muted.Render("  from a per-file backend: this process's storage counters were not read")))
	}
	label := "Writes of this process"
	if d.WriteLabel != "" {
		label += ": " + d.WriteLabel
	}
	return factsOverGraph(facts, GraphData{Title: label, Series: d.Series, Times: d.Times, Interval: d.Interval, Mode: d.Mode,
		Pending: d.RatesPending},
		w, h, t)
}

// diskFacts are the page's lines about disk bytes (a block-layer frame):
// how much of Write/s was the kernel's writeback of files it dirtied,
// write_bytes beside the disk bytes, flagged when it is more than twice
// as much.
func diskFacts(p sampler.ProcessRates, rate func(float64) string, field func(string, string) string, t Theme) []string {
	line := t.Value.Render(rate(p.DirtiedRate))
	switch {
	case p.DirtiedRate > 2*p.WriteRate && p.DirtiedRate-p.WriteRate >= 64<<10 && p.WriteRate > 0:
		line += t.Warn.Render("  " + strconv.FormatFloat(p.DirtiedRate/p.WriteRate, 'f', 1, 64) + "x the disk bytes: write_bytes charges whole page-cache folios")
	case p.DirtiedRate >= 64<<10 && p.WriteRate == 0:
		line += t.Muted.Render("  not on disk yet (or never: rewritten, deleted)")
	default:
		line += t.Muted.Render("  " + sampler.DirtiedLabel + ", what pidstat shows")
	}
	facts := []string{
		field("Disk", t.Label.Render("writeback share/s ")+t.Value.Render(rate(p.WritebackRate))+
			t.Muted.Render("  of Write/s: kernel writeback of files it dirtied; the rest it submitted itself")),
		field("Dirtied", line),
	}
	return facts
}

// responseFact is the page's line on the mean response time (request start to completion) of
// the disk requests the row submitted in the interval (the block layer's
// on Linux, the Kernel-Disk events' on Windows), or "" when none was
// timed.
func responseFact(p sampler.ProcessRates, field func(string, string) string, t Theme) string {
	ms, ok := p.DiskResponseMs()
	if !ok {
		return ""
	}
	return field("Response", t.Value.Render(strconv.FormatFloat(ms, 'f', 2, 64)+" ms")+
		t.Muted.Render("  mean response time of "+strconv.FormatUint(p.DiskIOCount, 10)+" requests it submitted"))
}

// factsOverGraph draws a detail page in exactly h lines of at most w cells:
// the facts, each cut to w, then a blank line and the graph of g in the
// lines left, when more than three are; else the facts alone.
func factsOverGraph(facts []string, g GraphData, w, h int, t Theme) string {
	for i := range facts {
		facts[i] = Truncate(facts[i], w, t.Glyphs.Ellipsis)
	}
	if h <= len(facts)+3 {
		return Fit(strings.Join(facts, "\n"), w, h)
	}
	return Fit(strings.Join(facts, "\n")+"\n\n"+Graph(g, w, h-len(facts)-1, t), w, h)
}
