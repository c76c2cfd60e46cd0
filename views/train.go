package views

import (
	"fmt"
	"strings"
)

// TrainRow is one scenario of the training catalogue.
type TrainRow struct {
	ID, Title string
	Level     int
	// Progress says how far the user got ("new", "passed 80 pts 4m0s 2h").
	Progress string
	// State is "lab" (a lab runs), "sim" (simulated) or "".
	State string
}

// TrainCatalogue draws the scenario catalogue: a title, one row per
// scenario (the cursor row selected), notes (scenario files that did not
// load) and the keys, fitted to w x h.
func TrainCatalogue(rows []TrainRow, cursor int, notes []string, w, h int, t Theme) string {
	var lines []string
	add, wrap := lineWriters(&lines, w, t)
	add(t.Title.Render("hvrdoctor training") + t.Muted.Render(" · break-fix scenarios on local labs"))
	add(t.Muted.Render("now: lab = its lab runs, sim = simulated · progress: best score, time, hints"))
	idW := 6
	for _, r := range rows {
		idW = max(idW, Width(r.ID))
	}
	idW = min(idW, 20)
	add(t.TableHead.Render(PadRight("scenario", idW) + "  lv  now  " + PadRight("progress", 22) + "  title"))
	top := 0
	room := max(1, h-6-len(notes))
	if cursor >= room {
		top = cursor - room + 1
	}
	for i := top; i < len(rows) && i < top+room; i++ {
		r := rows[i]
		line := PadRight(Truncate(r.ID, idW, t.Glyphs.Ellipsis), idW) + "  " + fmt.Sprintf("%-2d", r.Level) + "  " + PadRight(r.State, 3) + "  " +
			PadRight(Truncate(r.Progress, 22, t.Glyphs.Ellipsis), 22) + "  " + r.Title
		line = PadRight(Truncate(line, w, t.Glyphs.Ellipsis), w)
		if i == cursor {
			line = t.Selected.Render(line)
		}
		add(line)
	}
	for _, n := range notes {
		wrap(t.Warn.Render, "! ", "  ", n)
	}
	for len(lines) < h-1 {
		lines = append(lines, "")
	}
	lines = lines[:max(0, h-1)]
	lines = append(lines, t.Muted.Render(Truncate("↑/↓ choose · enter open · q quit", w, t.Glyphs.Ellipsis)))
	return Fit(strings.Join(lines, "\n"), w, h)
}

// TrainQuestion is one question as the scenario screen shows it.
type TrainQuestion struct {
	ID, Text string
	Choices  []string
	// Given is the learner's letter ("" unanswered); Right whether it is
	// the answer.
	Given    string
	Right    bool
	Selected bool
}

// TrainScenarioData is what the scenario screen and its side panel show.
type TrainScenarioData struct {
	ID, Title string
	Level     int
	Story     string
	Symptoms  []string
	Task      string
	// State says whether the lab runs ("lab running, pid 123"),
	// SIMULATED, or is not started.
	State     string
	Simulated bool
	Targets   [][2]string
	Questions []TrainQuestion
	// Message is the outcome of the last action (verify, hint, start).
	Message []string
	// Busy names the action in progress ("starting the lab").
	Busy string
	// Keys replaces the scenario screen's key line when set.
	Keys string
}

// reflow joins the lines of each paragraph (YAML block text keeps the
// file's line breaks) so that wrap fits them to the screen.
func reflow(s string) string {
	paras := strings.Split(strings.TrimSpace(s), "\n\n")
	for i, p := range paras {
		paras[i] = strings.Join(strings.Fields(p), " ")
	}
	return strings.Join(paras, "\n")
}

