package views

import (
	"strings"
	"testing"
)

// TestTrainScreensFit: the catalogue, the scenario screen, the banner and
// the side panel never draw wider or taller than asked, with long text.
func TestTrainScreensFit(t *testing.T) {
	th := NewTheme(false)
	rows := []TrainRow{{ID: "a-very-long-scenario-identifier-indeed", Title: strings.Repeat("title ", 30), Level: 3, Progress: "85 pts 1h2m3s 3 hints", State: "lab"}}
	for i := 0; i < 30; i++ {
		rows = append(rows, TrainRow{ID: "s", Title: "t", Level: 1, Progress: "new"})
	}
	d := TrainScenarioData{ID: "proxy-4gb", Title: "Uploads", Level: 1, Story: strings.Repeat("word ", 200), Symptoms: []string{strings.Repeat("symptom ", 40)},
		Task: strings.Repeat("task ", 50), State: "running (supervisor pid 1)", Targets: [][2]string{{"cert", "/tmp/" + strings.Repeat("x", 150)}},
		Questions: []TrainQuestion{{ID: "q", Text: strings.Repeat("why ", 40), Choices: []string{strings.Repeat("choice ", 30), "b"}, Given: "a", Selected: true}},
		Message:   []string{strings.Repeat("message ", 40)}}
	for _, sz := range [][2]int{{60, 20}, {80, 24}, {200, 50}} {
		w, h := sz[0], sz[1]
		for name, out := range map[string]string{
			"catalogue": TrainCatalogue(rows, 25, []string{strings.Repeat("note ", 40)}, w, h, th),
			"scenario":  TrainScenario(d, 0, w, h, th),
			"scrolled":  TrainScenario(d, 1000, w, h, th),
			"side":      TrainSidePanel(d, 38, h, th),
			"banner":    TrainBanner(d, w, th),
		} {
			lines := strings.Split(out, "\n")
			maxH, maxW := h, w
			if name == "banner" {
				maxH = 1
			}
			if name == "side" {
				maxW = 38
			}
			if len(lines) > maxH {
				t.Errorf("%dx%d %s: %d lines", w, h, name, len(lines))
			}
			for i, l := range lines {
				if Width(l) > maxW {
					t.Errorf("%dx%d %s: line %d is %d wide", w, h, name, i, Width(l))
				}
			}
		}
		if cat := TrainCatalogue(rows, 25, nil, w, h, th); !strings.Contains(cat, "enter open") {
			t.Errorf("%dx%d catalogue lacks its keys line", w, h)
		}
	}
}
