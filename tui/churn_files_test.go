package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// Live, with a per-file source that saw no file written, the Churn tab's
// top files say so; it said "Per-file data was not collected in this
// session" while the header named the running backend. Without a
// per-file source it still says the data was not collected.
func TestChurnTopFilesLiveSaysWhyNone(t *testing.T) {
	for _, c := range []struct {
		name   string
		source bool
		tab    string // the Churn tab's number key
		want   string
	}{
		{"backend running, no writes", true, "5", noFileWrites},
		{"no backend", false, "4", "Per-file data was not collected in this session."},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := 4
			ivs := make([]fileio.Interval, n)
			for i := range ivs {
				ivs[i] = fileio.Interval{Time: sceneStart.Add(time.Duration(i) * time.Second), Elapsed: time.Second}
			}
			src := sampler.NewReplaySourceInfo(sceneSnapshots(n), sampler.SourceInfo{Name: "replay", WriteLabel: "storage-layer writes"})
			e, err := sampler.NewEngine(src, sampler.Config{Interval: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			o := Options{Sampler: e, Interval: time.Second, Host: "lab-vm", Mode: views.Braille}
			if c.source {
				o.FileSource = &replayFiles{info: etwInfo, ivs: ivs}
			}
			m := New(o)
			m.sampling.tick = func(gen int, _ time.Duration) tea.Cmd { return func() tea.Msg { return tickMsg{gen: gen} } }
			m.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
			start(m)
			step(m, n-2)
			pressAll(m, c.tab)
			scr := strings.Join(screen(m), "\n")
			if !strings.Contains(scr, "["+c.tab+" Churn]") {
				t.Fatalf("%s should open the Churn tab:\n%s", c.tab, scr)
			}
			if !strings.Contains(scr, "Top files") || !strings.Contains(scr, c.want) {
				t.Fatalf("the Churn tab's top files should say %q:\n%s", c.want, scr)
			}
		})
	}
}