// TrainScenarioLines are the scenario screen's lines at width w: story,
// what Windows shows, the task, the lab's state and targets, the
// questions and the last message.
func TrainScenarioLines(d TrainScenarioData, w int, t Theme) []string {
	var lines []string
	add, wrap := lineWriters(&lines, w, t)
	add(t.Title.Render(d.ID) + " " + d.Title + t.Muted.Render(fmt.Sprintf(" (level %d)", d.Level)))
	if d.Simulated {
		wrap(t.Warn.Render, "", "", "SIMULATED: no lab runs here; the wizard replays recorded results and verify grades the answers only.")
	}
	add("")
	add(t.Heading.Render("Story"))
	wrap(plain, "", "", reflow(d.Story))
	add(t.Heading.Render("What Windows shows"))
	for _, s := range d.Symptoms {
		wrap(t.Warn.Render, "  ", "  ", reflow(s))
	}
	add(t.Heading.Render("Task"))
	wrap(plain, "", "", reflow(d.Task))
	add("")
	lines = append(lines, TrainLabLines(d, w, t)...)
	add("")
	add(t.Heading.Render("Questions") + t.Muted.Render(" (tab: next question, a-f: answer)"))
	for _, q := range d.Questions {
		mark := "  "
		if q.Selected {
			mark = "> "
		}
		state := ""
		switch {
		case q.Given != "" && q.Right:
			state = t.Pass.Render(" [" + q.Given + ": right]")
		case q.Given != "":
			state = t.Error.Render(" [" + q.Given + ": not right]")
		}
		wrap(plain, mark+q.ID+": ", "    ", reflow(q.Text)+state)
		for i, c := range q.Choices {
			wrap(plain, fmt.Sprintf("    %c) ", 'a'+i), "       ", c)
		}
	}
	if d.Busy != "" || len(d.Message) > 0 {
		add("")
	}
	if d.Busy != "" {
		add(t.Warn.Render(d.Busy + "..."))
	}
	for _, m := range d.Message {
		wrap(plain, "", "  ", m)
	}
	return lines
}

// TrainLabLines are the lab's state and targets.
func TrainLabLines(d TrainScenarioData, w int, t Theme) []string {
	var lines []string
	add, _ := lineWriters(&lines, w, t)
	add(t.Heading.Render("Lab") + " " + d.State)
	for _, kv := range d.Targets {
		add("  " + t.Label.Render(PadRight(kv[0], 10)) + " " + kv[1])
	}
	return lines
}

// TrainScenario draws the scenario screen scrolled to offset, fitted to
// w x h, with the keys on the last line.
func TrainScenario(d TrainScenarioData, offset, w, h int, t Theme) string {
	lines := TrainScenarioLines(d, w, t)
	body := max(1, h-1)
	offset = min(max(0, offset), max(0, len(lines)-body))
	lines = lines[offset:]
	if len(lines) > body {
		lines = lines[:body]
	}
	for len(lines) < body {
		lines = append(lines, "")
	}
	keys := "s start · w wizard+sampler · h hint · v verify · r reset · x stop · esc back"
	if d.Simulated {
		keys = "w wizard (simulated) · h hint · v verify · x stop · esc back"
	}
	if d.Keys != "" {
		keys = d.Keys
	}
	lines = append(lines, t.Muted.Render(Truncate(keys, w, t.Glyphs.Ellipsis)))
	return Fit(strings.Join(lines, "\n"), w, h)
}

// TrainBanner is the one line above the real tool on a narrow screen:
// the scenario, its task and the keys back to it.
func TrainBanner(d TrainScenarioData, w int, t Theme) string {
	label := "TRAINING "
	if d.Simulated {
		label = "SIMULATED "
	}
	s := t.Warn.Render(label) + t.Title.Render(d.ID) + t.Muted.Render(" · ctrl+t story · ctrl+o back · ") + strings.TrimSpace(strings.SplitN(d.Task, "\n", 2)[0])
	return PadRight(Truncate(s, w, t.Glyphs.Ellipsis), w)
}

// TrainSidePanel is the scenario beside the real tool on a wide screen:
// the task, the lab and the questions' state, fitted to w x h.
func TrainSidePanel(d TrainScenarioData, w, h int, t Theme) string {
	var lines []string
	add, wrap := lineWriters(&lines, w, t)
	label := "TRAINING"
	if d.Simulated {
		label = "SIMULATED"
	}
	add(t.Warn.Render(label) + " " + t.Title.Render(d.ID))
	wrap(plain, "", "", d.Title)
	add("")
	add(t.Heading.Render("Task"))
	wrap(plain, "", "", reflow(d.Task))
	add("")
	lines = append(lines, TrainLabLines(d, w, t)...)
	add("")
	for _, q := range d.Questions {
		state := "unanswered"
		if q.Given != "" && q.Right {
			state = "right"
		} else if q.Given != "" {
			state = "not right"
		}
		add(q.ID + ": " + state)
	}
	for _, m := range d.Message {
		wrap(plain, "", "  ", m)
	}
	for len(lines) < h-1 {
		lines = append(lines, "")
	}
	lines = lines[:max(0, h-1)]
	lines = append(lines, t.Muted.Render(Truncate("ctrl+t story · ctrl+o back", w, t.Glyphs.Ellipsis)))
	return Fit(strings.Join(lines, "\n"), w, h)
}
