package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/train"
)

// writeList prints the catalogue, one scenario a line: id, level, how far
// the user got, title.
func writeList(w io.Writer, cat *train.Catalogue, prog train.Progress) {
	for _, s := range cat.Scenarios {
		fmt.Fprintf(w, "%-22s level %d  %-28s %s\n", s.ID, s.Level, train.ProgressLine(prog[s.ID]), s.Title)
	}
}

// listJSON is the catalogue as train list --format json prints it.
func listJSON(cat *train.Catalogue, prog train.Progress) any {
	type row struct {
		ID       string       `json:"id"`
		Title    string       `json:"title"`
		Level    int          `json:"level"`
		Lab      string       `json:"lab"`
		Source   string       `json:"source"`
		Progress train.Record `json:"progress"`
	}
	rows := []row{}
	for _, s := range cat.Scenarios {
		rows = append(rows, row{s.ID, s.Title, s.Level, s.Lab, s.Source, prog[s.ID]})
	}
	return rows
}

// writeScenario prints what train show prints: story, symptoms, task and
// questions.
func writeScenario(w io.Writer, sc *train.Scenario) {
	fmt.Fprintf(w, "%s: %s (level %d)\n\nStory:\n%s\n\nWhat Windows shows:\n", sc.ID, sc.Title, sc.Level, indent(strings.TrimSpace(sc.Story), "  "))
	for _, s := range sc.Symptoms {
		fmt.Fprintln(w, indent(strings.TrimSpace(s), "  "))
	}
	fmt.Fprintf(w, "\nTask:\n%s\n\nQuestions (hvrdoctor train answer %s QUESTION LETTER):\n", indent(strings.TrimSpace(sc.Task), "  "), sc.ID)
	for _, q := range sc.Questions {
		fmt.Fprintf(w, "  %s: %s\n", q.ID, strings.TrimSpace(q.Text))
		for i, c := range q.Choices {
			fmt.Fprintf(w, "    %s) %s\n", train.ChoiceLetter(i), c)
		}
	}
}

// writeStart prints the scenario, then how to reach the started lab (or
// what the simulated mode shows instead).
func writeStart(w io.Writer, sc *train.Scenario, st *train.State) {
	writeScenario(w, sc)
	fmt.Fprintln(w)
	if st.Simulated && st.Vars["recording"] != "" {
		fmt.Fprintf(w, "SIMULATED: no writer runs here. A synthetic recording of the lab's writer (five minutes, the lab's rates) is in %s:\n  hvrdoctor analyze %s\nopens the sampler's screens on it (in hvrdoctor train, w does the same). Verify grades the answers only.\n",
			st.Vars["recording"], quoteArgs([]string{st.Vars["recording"]})[0])
		return
	}
	if st.Simulated {
		fmt.Fprintln(w, "SIMULATED: no lab runs; these are the recorded results of the wizard's steps:")
		for _, s := range sc.Simulated {
			fmt.Fprintf(w, "  [%s] %s: %s\n", strings.ToUpper(s.Status), s.Step, strings.TrimSpace(s.Summary))
		}
		fmt.Fprintf(w, "\nIn the simulated mode verify grades the answers only.\n")
		return
	}
	fmt.Fprintf(w, "Lab running in the background (supervisor pid %d, files in %s).\n", st.SupervisorPID, st.Dir)
	if st.Targets.Replica == "" {
		fmt.Fprintf(w, "\nFind the writer with the real tool:\n  hvrdoctor ui       (Processes tab; Files tab for the file)\n")
		fmt.Fprintf(w, "\nThen: hvrdoctor train verify %[1]s   (hint: hvrdoctor train hint %[1]s; stop: hvrdoctor train stop %[1]s)\n", sc.ID)
		return
	}
	fmt.Fprintln(w, "Targets:")
	for _, kv := range train.TargetRows(st.Targets) {
		fmt.Fprintf(w, "  %-10s %s\n", kv[0], kv[1])
	}
	args := strings.Join(quoteArgs(st.Targets.Args()), " ")
	fmt.Fprintf(w, "\nFind the fault with the real tool:\n  hvrdoctor check %s\n  hvrdoctor ui %s\n", args, args)
	fmt.Fprintf(w, "\nThen: hvrdoctor train verify %[1]s   (hint: hvrdoctor train hint %[1]s; stop: hvrdoctor train stop %[1]s)\n", sc.ID)
}

// startJSON is the started lab as train start --format json prints it.
func startJSON(sc *train.Scenario, st *train.State) any {
	var args []string
	var recorded []train.SimulatedStep
	if st.Simulated {
		recorded = sc.Simulated
	} else {
		args = st.Targets.Args()
	}
	return struct {
		ID        string                `json:"id"`
		Title     string                `json:"title"`
		Simulated bool                  `json:"simulated"`
		PID       int                   `json:"supervisor_pid,omitempty"`
		Dir       string                `json:"dir,omitempty"`
		Targets   train.Targets         `json:"targets"`
		Args      []string              `json:"check_args,omitempty"`
		Recorded  []train.SimulatedStep `json:"recorded,omitempty"`
	}{sc.ID, sc.Title, st.Simulated, st.SupervisorPID, st.Dir, st.Targets, args, recorded}
}

// writeHint prints a revealed hint level, with the fix commands at the
// last.
func writeHint(w io.Writer, h train.Hint) {
	fmt.Fprintf(w, "Hint %d of %d (each costs 10 points):\n%s\n", h.Level, h.Levels, indent(strings.TrimSpace(h.Text), "  "))
	if len(h.Fix) > 0 {
		fmt.Fprintln(w, "Fix the lab with:")
		for _, c := range h.Fix {
			fmt.Fprintln(w, indent(c, "  "))
		}
	}
}

// writeVerdict prints verify's verdict: the pass with its score, or what
// is still wrong.
func writeVerdict(w io.Writer, sc *train.Scenario, v train.Verdict) {
	if v.Passed {
		sim := ""
		if v.Simulated {
			sim = " (simulated: answers graded, no lab checked)"
		}
		fmt.Fprintf(w, "PASS %s%s: score %d (%d hint levels), %s.\n", sc.ID, sim, v.Score, v.Hints, time.Duration(v.Seconds)*time.Second)
		return
	}
	fmt.Fprintf(w, "NOT YET %s:\n", sc.ID)
	if v.Simulated {
		fmt.Fprintln(w, "  (simulated: the lab is not checked)")
	}
	for _, p := range v.Lab {
		fmt.Fprintf(w, "  lab: %s\n", p)
	}
	for _, q := range v.Questions {
		fmt.Fprintf(w, "  question %s: not answered right yet (hvrdoctor train answer %s %s LETTER)\n", q, sc.ID, q)
	}
}

// writeTrainJSON prints v as indented JSON.
func writeTrainJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write the JSON output: %w", err)
	}
	return nil
}

func indent(s, pre string) string {
	return pre + strings.ReplaceAll(s, "\n", "\n"+pre)
}

// quoteArgs quotes arguments where needed: for a POSIX shell, or on
// Windows in double quotes (which cmd.exe and PowerShell both take).
func quoteArgs(a []string) []string {
	out := make([]string, len(a))
	for i, s := range a {
		if runtime.GOOS == "windows" {
			if s == "" || strings.ContainsAny(s, " &|<>()^%\"'`$;,") {
				out[i] = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
			} else {
				out[i] = s
			}
			continue
		}
		if s == "" || strings.ContainsAny(s, " '\"$\\*?&;|<>()") {
			out[i] = "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		} else {
			out[i] = s
		}
	}
	return out
}
