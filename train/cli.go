package train

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"time"
)

// Exit codes of the train commands (the same as every hvrdoctor command).
const (
	ExitOK    = 0
	ExitFail  = 1
	ExitUsage = 2
)

// Usage lists the train subcommands.
const Usage = `Usage:
  hvrdoctor train                         open the scenario catalogue (terminal UI)
  hvrdoctor train list [--format json]    one scenario per line: id, level, progress, title
  hvrdoctor train show ID                 the story, task and questions
  hvrdoctor train start ID [--simulated] [--format json]
                                          start the lab in the background; print the targets
  hvrdoctor train answer ID QUESTION LETTER
                                          answer a question (graded at once)
  hvrdoctor train hint ID                 the next hint (the last gives the fix commands)
  hvrdoctor train verify ID [--answers Q=L,Q=L] [--format json]
                                          exit 0 when the lab is fixed and the answers right
  hvrdoctor train reset ID                put the lab back in its broken state
  hvrdoctor train stop ID                 stop the lab and remove its files
`

// NewTrainer loads the catalogue for the default per-user directories;
// errs are the user scenario files that did not load (one line each).
func NewTrainer() (*Trainer, []error, error) {
	dirs, err := DefaultDirs()
	if err != nil {
		return nil, nil, err
	}
	cat, errs := LoadCatalogue(dirs.Scenarios)
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	return &Trainer{Dirs: dirs, Cat: cat, Supervisor: func(id string) *exec.Cmd {
		return exec.Command(exe, "train", "_lab", id)
	}}, errs, nil
}

