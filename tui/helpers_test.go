package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/views"
)

const mib = 1 << 20

// replayProc is one process of the recorded test scene and its constant
// rates in bytes per second.
type replayProc struct {
	pid          int32
	name, cmd    string
	write, read  uint64
	initialWrite uint64
}

// testScene is a guest where SQL Server writes the most, a backup agent
// next, Defender reads a lot, a service host trickles, and 40 processes are
// idle; 37 processes could not be read.
var testScene = func() []replayProc {
	ps := []replayProc{
		{pid: 4242, name: "sqlservr.exe", cmd: `"C:\Program Files\Microsoft SQL Server\MSSQL\Binn\sqlservr.exe" -sMSSQLSERVER`, write: 50 * mib, read: 2 * mib, initialWrite: 9 << 30},
		{pid: 3100, name: "VeeamAgent.exe", cmd: `"C:\Program Files\Veeam\Endpoint Backup\VeeamAgent.exe"`, write: 20 * mib},
		{pid: 812, name: "MsMpEng.exe", write: 1 * mib, read: 30 * mib},
		{pid: 900, name: "svchost.exe", cmd: `C:\Windows\system32\svchost.exe -k netsvcs`, write: 256 << 10},
	}
	for i := 0; i < 40; i++ {
		ps = append(ps, replayProc{pid: int32(2000 + i), name: fmt.Sprintf("idle-%02d.exe", i)})
	}
	return ps
}()

// sceneStart is the time of the first snapshot: fixed, so goldens are stable.
var sceneStart = time.Date(2026, 11, 24, 14, 30, 0, 0, time.UTC)

// sceneSnapshots records n snapshots of testScene one second apart.
func sceneSnapshots(n int) []sampler.Snapshot {
	snaps := make([]sampler.Snapshot, n)
	for i := range snaps {
		s := sampler.Snapshot{Time: sceneStart.Add(time.Duration(i) * time.Second), Hidden: 37}
		var disk uint64
		for _, p := range testScene {
			w := p.initialWrite + p.write*uint64(i)
			disk += p.write * uint64(i)
			s.Processes = append(s.Processes, sampler.ProcessCounters{
				Key: sampler.ProcKey{PID: p.pid, Start: 100}, Name: p.name, Cmdline: p.cmd, User: "LAB\\svc-sql",
				WriteBytes: w, ReadBytes: p.read * uint64(i), LogicalWriteBytes: w,
			})
		}
		s.Disks = []sampler.DiskCounters{{Name: "sda", WriteBytes: disk}}
		snaps[i] = s
	}
	return snaps
}

// sceneEngine is the real sampler engine over a replay of n snapshots.
func sceneEngine(t testing.TB, n int) *sampler.Engine {
	t.Helper()
	src := sampler.NewReplaySourceInfo(sceneSnapshots(n), sampler.SourceInfo{Name: "replay", WriteLabel: "storage-layer writes"})
	e, err := sampler.NewEngine(src, sampler.Config{Interval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// newSceneModel is a root model over the scene at w x h.
func newSceneModel(t testing.TB, n, w, h int, ascii bool) (*Model, *sampler.Engine) {
	t.Helper()
	e := sceneEngine(t, n)
	mode := views.Braille
	if ascii {
		mode = views.ASCII
	}
	m := New(Options{Sampler: e, Interval: time.Second, Host: "lab-vm", ASCII: ascii, Mode: mode})
	// Timers fire when the test says so (step), never by the wall clock.
	m.sampling.tick = func(gen int, _ time.Duration) tea.Cmd { return func() tea.Msg { return tickMsg{gen: gen} } }
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m, e
}

// run executes cmd and feeds what it returns back into m, the way the
// program would, except ticks: sampling is driven by step.
func run(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			run(m, c)
		}
	case tickMsg:
		// A timer fired: the test drives ticks itself.
	case nil:
	default:
		_, next := m.Update(msg)
		if _, isSample := msg.(sampleMsg); !isSample {
			run(m, next)
		}
	}
}

// start takes the baseline sample; step takes n more, as n ticks would.
func start(m *Model) { run(m, m.Init()) }

func step(m *Model, n int) {
	for i := 0; i < n; i++ {
		_, cmd := m.Update(tickMsg{gen: m.sampling.gen})
		run(m, cmd)
	}
}

// press sends keys to m: single characters, or names like "enter", "esc".
// The commands keys return (cursor blinks, history reads) are not run; tests
// that need them call m.Update and run themselves.
func press(m *Model, keys ...string) {
	for _, k := range keys {
		m.Update(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// screen is m's view without styles, as lines.
func screen(m *Model) []string {
	return strings.Split(ansi.Strip(m.View().Content), "\n")
}

// checkFits fails when the view is not exactly h lines of at most w cells.
func checkFits(t *testing.T, m *Model, w, h int) {
	t.Helper()
	lines := strings.Split(m.View().Content, "\n")
	if w > 0 && h > 0 && len(lines) != h {
		t.Fatalf("at %dx%d the view has %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Fatalf("at %dx%d line %d is %d cells wide: %q", w, h, i, lw, ansi.Strip(l))
		}
	}
}

// rowOf is the index of the first table line holding s, or -1.
func rowOf(lines []string, s string) int {
	for i, l := range lines {
		if strings.Contains(l, s) {
			return i
		}
	}
	return -1
}

// firstRow is the first line under the table's column titles.
func firstRow(t *testing.T, lines []string) string {
	t.Helper()
	i := rowOf(lines, " Image")
	if i < 0 || i+1 >= len(lines) {
		t.Fatalf("no table on screen:\n%s", strings.Join(lines, "\n"))
	}
	return lines[i+1]
}
