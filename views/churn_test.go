package views

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
)

// testChurn is a Churn tab's data with every section filled: a spike with
// a culprit and its files, persistent and burst writers, an impact the
// link cannot carry, and skipped rows.
func testChurn() ChurnData {
	at := time.Date(2026, 11, 24, 4, 57, 0, 0, time.UTC)
	r := analysis.Report{
		Samples: 60, Minutes: 10, CompleteMinutes: 10, BaselineNeeds: 3, PatternNeeds: 10, Growth: 0.3, TotalSource: "disk writes (HVRStats / disk counters)", Baseline: 36 * mib, SpikeFactor: 10,
		Spikes: []analysis.MinuteStat{{Time: at, Label: "04:57", Bytes: 1080 * mib, Factor: 30, Culprits: []analysis.Culprit{
			{Name: "sqlservr.exe", PID: 1800, Class: sampler.ClassWorkload, Pattern: analysis.PatternPersistent, Bytes: 1070 * mib, Share: 0.99,
				Files: []analysis.FileStat{{Path: `D:\SQLData\a-very-long-folder-name-for-the-tempdb-files\tempdb.mdf`, Bytes: 1000 * mib}}},
		}}},
		Processes: []analysis.ProcessStat{
			{Name: "sqlservr.exe", Class: sampler.ClassWorkload, Pattern: analysis.PatternPersistent, WriteBytes: 1400 * mib, Share: 0.8},
			{Name: "explorer.exe", Class: sampler.ClassInbox, Pattern: analysis.PatternBurst, WriteBytes: 300 * mib, Share: 0.15, PeakLabel: "13:52"},
			{Name: "VeeamAgent.exe", Class: sampler.ClassThirdParty, Pattern: analysis.PatternBackground, WriteBytes: 1 * mib, Share: 0.01},
		},
		Classes:     []analysis.ClassShare{{Class: sampler.ClassWorkload, Share: 0.8}, {Class: sampler.ClassInbox, Share: 0.19}, {Class: "", Share: 0.01}},
		Compression: 1, LinkRate: 1e6,
		Files: []analysis.FileTotal{{Path: `D:\SQLData\tempdb.mdf`, Process: "sqlservr.exe", PID: 1800, Class: sampler.ClassWorkload, Bytes: 1000 * mib}},
		Impact: []analysis.Impact{{Interval: 30 * time.Second, Cycles: 20, PeakBytes: 540 * mib, PeakAt: at, TypicalBytes: 18 * mib, PeakRate: 18.9e6, TypicalRate: 0.6e6, Growth: 0.3,
			Link: &analysis.LinkVerdict{Rate: 1e6, LateCycles: 5, MaxBacklog: 500 * mib, MaxLag: 9 * time.Minute, MaxBacklogAt: at.Add(30 * time.Second)}}},
		Basis: []string{"Bytes written inside the guest are an upper bound of the changed blocks the replication log (.hrl) tracks."},
	}
	ms := []analysis.PivotMinute{
		{Label: "04:56", Bytes: 36 * mib, Classes: [ChurnClasses]float64{30 * mib, 6 * mib, 0, 0}, Factor: 1},
		{Label: "04:57", Bytes: 1080 * mib, Classes: [ChurnClasses]float64{1070 * mib, 6 * mib, 1 * mib, 3 * mib}, Factor: 30, Spike: true},
		{Label: "04:58", Bytes: 0, Factor: 0, Partial: true},
	}
	return ChurnData{Report: r, Minutes: ms, Current: 1, Replay: true, Skipped: []string{"ProcStats-1.csv: 1 row skipped (line 9: incomplete line)"}}
}

// Every line of the Churn tab fits any width; ASCII stays 7-bit.
func TestChurnFitsEveryWidth(t *testing.T) {
	for name, th := range themes() {
		for w := 1; w <= 220; w++ {
			lines := Churn(testChurn(), w, th)
			checkBlock(t, name+" churn", strings.Join(lines, "\n"), w, -1)
			if th.Glyphs.ASCII {
				for _, l := range lines {
					for _, r := range ansi.Strip(l) {
						if r > 0x7e {
							t.Fatalf("ASCII churn at %d has %q in %q", w, r, ansi.Strip(l))
						}
					}
				}
			}
			for _, h := range []int{2, 3, 5, 24} {
				rp := &ReplayHeader{Source: "/srv/recordings/a-long-incident-folder", Now: time.Date(2026, 11, 24, 4, 57, 12, 0, time.UTC), Index: 1234, Count: 8640, Hint: "←/→ sample"}
				hdr := ChurnHeader(HeaderData{Host: "lab-vm", Interval: time.Second, Status: "spike 1 of 3"}, SpikeText(31.2), rp, w, th)
				checkBlock(t, name+" header", hdr, w, h)
			}
		}
	}
}