// Main runs `hvrdoctor train SUBCOMMAND ...` (args without "train") and
// returns the exit code.
func (t *Trainer) Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, Usage)
		return ExitOK
	}
	cmd, rest := args[0], args[1:]
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "hvrdoctor train %s: %s\n", cmd, fmt.Sprintf(format, a...))
		return ExitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "hvrdoctor train %s: %s\n", cmd, oneLine(err.Error()))
		return ExitFail
	}
	fs := flag.NewFlagSet("train "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "output: text or json")
	simulated := fs.Bool("simulated", false, "run without a lab: recorded results, answers graded only")
	answers := fs.String("answers", "", "answers to record before verifying: QUESTION=LETTER,...")
	// Flags may come before or after the scenario ID.
	var pos []string
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			return usageErr("%v; run 'hvrdoctor train help'", err)
		}
		rest = fs.Args()
		if len(rest) > 0 {
			pos = append(pos, rest[0])
			rest = rest[1:]
		}
	}
	if *format != "text" && *format != "json" {
		return usageErr("--format %q: give text or json", *format)
	}
	need := map[string]int{"_writer": 1, "_pager": 1, "list": 0, "show": 1, "start": 1, "answer": 3, "hint": 1, "verify": 1, "reset": 1, "stop": 1, "_lab": 1}
	n, ok := need[cmd]
	if !ok {
		return usageErr("unknown subcommand; run 'hvrdoctor train help'")
	}
	if len(pos) != n {
		return usageErr("takes %d argument(s), got %d; run 'hvrdoctor train help'", n, len(pos))
	}
	if cmd == "list" {
		return t.list(stdout, *format, stderr)
	}
	if cmd == "_lab" {
		return RunSupervisor(t.Dirs, pos[0])
	}
	if cmd == "_writer" {
		return RunWriter(pos[0])
	}
	if cmd == "_pager" {
		return RunPager(pos[0])
	}
	sc, err := t.Cat.Find(pos[0])
	if err != nil {
		return usageErr("%v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	switch cmd {
	case "show":
		writeScenario(stdout, sc)
		return ExitOK
	case "start":
		sim := *simulated
		if !sim {
			if why := Available(sc); why != nil {
				fmt.Fprintf(stderr, "hvrdoctor train start: the lab cannot run here (%s); starting SIMULATED\n", oneLine(why.Error()))
				sim = true
			}
		}
		st, err := t.Start(ctx, sc, sim)
		if err != nil {
			return fail(err)
		}
		if *format == "json" {
			return writeJSONTo(stdout, startJSON(sc, st))
		}
		writeStart(stdout, sc, st)
		return ExitOK
	case "answer":
		r, err := t.Answer(sc, pos[1], pos[2])
		if err != nil {
			return fail(err)
		}
		if r.Right {
			fmt.Fprintf(stdout, "%s: right. %s\n", pos[1], strings.TrimSpace(r.Explain))
			return ExitOK
		}
		fmt.Fprintf(stdout, "%s: not right; look again with the wizard or sampler (a wrong answer costs 5 points).\n", pos[1])
		return ExitFail
	case "hint":
		h, err := t.NextHint(sc)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "Hint %d of %d (each costs 10 points):\n%s\n", h.Level, h.Levels, indent(strings.TrimSpace(h.Text), "  "))
		if len(h.Fix) > 0 {
			fmt.Fprintln(stdout, "Fix the lab with:")
			for _, c := range h.Fix {
				fmt.Fprintln(stdout, indent(c, "  "))
			}
		}
		return ExitOK
	case "verify":
		if *answers != "" {
			for _, a := range strings.Split(*answers, ",") {
				q, l, ok := strings.Cut(a, "=")
				if !ok {
					return usageErr("--answers %q: give QUESTION=LETTER pairs separated by commas", a)
				}
				if _, err := t.Answer(sc, strings.TrimSpace(q), l); err != nil {
					return fail(err)
				}
			}
		}
		v, err := t.Verify(ctx, sc)
		if err != nil {
			return fail(err)
		}
		if *format == "json" {
			writeJSONTo(stdout, v)
		} else {
			writeVerdict(stdout, sc, v)
		}
		if v.Passed {
			return ExitOK
		}
		return ExitFail
	case "reset":
		st, err := t.Reset(pos[0])
		if err != nil {
			return fail(err)
		}
		if st.Simulated {
			fmt.Fprintf(stdout, "%s runs simulated: there is no lab to reset.\n", sc.ID)
			return ExitOK
		}
		fmt.Fprintf(stdout, "%s: the lab is broken again (the wizard shows the fault); answers and hints are kept.\n", sc.ID)
		return ExitOK
	case "stop":
		st, _ := t.Running(pos[0])
		if err := t.Stop(pos[0]); err != nil {
			return fail(err)
		}
		if st != nil && st.Simulated {
			fmt.Fprintf(stdout, "%s: simulated run stopped, its files removed.\n", sc.ID)
			return ExitOK
		}
		fmt.Fprintf(stdout, "%s: lab stopped, its processes ended and its files removed.\n", sc.ID)
		return ExitOK
	}
	return ExitUsage
}

