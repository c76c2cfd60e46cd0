package train

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// Attempt is the current try at one scenario: the learner's answers and
// what counts against the score. It lives beside the state file and goes
// with stop; Progress keeps the outcome.
type Attempt struct {
	Started time.Time         `json:"started"`
	Answers map[string]string `json:"answers,omitempty"`
	// Wrong counts wrong answers given.
	Wrong int `json:"wrong,omitempty"`
	// Hints is how many hint levels were shown.
	Hints int `json:"hints,omitempty"`
}

// Score is 100 less 10 per hint level shown and 5 per wrong answer, at
// least 0.
func (a Attempt) Score() int {
	s := 100 - 10*a.Hints - 5*a.Wrong
	if s < 0 {
		return 0
	}
	return s
}

// Record is one scenario's progress.
type Record struct {
	// Passed is set once verify passed.
	Passed bool `json:"passed,omitempty"`
	// BestScore and Seconds are of the best passing attempt; Hints is its
	// hint levels shown.
	BestScore int `json:"best_score,omitempty"`
	Seconds   int `json:"seconds,omitempty"`
	Hints     int `json:"hints,omitempty"`
	// Simulated is set while the scenario was passed in the simulated
	// mode only (answers graded, no lab checked).
	Simulated bool `json:"simulated,omitempty"`
	// Attempts counts starts.
	Attempts int       `json:"attempts,omitempty"`
	Last     time.Time `json:"last,omitzero"`
}

// Progress is the per-user progress file: records by scenario ID.
type Progress map[string]Record

// LoadProgress reads the progress file (an empty Progress when there is
// none yet).
func LoadProgress(path string) (Progress, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Progress{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("progress %s: %w", path, err)
	}
	p := Progress{}
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("progress %s: not valid JSON (%v); move it away to start afresh", path, err)
	}
	return p, nil
}

func (d Dirs) updateProgress(id string, f func(*Record)) error {
	p, err := LoadProgress(d.Progress)
	if err != nil {
		return err
	}
	r := p[id]
	f(&r)
	p[id] = r
	return writeJSON(d.Progress, p)
}

func (d Dirs) loadAttempt(id string) (Attempt, error) {
	b, err := os.ReadFile(d.answersPath(id))
	if errors.Is(err, fs.ErrNotExist) {
		return Attempt{}, ErrNotRunning
	}
	if err != nil {
		return Attempt{}, err
	}
	var a Attempt
	if err := json.Unmarshal(b, &a); err != nil {
		return Attempt{}, fmt.Errorf("%s: %w", d.answersPath(id), err)
	}
	return a, nil
}

func (d Dirs) saveAttempt(id string, a Attempt) error { return writeJSON(d.answersPath(id), a) }

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
