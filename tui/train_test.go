package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/train"
)

// trainDrive feeds a message to the training program and runs the
// commands it returns (one level of batches), as the runtime would,
// except the tool's own ticks.
func trainDrive(m *TrainModel, msg tea.Msg) {
	_, cmd := m.Update(msg)
	trainRun(m, cmd, 0)
}

// trainRun runs cmd and feeds its messages back, a few levels deep (the
// replay has no timer, so this ends).
func trainRun(m *TrainModel, cmd tea.Cmd, depth int) {
	if cmd == nil || depth > 6 {
		return
	}
	switch out := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range out {
			trainRun(m, c, depth+1)
		}
	default:
		_, next := m.Update(out)
		trainRun(m, next, depth+1)
	}
}

func trainKeys(m *TrainModel, keys ...string) {
	for _, k := range keys {
		trainDrive(m, keyMsg(k))
	}
}

// TestTrainSimulatedScreens: without a lab, the catalogue opens a churn
// scenario in the simulated mode, w replays the synthetic recording of
// its writer through the sampler's screens under a SIMULATED banner, and
// stop removes the recording.
func TestTrainSimulatedScreens(t *testing.T) {
	base := testutil.TempDir(t)
	dirs := train.Dirs{Scenarios: base + "/scenarios", Progress: base + "/progress.json", State: base + "/state"}
	cat, errs := train.LoadCatalogue(dirs.Scenarios)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	tr := &train.Trainer{Dirs: dirs, Cat: cat}
	m := NewTrain(TrainOptions{Trainer: tr})
	trainDrive(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if v := ansi.Strip(m.View().Content); !strings.Contains(v, "sql-spike") || !strings.Contains(v, "new") {
		t.Fatalf("catalogue:\n%s", v)
	}
	for i, sc := range cat.Scenarios {
		if sc.ID == "sql-spike" {
			for j := 0; j < i; j++ {
				trainKeys(m, "down")
			}
		}
	}
	trainKeys(m, "enter", "S")
	v := ansi.Strip(m.View().Content)
	if !strings.Contains(v, "SIMULATED") {
		t.Fatalf("after S:\n%s", v)
	}
	st, err := tr.Running("sql-spike")
	if err != nil || !st.Simulated || st.Vars["recording"] == "" {
		t.Fatalf("state %+v %v", st, err)
	}
	trainKeys(m, "w")
	v = ansi.Strip(m.View().Content)
	if !strings.Contains(v, "SIMULATED sql-spike") || !strings.Contains(v, "sample 1 of 300") || !strings.Contains(v, "sqlservr") {
		t.Fatalf("simulated replay:\n%s", v)
	}
	for i, l := range strings.Split(v, "\n") {
		if Width := len([]rune(l)); Width > 80 || i >= 24 {
			t.Fatalf("line %d is %d wide (or past row 24):\n%s", i, Width, v)
		}
	}
	trainKeys(m, "ctrl+o", "b")
	if v := ansi.Strip(m.View().Content); !strings.Contains(v, "process: not right") {
		// b answers the first question (process: a is right).
		t.Fatalf("answer:\n%s", v)
	}
	trainKeys(m, "x")
	if _, err := tr.Running("sql-spike"); err == nil {
		t.Error("still started after x")
	}
	if v := ansi.Strip(m.View().Content); !strings.Contains(v, "Simulated run stopped") {
		t.Errorf("after x:\n%s", v)
	}
}

func TestTrainToolMouseShift(t *testing.T) {
	m := &TrainModel{w: 80, h: 24}
	got, ok := m.toolMouse(tea.MouseClickMsg(tea.Mouse{X: 5, Y: 3}))
	if c, isClick := got.(tea.MouseClickMsg); !ok || !isClick || c.X != 5 || c.Y != 2 {
		t.Errorf("under the banner: %#v %v, want a click at 5,2", got, ok)
	}
	if _, ok := m.toolMouse(tea.MouseClickMsg(tea.Mouse{X: 5, Y: 0})); ok {
		t.Error("a click on the banner reached the tool")
	}
	m.w = 200
	got, ok = m.toolMouse(tea.MouseWheelMsg(tea.Mouse{X: 50, Y: 3}))
	if c, isWheel := got.(tea.MouseWheelMsg); !ok || !isWheel || c.X != 50-sidePanelWidth-1 || c.Y != 3 {
		t.Errorf("beside the panel: %#v %v", got, ok)
	}
	if _, ok := m.toolMouse(tea.MouseClickMsg(tea.Mouse{X: 10, Y: 3})); ok {
		t.Error("a click on the side panel reached the tool")
	}
}
