package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/train"
	"github.com/hvrdoctor/hvrdoctor/tui"
)

// trainUsage lists the train subcommands.
const trainUsage = `Usage:
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

// trainArgs is how many arguments each train subcommand takes. _lab,
// _writer and _pager are not for users: train starts this program with
// them as a lab's supervisor, a churn lab's writer and the page-file
// lab's memory user.
var trainArgs = map[string]int{"list": 0, "show": 1, "start": 1, "answer": 3, "hint": 1, "verify": 1, "reset": 1, "stop": 1, "_lab": 1, "_writer": 1, "_pager": 1}

// runTrain wires `hvrdoctor train`: the catalogue screen without
// arguments, else a subcommand (list, start, verify...), whose name joins
// the prefix of the lines it prints on stderr ("hvrdoctor train start: ").
func runTrain(env *Env, args []string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprint(env.Stdout, trainUsage)
		return errHelp
	}
	if len(args) == 2 && args[0] == "_writer" {
		// A churn lab's writer: it needs neither the catalogue nor the
		// per-user directories; its messages go to the lab's log.
		return exitStatus(train.RunWriter(args[1]))
	}
	if len(args) == 2 && args[0] == "_pager" {
		// The page-file lab's memory user, likewise.
		return exitStatus(train.RunPager(args[1]))
	}
	t, errs, err := env.OpenTrainer()
	if err != nil {
		return err
	}
	for _, e := range errs {
		env.notef("scenario skipped: %v", e)
	}
	if len(args) > 0 {
		return runTrainSub(env, t, args[0], args[1:])
	}
	notes := make([]string, len(errs))
	for i, e := range errs {
		notes[i] = e.Error()
	}
	ascii, mode := tui.DetectDisplayHere(env.Getenv)
	openFiles := func() (tui.FileSource, string, func()) {
		src, note, err := openUIFiles(env, filesFlags{mode: filesAuto})
		if err != nil {
			return nil, err.Error(), func() {}
		}
		if src == nil {
			return nil, note, func() {}
		}
		return uiFileSource(src), note, func() { src.Close() }
	}
	if _, err := tea.NewProgram(tui.NewTrain(tui.TrainOptions{Trainer: t, Notes: notes, ASCII: ascii, Mode: mode, OpenFiles: openFiles})).Run(); err != nil {
		return fmt.Errorf("terminal UI: %w", err)
	}
	return nil
}

// exitStatus passes on the exit status of a hidden entry point (a lab's
// supervisor or writer), which wrote its own messages to the lab's log.
func exitStatus(code int) error {
	if code == exitOK {
		return nil
	}
	return &ExitError{Code: code}
}

// trainFlags are the flags of the train subcommands.
type trainFlags struct {
	format    string
	simulated bool
	answers   string
}

// trainUsageErrorf is a FlagError about a train subcommand's input: the
// values it quotes cut and any URL password redacted (flagErrorLine).
func trainUsageErrorf(format string, a ...any) error {
	return &FlagError{Err: errors.New(flagErrorLine(fmt.Errorf(format, a...)))}
}

// plainName reports whether a typed subcommand name can go in the prefix
// as it is: short, printable, without spaces.
func plainName(s string) bool {
	return s != "" && len(s) <= probes.MaxShownValue && strconv.Quote(s) == `"`+s+`"` && !strings.ContainsAny(s, " \t")
}

// runTrainSub runs `hvrdoctor train SUB ARGS...`.
func runTrainSub(env *Env, t *train.Trainer, sub string, args []string) error {
	n, known := trainArgs[sub]
	if !known {
		if !plainName(sub) {
			return trainUsageErrorf("unknown subcommand %q; run 'hvrdoctor train help'", sub)
		}
		env.subcommand(sub)
		return trainUsageErrorf("unknown subcommand; run 'hvrdoctor train help'")
	}
	env.subcommand(sub)
	var f trainFlags
	fs := flag.NewFlagSet("train "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.format, "format", "text", "output: text or json")
	fs.BoolVar(&f.simulated, "simulated", false, "run without a lab: recorded results, answers graded only")
	fs.StringVar(&f.answers, "answers", "", "answers to record before verifying: QUESTION=LETTER,...")
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(env.Stdout, trainUsage)
		return errHelp
	}
	if err != nil {
		return trainUsageErrorf("%s; run 'hvrdoctor train help'", flagErrorLine(err))
	}
	if f.format != "text" && f.format != "json" {
		return trainUsageErrorf("--format %q: give text or json", f.format)
	}
	if len(pos) != n {
		return trainUsageErrorf("takes %d argument(s), got %d; run 'hvrdoctor train help'", n, len(pos))
	}
	switch sub {
	case "list":
		return trainList(env, t, f.format)
	case "_lab":
		return exitStatus(train.RunSupervisor(t.Dirs, pos[0]))
	case "_writer":
		return exitStatus(train.RunWriter(pos[0]))
	case "_pager":
		return exitStatus(train.RunPager(pos[0]))
	}
	sc, err := t.Cat.Find(pos[0])
	if err != nil {
		return &FlagError{Err: errors.New(flagErrorLine(err))}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	switch sub {
	case "show":
		writeScenario(env.Stdout, sc)
		return nil
	case "start":
		return trainStart(ctx, env, t, sc, f)
	case "answer":
		return trainAnswer(env, t, sc, pos[1], pos[2])
	case "hint":
		return trainHint(env, t, sc)
	case "verify":
		return trainVerify(ctx, env, t, sc, f)
	case "reset":
		return trainReset(env, t, sc)
	case "stop":
		return trainStop(env, t, sc)
	}
	return fmt.Errorf("subcommand %s is not wired", sub)
}

func trainList(env *Env, t *train.Trainer, format string) error {
	prog, err := train.LoadProgress(t.Dirs.Progress)
	if err != nil {
		env.notef("%v", err)
		prog = train.Progress{}
	}
	if format == "json" {
		return writeTrainJSON(env.Stdout, listJSON(t.Cat, prog))
	}
	writeList(env.Stdout, t.Cat, prog)
	return nil
}

func trainStart(ctx context.Context, env *Env, t *train.Trainer, sc *train.Scenario, f trainFlags) error {
	sim := f.simulated
	if !sim {
		if why := train.Available(sc); why != nil {
			env.notef("the lab cannot run here (%s); starting SIMULATED", oneLine(why.Error()))
			sim = true
		}
	}
	st, err := t.Start(ctx, sc, sim)
	if err != nil {
		return err
	}
	if f.format == "json" {
		return writeTrainJSON(env.Stdout, startJSON(sc, st))
	}
	writeStart(env.Stdout, sc, st)
	return nil
}

// trainAnswer grades an answer: a wrong one is a verdict (exit 1) after
// the line that says so.
func trainAnswer(env *Env, t *train.Trainer, sc *train.Scenario, qid, letter string) error {
	r, err := t.Answer(sc, qid, letter)
	if err != nil {
		return err
	}
	if r.Right {
		fmt.Fprintf(env.Stdout, "%s: right. %s\n", qid, strings.TrimSpace(r.Explain))
		return nil
	}
	fmt.Fprintf(env.Stdout, "%s: not right; look again with the wizard or sampler (a wrong answer costs 5 points).\n", qid)
	return errFailed
}

func trainHint(env *Env, t *train.Trainer, sc *train.Scenario) error {
	h, err := t.NextHint(sc)
	if err != nil {
		return err
	}
	writeHint(env.Stdout, h)
	return nil
}

// trainVerify records --answers, then checks the lab and the answers: not
// yet passed is a verdict (exit 1) after what is still wrong.
func trainVerify(ctx context.Context, env *Env, t *train.Trainer, sc *train.Scenario, f trainFlags) error {
	if f.answers != "" {
		for _, a := range strings.Split(f.answers, ",") {
			q, l, ok := strings.Cut(a, "=")
			if !ok {
				return trainUsageErrorf("--answers %q: give QUESTION=LETTER pairs separated by commas", a)
			}
			if _, err := t.Answer(sc, strings.TrimSpace(q), l); err != nil {
				return err
			}
		}
	}
	v, err := t.Verify(ctx, sc)
	if err != nil {
		return err
	}
	if f.format == "json" {
		if err := writeTrainJSON(env.Stdout, v); err != nil {
			return err
		}
	} else {
		writeVerdict(env.Stdout, sc, v)
	}
	if !v.Passed {
		return errFailed
	}
	return nil
}

func trainReset(env *Env, t *train.Trainer, sc *train.Scenario) error {
	st, err := t.Reset(sc.ID)
	if err != nil {
		return err
	}
	if st.Simulated {
		fmt.Fprintf(env.Stdout, "%s runs simulated: there is no lab to reset.\n", sc.ID)
		return nil
	}
	fmt.Fprintf(env.Stdout, "%s: the lab is broken again (the wizard shows the fault); answers and hints are kept.\n", sc.ID)
	return nil
}

func trainStop(env *Env, t *train.Trainer, sc *train.Scenario) error {
	st, _ := t.Running(sc.ID)
	if err := t.Stop(sc.ID); err != nil {
		return err
	}
	if st != nil && st.Simulated {
		fmt.Fprintf(env.Stdout, "%s: simulated run stopped, its files removed.\n", sc.ID)
		return nil
	}
	fmt.Fprintf(env.Stdout, "%s: lab stopped, its processes ended and its files removed.\n", sc.ID)
	return nil
}