// ProgressLine says in a few words how far the user got with a scenario.
func ProgressLine(r Record) string {
	switch {
	case r.Passed && r.Simulated:
		return fmt.Sprintf("%d pts simulated", r.BestScore)
	case r.Passed:
		return fmt.Sprintf("%d pts %s %d hint%s", r.BestScore, time.Duration(r.Seconds)*time.Second, r.Hints, plural(r.Hints))
	case r.Attempts > 0:
		return fmt.Sprintf("tried %dx", r.Attempts)
	}
	return "new"
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (t *Trainer) list(stdout io.Writer, format string, stderr io.Writer) int {
	prog, err := LoadProgress(t.Dirs.Progress)
	if err != nil {
		fmt.Fprintf(stderr, "hvrdoctor train list: %s\n", err)
		prog = Progress{}
	}
	if format == "json" {
		type row struct {
			ID       string `json:"id"`
			Title    string `json:"title"`
			Level    int    `json:"level"`
			Lab      string `json:"lab"`
			Source   string `json:"source"`
			Progress Record `json:"progress"`
		}
		rows := []row{}
		for _, s := range t.Cat.Scenarios {
			rows = append(rows, row{s.ID, s.Title, s.Level, s.Lab, s.Source, prog[s.ID]})
		}
		return writeJSONTo(stdout, rows)
	}
	for _, s := range t.Cat.Scenarios {
		fmt.Fprintf(stdout, "%-22s level %d  %-28s %s\n", s.ID, s.Level, ProgressLine(prog[s.ID]), s.Title)
	}
	return ExitOK
}

func writeScenario(w io.Writer, sc *Scenario) {
	fmt.Fprintf(w, "%s: %s (level %d)\n\nStory:\n%s\n\nWhat Windows shows:\n", sc.ID, sc.Title, sc.Level, indent(strings.TrimSpace(sc.Story), "  "))
	for _, s := range sc.Symptoms {
		fmt.Fprintln(w, indent(strings.TrimSpace(s), "  "))
	}
	fmt.Fprintf(w, "\nTask:\n%s\n\nQuestions (hvrdoctor train answer %s QUESTION LETTER):\n", indent(strings.TrimSpace(sc.Task), "  "), sc.ID)
	for _, q := range sc.Questions {
		fmt.Fprintf(w, "  %s: %s\n", q.ID, strings.TrimSpace(q.Text))
		for i, c := range q.Choices {
			fmt.Fprintf(w, "    %s) %s\n", ChoiceLetter(i), c)
		}
	}
}

func writeStart(w io.Writer, sc *Scenario, st *State) {
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
	for _, kv := range targetRows(st.Targets) {
		fmt.Fprintf(w, "  %-10s %s\n", kv[0], kv[1])
	}
	args := strings.Join(quoteArgs(st.Targets.Args()), " ")
	fmt.Fprintf(w, "\nFind the fault with the real tool:\n  hvrdoctor check %s\n  hvrdoctor ui %s\n", args, args)
	fmt.Fprintf(w, "\nThen: hvrdoctor train verify %[1]s   (hint: hvrdoctor train hint %[1]s; stop: hvrdoctor train stop %[1]s)\n", sc.ID)
}

// targetRows are the targets as name/value rows, in the order the
// wizard's form has them.
func targetRows(t Targets) [][2]string {
	var out [][2]string
	add := func(k, v string) {
		if v != "" {
			out = append(out, [2]string{k, v})
		}
	}
	add("replica", t.Replica)
	if t.Port != 0 {
		add("port", fmt.Sprint(t.Port))
	}
	add("auth", t.Auth)
	add("proxy", t.Proxy)
	add("kdc", t.KDC)
	add("realm", t.Realm)
	add("principal", t.Principal)
	add("keytab", t.Keytab)
	add("cert", t.Cert)
	add("ca", t.CA)
	add("cert-name", t.CertName)
	add("ldap", t.LDAP)
	return out
}

// TargetRows are the targets as name/value rows for screens.
func TargetRows(t Targets) [][2]string { return targetRows(t) }

func startJSON(sc *Scenario, st *State) any {
	return struct {
		ID        string          `json:"id"`
		Title     string          `json:"title"`
		Simulated bool            `json:"simulated"`
		PID       int             `json:"supervisor_pid,omitempty"`
		Dir       string          `json:"dir,omitempty"`
		Targets   Targets         `json:"targets"`
		Args      []string        `json:"check_args,omitempty"`
		Recorded  []SimulatedStep `json:"recorded,omitempty"`
	}{sc.ID, sc.Title, st.Simulated, st.SupervisorPID, st.Dir, st.Targets, argsIf(!st.Simulated, st.Targets), recordedIf(st.Simulated, sc)}
}

func argsIf(b bool, t Targets) []string {
	if b {
		return t.Args()
	}
	return nil
}

func recordedIf(b bool, sc *Scenario) []SimulatedStep {
	if b {
		return sc.Simulated
	}
	return nil
}

func writeVerdict(w io.Writer, sc *Scenario, v Verdict) {
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

func writeJSONTo(w io.Writer, v any) int {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return ExitFail
	}
	return ExitOK
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