// The tab holds what an admin needs from the pivot: spikes with factor,
// culprit, class, pattern and files; persistent and burst writers; the
// impact with the link verdict; the basis; what was skipped.
func TestChurnContent(t *testing.T) {
	lines := Churn(testChurn(), 120, NewTheme(false))
	text := ansi.Strip(strings.Join(lines, "\n"))
	for _, want := range []string{
		"Churn by minute  10 minutes of the recording, 10 complete; disk writes",
		"baseline 36.0 MiB/min (median complete minute), spikes above 10x, p: partial",
		">04:57      1.1 GiB    30.0",
		" 04:58 p        0 B       -",
		"SPIKE",
		"04:57: Factor 30.0x; Written 1.1 GiB",
		"sqlservr.exe (PID 1800, workload, persistent) 1.0 GiB 99%",
		`D:\SQLData\a-very-long-folder-name-for-the-tempdb-files\tempdb.mdf 0.98 GiB`,
		"sqlservr.exe", "persistent", "1.4 GiB", "80.0%",
		"explorer.exe", "burst", "300 MiB", "15.0%", "13:52",
		"Top files", `D:\SQLData\tempdb.mdf`,
		"workload", "80.0%", "unclassified",
		"compression 1, growth 30%, link 8.0 Mbit/s",
		"30 s",
		"cannot keep up",
		"Basis of the estimate",
		"upper bound of the changed blocks",
		"Skipped input (partial result)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("Churn tab lacks %q:\n%s", want, text)
		}
	}

}

// The bar is the minute's share of the largest minute, cut into class
// parts in proportion; a part with bytes gets a cell when there is room.
func TestChurnBar(t *testing.T) {
	th := NewTheme(true)
	g := churnGlyphs(th)
	bar := func(m analysis.PivotMinute, peak float64, w int) string {
		return ansi.Strip(churnBar(m, peak, w, g, th))
	}
	if got := bar(analysis.PivotMinute{Bytes: 100, Classes: [ChurnClasses]float64{50, 25, 25, 0}}, 100, 8); got != "####==++" {
		t.Errorf("halves and quarters: %q", got)
	}
	if got := bar(analysis.PivotMinute{Bytes: 50, Classes: [ChurnClasses]float64{99, 1, 0, 0}}, 100, 10); got != "####=" {
		t.Errorf("a small part still shows: %q", got)
	}
	if got := bar(analysis.PivotMinute{Bytes: 1, Classes: [ChurnClasses]float64{1, 0, 0, 0}}, 1000, 10); got != "#" {
		t.Errorf("a tiny minute gets one cell: %q", got)
	}
	if got := bar(analysis.PivotMinute{Bytes: 10}, 10, 4); got != "...." {
		t.Errorf("unattributed bytes are other: %q", got)
	}
	if got := bar(analysis.PivotMinute{}, 10, 4); got != "" {
		t.Errorf("no bytes, no bar: %q", got)
	}
}

func TestSpikeTextAndHeader(t *testing.T) {
	if s := SpikeText(31.2); s != "spike: 31x baseline" {
		t.Errorf("SpikeText(31.2) = %q", s)
	}
	if s := SpikeText(5.25); s != "spike: 5.2x baseline" {
		t.Errorf("SpikeText(5.25) = %q", s)
	}
	th := NewTheme(false)
	now := time.Date(2026, 11, 24, 4, 57, 12, 0, time.UTC)
	rp := &ReplayHeader{Source: "/srv/rec", Now: now, Index: 1234, Count: 8640, Hint: "keys"}
	h := ansi.Strip(ChurnHeader(HeaderData{}, "", rp, 100, th))
	if !strings.HasPrefix(h, "hvrdoctor · replay of /srv/rec, 04:57:12 (sample 1234 of 8640)\nkeys") {
		t.Errorf("replay header:\n%s", h)
	}
	h = ansi.Strip(ChurnHeader(HeaderData{}, SpikeText(30), &ReplayHeader{Source: "/srv/recordings/incident", Now: now, Index: 1, Count: 2}, 60, th))
	if l := strings.Split(h, "\n")[0]; !strings.HasPrefix(l, "replay 04:57:12 (sample 1 of 2)  ") || !strings.HasSuffix(l, "spike: 30x baseline") {
		t.Errorf("narrow replay header keeps the cursor: %q", l)
	}
	live := ansi.Strip(ChurnHeader(HeaderData{Host: "vm", Interval: time.Second, Now: now, Info: sampler.SourceInfo{WriteLabel: "w"}}, SpikeText(31), nil, 80, th))
	if l := strings.Split(live, "\n")[0]; !strings.HasSuffix(l, "spike: 31x baseline 04:57:12") || !strings.HasPrefix(l, "hvrdoctor · host vm · every 1s · w") {
		t.Errorf("live header with a spike: %q", l)
	}
	plain := ChurnHeader(HeaderData{Host: "vm", Interval: time.Second}, "", nil, 80, th)
	if plain != Header(HeaderData{Host: "vm", Interval: time.Second}, 80, th) {
		t.Error("without spike or replay the header is the usual one")
	}
}
