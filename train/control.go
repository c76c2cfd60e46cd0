package train

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Trainer runs the training commands for one user: it starts and stops
// labs, grades answers, reveals hints and keeps progress.
type Trainer struct {
	Dirs Dirs
	Cat  *Catalogue
	// Supervisor returns the command that runs the lab supervisor for a
	// scenario (`hvrdoctor train _lab ID`); tests re-exec the test binary.
	Supervisor func(id string) *exec.Cmd
	// Now tells the time (time.Now when nil).
	Now func() time.Time
}

// NewTrainer loads the catalogue for the default per-user directories;
// errs are the user scenario files that did not load (one line each).
// Its labs' supervisors are this program run as `hvrdoctor train _lab ID`.
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

func (t *Trainer) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

// Running returns the state of the scenario's lab, ErrNotRunning when it
// has none.
func (t *Trainer) Running(id string) (*State, error) {
	st, err := readState(t.Dirs.statePath(id))
	if err != nil {
		return nil, err
	}
	return st, nil
}

// Available says why the scenario's lab cannot run here (then start runs
// it simulated), nil when it can.
func Available(sc *Scenario) error {
	if err := labsSupported(); err != nil {
		return err
	}
	return labKinds[sc.Lab].available()
}

// Start starts the scenario's lab in the background and returns its
// state once the lab runs broken. simulated (or a lab that cannot run
// here) starts the simulated mode instead: no lab, the recorded results.
func (t *Trainer) Start(ctx context.Context, sc *Scenario, simulated bool) (*State, error) {
	if st, err := t.Running(sc.ID); err == nil {
		if st.Simulated || procAlive(st.SupervisorPID, "") {
			return nil, fmt.Errorf("scenario %s is already started; 'hvrdoctor train stop %s' first", sc.ID, sc.ID)
		}
		t.cleanup(st) // a lab whose supervisor is gone
	}
	if err := os.MkdirAll(t.Dirs.State, 0o700); err != nil {
		return nil, fmt.Errorf("training state directory %s: %w", t.Dirs.State, err)
	}
	var st *State
	if simulated {
		st = &State{ID: sc.ID, Simulated: true, Started: t.now()}
		if IsChurn(sc) {
			// The writer, as a synthetic recording for hvrdoctor analyze.
			dir := filepath.Join(t.Dirs.State, "hvrdoctor-sim-"+sc.ID)
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, err
			}
			st.Dirs = []string{dir}
			if _, err := SimulatedChurn(sc, dir, t.now()); err != nil {
				removeTree(dir)
				return nil, err
			}
			st.Vars = map[string]string{"recording": dir}
		}
		if err := writeJSON(t.Dirs.statePath(sc.ID), st); err != nil {
			return nil, err
		}
	} else {
		var err error
		if st, err = t.startLab(ctx, sc); err != nil {
			return nil, err
		}
	}
	if err := t.Dirs.saveAttempt(sc.ID, Attempt{Started: t.now()}); err != nil {
		return nil, err
	}
	t.Dirs.updateProgress(sc.ID, func(r *Record) { r.Attempts++; r.Last = t.now() })
	return st, nil
}

