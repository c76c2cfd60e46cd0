package tui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
	"time"
)

// Pause and the interval are the program's, not the Processes tab's: p
// and + act from every tab, and the frozen frame is the one every tab
// shows.
func TestPauseAndIntervalKeysWorkOnEveryTab(t *testing.T) {
	m, e := newSceneModel(t, 10, 80, 24, false)
	start(m)
	step(m, 2)
	for _, tab := range []string{"3", "4"} { // Report, Churn
		press(m, tab, "p")
		if l := screen(m)[0]; !strings.Contains(l, "PAUSED") {
			t.Fatalf("tab %s: p should pause the screen: %q", tab, l)
		}
		frozen := m.sampling.shown.frame.Time
		step(m, 1)
		if !m.sampling.shown.frame.Time.Equal(frozen) || m.sampler.frame.Time != frozen {
			t.Errorf("tab %s: the frame on screen moved while paused", tab)
		}
		press(m, "space")
		if l := screen(m)[0]; strings.Contains(l, "PAUSED") || m.sampler.frame.Time.Equal(frozen) {
			t.Errorf("tab %s: space should resume with the latest frame: %q", tab, l)
		}
	}
	_, cmd := m.Update(keyMsg("+"))
	run(m, cmd)
	if m.sampling.interval != 2*time.Second || e.Interval() != 2*time.Second {
		t.Errorf("+ on the Churn tab: screen %s, engine %s; want 2s", m.sampling.interval, e.Interval())
	}
	if all := strings.Join(screen(m), "\n"); !strings.Contains(all, "every 2s") || !strings.Contains(all, "interval 2s") {
		t.Errorf("the header should say the new interval:\n%s", all)
	}
}

// One status line: a message set by a pane and one set by the root
// replace each other, latest first, and go after their number of samples.
func TestOneStatusLine(t *testing.T) {
	m, _ := newSceneModel(t, 20, 80, 24, false)
	start(m)
	step(m, 1)
	m.setStatus("report saved: ./r.md")
	press(m, "s") // the Processes tab's "sorted by ..."
	if l := screen(m)[1]; !strings.Contains(l, "sorted by") || strings.Contains(l, "report saved") {
		t.Errorf("the latest message should show alone: %q", l)
	}
	step(m, statusBrief)
	if l := screen(m)[1]; strings.Contains(l, "sorted by") {
		t.Errorf("a key's echo should go after %d samples: %q", statusBrief, l)
	}
}

// No pane type holds another pane type: panes ask each other for things
// through the root, by message.
func TestNoPaneHoldsAnotherPane(t *testing.T) {
	fset := token.NewFileSet()
	ents, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	structs := map[string]*ast.StructType{}
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if ts, ok := n.(*ast.TypeSpec); ok {
				if st, ok := ts.Type.(*ast.StructType); ok {
					structs[ts.Name.Name] = st
				}
			}
			return true
		})
	}
	isPane := func(name string) bool { return strings.HasSuffix(name, "Pane") && structs[name] != nil }
	n := 0
	for name, st := range structs {
		if !isPane(name) {
			continue
		}
		n++
		ast.Inspect(st, func(x ast.Node) bool {
			if id, ok := x.(*ast.Ident); ok && id.Name != name && isPane(id.Name) {
				t.Errorf("%s refers to %s at %s", name, id.Name, fset.Position(id.Pos()))
			}
			return true
		})
	}
	if n < 5 {
		t.Fatalf("found %d pane types; the test no longer sees them", n)
	}
}
