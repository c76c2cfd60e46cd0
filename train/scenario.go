package train

// Scenario is one break-fix exercise, read from a YAML file (see
// docs/training.md for the format): a ticket-style story, a lab of real
// components in a broken state, the task, graded questions, levels of
// hints (the last one gives the fix commands for the lab) and the recorded
// probe results the simulated mode replays.
type Scenario struct {
	// ID names the scenario on the command line: lower case, digits and
	// dashes.
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
	// Level is 1 (first steps) to 3 (advanced).
	Level int `yaml:"level"`
	// Lab names the lab kind that runs the scenario (see LabKinds).
	Lab string `yaml:"lab"`
	// Story is the ticket: what the admin sees, in a few sentences.
	Story string `yaml:"story"`
	// Symptoms are the messages as Windows shows them.
	Symptoms []string `yaml:"symptoms"`
	// Task says what the learner must do.
	Task string `yaml:"task"`
	// FailingStep is the ID of the wizard step (probes' step IDs) that
	// shows the fault in the broken lab and passes once it is fixed.
	FailingStep string     `yaml:"failing_step"`
	Questions   []Question `yaml:"questions"`
	// Hints are revealed one level at a time; the last one gives the
	// commands that fix the lab.
	Hints []string `yaml:"hints"`
	// Fix are shell commands that fix the lab (with ${var} placeholders
	// from the lab's variables); the last hint shows them, and the tests
	// run them.
	Fix []string `yaml:"fix"`
	// Simulated is the recorded probe outcome the simulated mode shows
	// when the lab cannot run here.
	Simulated []SimulatedStep `yaml:"simulated"`

	// Source is where the scenario was read from ("embedded:NAME" or a
	// file path); not part of the file.
	Source string `yaml:"-"`
}

// Question is one graded multiple-choice question.
type Question struct {
	// ID is what `hvrdoctor train answer SCENARIO QUESTION CHOICE` names.
	ID      string   `yaml:"id"`
	Text    string   `yaml:"text"`
	Choices []string `yaml:"choices"`
	// Answer is the letter of the right choice: a for the first.
	Answer string `yaml:"answer"`
	// Explain is shown once the question is answered right.
	Explain string `yaml:"explain"`
}

// SimulatedStep is one recorded result of a wizard step. The embedded
// scenarios' results were recorded from their real labs
// (TestRecordSimulated).
type SimulatedStep struct {
	Step     string         `yaml:"step" json:"step"`
	Status   string         `yaml:"status" json:"status"`
	Summary  string         `yaml:"summary" json:"summary"`
	Reason   string         `yaml:"reason,omitempty" json:"reason,omitempty"`
	Evidence []string       `yaml:"evidence,omitempty" json:"evidence,omitempty"`
	Codes    []string       `yaml:"codes,omitempty" json:"codes,omitempty"`
	Fixes    []SimulatedFix `yaml:"fixes,omitempty" json:"fixes,omitempty"`
}

// SimulatedFix is one recorded fix of a step.
type SimulatedFix struct {
	Text    string `yaml:"text" json:"text"`
	Command string `yaml:"command,omitempty" json:"command,omitempty"`
	Where   string `yaml:"where,omitempty" json:"where,omitempty"`
}

// ChoiceLetter is the letter of choice i (0 = a).
func ChoiceLetter(i int) string { return string(rune('a' + i)) }

// ChoiceIndex is the index of a choice letter, -1 when it is not one of n.
func ChoiceIndex(letter string, n int) int {
	if len(letter) != 1 {
		return -1
	}
	i := int(letter[0]) - 'a'
	if i < 0 || i >= n {
		return -1
	}
	return i
}

// Question returns the question with the given ID.
func (s *Scenario) Question(id string) (Question, bool) {
	for _, q := range s.Questions {
		if q.ID == id {
			return q, true
		}
	}
	return Question{}, false
}
