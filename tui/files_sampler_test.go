package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// The process table lists only processes that read or wrote in the last
// minute by default (like iotop -o), says so in its title, and i shows
// the idle ones too.
func TestActiveOnlyHidesIdleProcesses(t *testing.T) {
	m, _ := newSceneModel(t, 10, 80, 24, false)
	start(m)
	step(m, 2)
	lines := screen(m)
	all := strings.Join(lines, "\n")
	if rowOf(lines, "idle-") >= 0 || !strings.Contains(all, "Processes · active only · 4 of 44  (i: all)") {
		t.Errorf("by default only the 4 active processes are listed:\n%s", all)
	}
	if !strings.Contains(lines[len(lines)-1], "i all") {
		t.Errorf("the footer should offer i: %q", lines[len(lines)-1])
	}
	press(m, "i")
	lines = screen(m)
	if rowOf(lines, "idle-00.exe") < 0 || !strings.Contains(strings.Join(lines, "\n"), "Processes · all 44  (i: active only)") {
		t.Errorf("i should list the idle processes too:\n%s", strings.Join(lines, "\n"))
	}
	if !strings.Contains(lines[len(lines)-1], "i active") {
		t.Errorf("the footer should say i goes back to active only: %q", lines[len(lines)-1])
	}
	press(m, "i", "?")
	if all := strings.Join(screen(m), "\n"); !strings.Contains(all, "idle ones too / active only") {
		t.Errorf("the help should explain i:\n%s", all)
	}
}

// A process stays listed for a minute after its last I/O, then goes.
func TestActiveOnlyKeepsRecentWritersForAMinute(t *testing.T) {
	p := &samplerPane{activeOnly: true, lastActive: map[sampler.ProcKey]time.Time{}, tableH: 10}
	k := sampler.ProcKey{PID: 7, Start: 1}
	frame := func(at time.Duration, w float64) sampler.Frame {
		return sampler.Frame{Time: sceneStart.Add(at), Elapsed: time.Second,
			Processes: []sampler.ProcessRates{{Key: k, Name: "burst", WriteRate: w}, {Key: sampler.ProcKey{PID: 8}, Name: "idle"}}}
	}
	for _, c := range []struct {
		at     time.Duration
		w      float64
		listed bool
	}{{time.Second, 4096, true}, {30 * time.Second, 0, true}, {61 * time.Second, 0, true}, {62 * time.Second, 0, false}} {
		f := frame(c.at, c.w)
		p.noteActivity(f)
		p.frame = f
		p.refreshRows()
		if got := len(p.rows) == 1 && p.rows[0].Name == "burst"; got != c.listed {
			t.Errorf("at +%s the writer listed = %v, want %v (rows %v)", c.at, got, c.listed, p.rows)
		}
	}
	if len(p.lastActive) != 0 {
		t.Errorf("idle processes should be forgotten: %v", p.lastActive)
	}
}

// unreadableSource is the scene's replay with one process refused even
// with privilege (PID 1 under some kernels' hardening), as root sees it.
type unreadableSource struct{ sampler.Source }

func (u unreadableSource) Snapshot(ctx context.Context) (sampler.Snapshot, error) {
	s, err := u.Source.Snapshot(ctx)
	s.Hidden, s.Unreadable = 0, 1
	return s, err
}

func (u unreadableSource) Info() sampler.SourceInfo {
	i := u.Source.Info()
	i.Privileged = true
	return i
}

// Root sees "1 process unreadable", never "all processes visible", when
// a process refused its counters.
func TestHeaderSaysUnreadableAsRoot(t *testing.T) {
	src := unreadableSource{sampler.NewReplaySourceInfo(sceneSnapshots(4), sampler.SourceInfo{Name: "replay", WriteLabel: "storage-layer writes"})}
	e, err := sampler.NewEngine(src, sampler.Config{Interval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	m := New(Options{Sampler: e, Interval: time.Second, Host: "lab-vm"})
	m.sampling.tick = func(gen int, _ time.Duration) tea.Cmd { return func() tea.Msg { return tickMsg{gen: gen} } }
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	start(m)
	step(m, 1)
	if l := screen(m)[1]; !strings.Contains(l, "1 OS-protected process not shown") || strings.Contains(l, "all processes visible") {
		t.Errorf("header line 2: %q", l)
	}
}