func (t *Trainer) startLab(ctx context.Context, sc *Scenario) (*State, error) {
	path := t.Dirs.statePath(sc.ID)
	os.Remove(path)
	cmd := t.Supervisor(sc.ID)
	done, err := startSupervisor(cmd, t.Dirs.logPath(sc.ID))
	if err != nil {
		return nil, fmt.Errorf("start the lab of %s: %w", sc.ID, err)
	}
	deadline := time.NewTimer(3 * time.Minute)
	defer deadline.Stop()
	for {
		st, err := readState(path)
		if err == nil && st.Ready {
			return st, nil
		}
		if err == nil && st.Error != "" {
			<-done
			t.cleanup(st)
			return nil, fmt.Errorf("the lab of %s did not start: %s", sc.ID, st.Error)
		}
		select {
		case <-done:
			msg := tailFile(t.Dirs.logPath(sc.ID))
			if st, err := readState(path); err == nil {
				t.cleanup(st)
			}
			os.Remove(t.Dirs.logPath(sc.ID))
			return nil, fmt.Errorf("the lab of %s exited while starting: %s", sc.ID, msg)
		case <-ctx.Done():
			t.abandon(cmd.Process.Pid, path, done)
			return nil, fmt.Errorf("starting the lab of %s: %w", sc.ID, ctx.Err())
		case <-deadline.C:
			log := tailFile(t.Dirs.logPath(sc.ID))
			t.abandon(cmd.Process.Pid, path, done)
			return nil, fmt.Errorf("the lab of %s did not start within 3 minutes (its log ends: %s)", sc.ID, log)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// abandon ends a supervisor that did not finish starting: SIGTERM (it
// stops what it started), SIGKILL after 30 s, then cleanup.
func (t *Trainer) abandon(pid int, path string, done <-chan struct{}) {
	signalProc(pid, "term")
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		signalProc(pid, "kill")
		<-done
	}
	st, err := readState(path)
	if err != nil {
		// The supervisor removed its state as it stopped: remove the rest.
		st = &State{ID: strings.TrimSuffix(filepath.Base(path), ".json")}
	}
	t.cleanup(st)
}

// Stop ends the scenario's lab: SIGTERM to the supervisor (which stops
// every component and removes its files), then, for whatever is left,
// SIGKILL by PID and removal of the recorded directories, the state file,
// the log and the attempt.
func (t *Trainer) Stop(id string) error {
	st, err := t.Running(id)
	if err != nil {
		if errors.Is(err, ErrNotRunning) {
			return fmt.Errorf("scenario %s is not started", id)
		}
		return err
	}
	if !st.Simulated && procAlive(st.SupervisorPID, "") {
		signalProc(st.SupervisorPID, "term")
		if !waitGone(st.SupervisorPID, "", 30*time.Second) {
			signalProc(st.SupervisorPID, "kill")
			waitGone(st.SupervisorPID, "", 5*time.Second)
		}
	}
	return t.cleanup(st)
}

// cleanup kills the recorded processes still alive and removes the
// recorded files.
func (t *Trainer) cleanup(st *State) error {
	var left []string
	for _, p := range st.PIDs {
		if procAlive(p.PID, p.Name) {
			signalProc(p.PID, "kill")
			if !waitGone(p.PID, p.Name, 5*time.Second) {
				left = append(left, fmt.Sprintf("%s (pid %d)", p.Name, p.PID))
			}
		}
	}
	releaseKernel(st)
	for _, d := range st.Dirs {
		if d != "" && strings.Contains(d, "hvrdoctor-") {
			if err := removeTree(d); err != nil {
				left = append(left, d)
			}
		}
	}
	for _, f := range []string{t.Dirs.statePath(st.ID), t.Dirs.logPath(st.ID), t.Dirs.answersPath(st.ID)} {
		os.Remove(f)
	}
	if len(left) > 0 {
		return fmt.Errorf("could not end or remove %s", strings.Join(left, ", "))
	}
	return nil
}

// Reset puts the running lab back in its broken state (the supervisor
// undoes the learner's changes and waits until the wizard shows the fault
// again). Answers and hints of the attempt stay.
func (t *Trainer) Reset(id string) (*State, error) {
	st, err := t.running(id)
	if err != nil {
		return nil, err
	}
	if st.Simulated {
		return st, nil
	}
	before := st.Resets
	if err := signalProc(st.SupervisorPID, "reset"); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		cur, err := readState(t.Dirs.statePath(id))
		if err != nil {
			return nil, fmt.Errorf("scenario %s: the lab stopped during the reset", id)
		}
		if cur.Resets > before {
			if cur.Error != "" {
				return cur, fmt.Errorf("scenario %s: %s", id, cur.Error)
			}
			return cur, nil
		}
		if !procAlive(st.SupervisorPID, "") {
			return nil, fmt.Errorf("scenario %s: the lab's supervisor (pid %d) is gone; stop and start it again", id, st.SupervisorPID)
		}
	}
	return nil, fmt.Errorf("scenario %s: the reset did not finish within 3 minutes", id)
}

// running returns the state of a started scenario whose lab still runs.
func (t *Trainer) running(id string) (*State, error) {
	st, err := t.Running(id)
	if errors.Is(err, ErrNotRunning) {
		return nil, fmt.Errorf("scenario %s is not started; run 'hvrdoctor train start %s'", id, id)
	}
	if err != nil {
		return nil, err
	}
	if !st.Simulated && !procAlive(st.SupervisorPID, "") {
		return nil, fmt.Errorf("scenario %s: the lab's supervisor (pid %d) is gone; run 'hvrdoctor train stop %s' and start it again", id, st.SupervisorPID, id)
	}
	return st, nil
}

// Verdict is what verify found.
type Verdict struct {
	// Lab lists what is still wrong in the lab (empty when fixed); in
	// the simulated mode it is not checked.
	Lab []string `json:"lab"`
	// Questions lists the questions not yet answered right.
	Questions []string `json:"questions"`
	Simulated bool     `json:"simulated,omitempty"`
	Passed    bool     `json:"passed"`
	Score     int      `json:"score"`
	Seconds   int      `json:"seconds"`
	Hints     int      `json:"hints"`
}

// Verify checks the lab's real state (the wizard's steps against the
// lab's targets) and the answers; when both are right it records the
// pass in the progress file.
func (t *Trainer) Verify(ctx context.Context, sc *Scenario) (Verdict, error) {
	st, err := t.running(sc.ID)
	if err != nil {
		return Verdict{}, err
	}
	att, err := t.Dirs.loadAttempt(sc.ID)
	if err != nil && !errors.Is(err, ErrNotRunning) {
		return Verdict{}, err
	}
	v := Verdict{Simulated: st.Simulated, Hints: att.Hints, Lab: []string{}, Questions: []string{}}
	if !st.Simulated {
		v.Lab = append(v.Lab, labProblems(ctx, labKinds[sc.Lab], st.Targets, st.Vars)...)
	}
	for _, q := range sc.Questions {
		if att.Answers[q.ID] != q.Answer {
			v.Questions = append(v.Questions, q.ID)
		}
	}
	v.Passed = len(v.Lab) == 0 && len(v.Questions) == 0
	if v.Passed {
		v.Score = att.Score()
		if !att.Started.IsZero() {
			v.Seconds = int(t.now().Sub(att.Started).Seconds())
		}
		err = t.Dirs.updateProgress(sc.ID, func(r *Record) {
			if st.Simulated && r.Passed && !r.Simulated {
				return // a pass in a real lab outranks a simulated one
			}
			if !st.Simulated && r.Simulated {
				*r = Record{Attempts: r.Attempts}
			}
			if !r.Passed || v.Score > r.BestScore || (v.Score == r.BestScore && v.Seconds < r.Seconds) {
				r.BestScore, r.Seconds, r.Hints = v.Score, v.Seconds, v.Hints
			}
			r.Passed, r.Simulated, r.Last = true, st.Simulated, t.now()
		})
	}
	return v, err
}

// AnswerResult says whether an answer was right.
type AnswerResult struct {
	Right   bool
	Explain string
}

// Answer records the learner's answer to a question (a choice letter).
func (t *Trainer) Answer(sc *Scenario, qid, choice string) (AnswerResult, error) {
	q, ok := sc.Question(qid)
	if !ok {
		ids := make([]string, 0, len(sc.Questions))
		for _, q := range sc.Questions {
			ids = append(ids, q.ID)
		}
		return AnswerResult{}, fmt.Errorf("question %q: %s has no such question (it has %s)", qid, sc.ID, strings.Join(ids, ", "))
	}
	choice = strings.ToLower(strings.TrimSpace(choice))
	if ChoiceIndex(choice, len(q.Choices)) < 0 {
		return AnswerResult{}, fmt.Errorf("answer %q to %s: give a choice letter, a to %s", choice, qid, ChoiceLetter(len(q.Choices)-1))
	}
	if _, err := t.running(sc.ID); err != nil {
		return AnswerResult{}, err
	}
	att, err := t.Dirs.loadAttempt(sc.ID)
	if err != nil && !errors.Is(err, ErrNotRunning) {
		return AnswerResult{}, err
	}
	if att.Answers == nil {
		att.Answers = map[string]string{}
	}
	right := choice == q.Answer
	if !right && att.Answers[qid] != choice {
		att.Wrong++
	}
	att.Answers[qid] = choice
	if err := t.Dirs.saveAttempt(sc.ID, att); err != nil {
		return AnswerResult{}, err
	}
	if right {
		return AnswerResult{Right: true, Explain: q.Explain}, nil
	}
	return AnswerResult{}, nil
}

// Hint is one revealed hint level.
type Hint struct {
	Level, Levels int
	Text          string
	// Fix holds the fix commands (with the lab's values) at the last
	// level.
	Fix []string
}

// NextHint reveals the next hint level (the last one again once all are
// shown) and counts it against the score. The last level gives the fix
// commands with the running lab's paths.
func (t *Trainer) NextHint(sc *Scenario) (Hint, error) {
	st, err := t.running(sc.ID)
	if err != nil {
		return Hint{}, err
	}
	att, err := t.Dirs.loadAttempt(sc.ID)
	if err != nil && !errors.Is(err, ErrNotRunning) {
		return Hint{}, err
	}
	if att.Hints < len(sc.Hints) {
		att.Hints++
		if err := t.Dirs.saveAttempt(sc.ID, att); err != nil {
			return Hint{}, err
		}
	}
	h := Hint{Level: att.Hints, Levels: len(sc.Hints), Text: Expand(sc.Hints[att.Hints-1], st.Vars)}
	if h.Level == h.Levels {
		for _, c := range sc.Fix {
			h.Fix = append(h.Fix, Expand(c, st.Vars))
		}
	}
	return h, nil
}

// tailFile returns the last line of a file, for error messages.
func tailFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no log)"
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) == 0 || lines[len(lines)-1] == "" {
		return "(empty log)"
	}
	return lines[len(lines)-1]
}
