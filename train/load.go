package train

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/hvrdoctor/hvrdoctor/internal/textsafe"
	"github.com/hvrdoctor/hvrdoctor/probes"
)

//go:embed scenarios/*.yaml
var embedded embed.FS

// maxScenarioFile bounds what is read of one scenario file.
const maxScenarioFile = 256 << 10

var (
	idPattern  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)
	varPattern = regexp.MustCompile(`\$\{([^}]*)\}`)
	// unknownField rewrites yaml.v3's "field x not found in type train.T".
	unknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)
	// fieldName is what a field name in an error may look like.
	fieldName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,39}$`)
	// yamlValue is a value yaml.v3 quotes in an error message.
	yamlValue = regexp.MustCompile("`[^`]*`")
)

// Catalogue is the set of scenarios: the embedded ones and a trainer's own
// from the user directory, sorted by level, then ID.
type Catalogue struct {
	Scenarios []*Scenario
}

// Find returns the scenario with the given ID, or an error listing what
// exists.
func (c *Catalogue) Find(id string) (*Scenario, error) {
	for _, s := range c.Scenarios {
		if s.ID == id {
			return s, nil
		}
	}
	ids := make([]string, 0, len(c.Scenarios))
	for _, s := range c.Scenarios {
		ids = append(ids, s.ID)
	}
	return nil, fmt.Errorf("scenario %s: no such scenario; run 'hvrdoctor train list' (there are: %s)", probes.ShowValue(id), strings.Join(ids, ", "))
}

// LoadCatalogue reads the embedded scenarios and the YAML files of userDir
// ("" or a missing directory = none). A user file that does not validate is
// reported in errs (one line each, naming the file and field) and left out;
// the rest load.
func LoadCatalogue(userDir string) (*Catalogue, []error) {
	c := &Catalogue{}
	var errs []error
	seen := map[string]string{}
	add := func(s *Scenario) {
		if prev, ok := seen[s.ID]; ok {
			errs = append(errs, fmt.Errorf("%s: id: %q is already used by %s; give the scenario another id", showSource(s.Source), s.ID, showSource(prev)))
			return
		}
		seen[s.ID] = s.Source
		c.Scenarios = append(c.Scenarios, s)
	}
	names, _ := fs.Glob(embedded, "scenarios/*.yaml")
	sort.Strings(names)
	for _, n := range names {
		data, _ := embedded.ReadFile(n)
		s, err := ParseScenario("embedded:"+filepath.Base(n), data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		add(s)
	}
	if userDir != "" {
		entries, err := os.ReadDir(userDir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("%s: %v", showSource(userDir), err))
		}
		for _, e := range entries {
			if e.IsDir() || !(strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
				continue
			}
			path := filepath.Join(userDir, e.Name())
			s, err := LoadScenarioFile(path)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			add(s)
		}
	}
	sort.SliceStable(c.Scenarios, func(i, j int) bool {
		a, b := c.Scenarios[i], c.Scenarios[j]
		if a.Level != b.Level {
			return a.Level < b.Level
		}
		return a.ID < b.ID
	})
	return c, errs
}

// LoadScenarioFile reads and validates one scenario file (at most 256 KiB,
// a regular file).
func LoadScenarioFile(path string) (*Scenario, error) {
	data, err := probes.ReadInputFile("scenario", path, maxScenarioFile)
	if err != nil {
		return nil, err
	}
	return ParseScenario(path, data)
}

// ParseScenario decodes and validates a scenario; errors are one line:
// "SOURCE: FIELD: what is wrong; what to do".
func ParseScenario(source string, data []byte) (*Scenario, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var s Scenario
	if err := dec.Decode(&s); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: the file is empty; see docs/training.md for the format", showSource(source))
		}
		return nil, fmt.Errorf("%s: %s", showSource(source), yamlProblem(err))
	}
	s.Source = source
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", showSource(source), err)
	}
	return &s, nil
}

// showSource is a scenario's file as a message names it: as it is, or
// quoted with escapes when its name holds control characters.
func showSource(source string) string {
	if strings.ContainsFunc(source, textsafe.Unprintable) {
		return probes.ShowPath(source)
	}
	return source
}

// yamlProblem is a decoding error as one line that quotes nothing of the
// file: only its first problem, with a field name shown only when it is a
// plain name, and values (yaml.v3 quotes them in backticks) left out. A
// file that is not a scenario at all (a symlink to another file) would
// otherwise have its lines, secrets included, printed as "unknown fields".
func yamlProblem(err error) string {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
		if len(te.Errors) > 1 {
			msg += fmt.Sprintf(" (and %d more problems)", len(te.Errors)-1)
		}
	}
	msg = strings.TrimPrefix(strings.TrimPrefix(msg, "yaml: "), "unmarshal errors:")
	msg = unknownField.ReplaceAllStringFunc(msg, func(m string) string {
		name := unknownField.FindStringSubmatch(m)[1]
		if !fieldName.MatchString(name) {
			return "an unknown field (not a scenario file? see docs/training.md for the format)"
		}
		return "unknown field " + name + " (see docs/training.md for the format)"
	})
	msg = yamlValue.ReplaceAllString(msg, "a value")
	return oneLine(msg)
}

// stepIDs are the wizard's step IDs, for failing_step and simulated.
func stepIDs() map[string]bool {
	ids := map[string]bool{}
	for _, auth := range []probes.AuthType{probes.AuthKerberos, probes.AuthCertificate} {
		for _, st := range probes.Plan(&probes.Target{Auth: auth}) {
			ids[st.Probe.ID()] = true
		}
	}
	return ids
}

var statuses = map[string]bool{"pass": true, "warn": true, "fail": true, "skip": true, "error": true}

// Validate checks every field; the error names the first bad field.
func (s *Scenario) Validate() error {
	if !idPattern.MatchString(s.ID) {
		return fmt.Errorf("id: %q is not 1-40 lower-case letters, digits and dashes", s.ID)
	}
	if err := s.checkText(); err != nil {
		return err
	}
	if strings.TrimSpace(s.Title) == "" || utf8.RuneCountInString(s.Title) > 60 || strings.Contains(s.Title, "\n") {
		return errors.New("title: give one line of at most 60 characters")
	}
	if s.Level < 1 || s.Level > 3 {
		return fmt.Errorf("level: %d is not 1, 2 or 3", s.Level)
	}
	kind, ok := labKinds[s.Lab]
	if !ok {
		return fmt.Errorf("lab: %q is not a lab kind; use one of %s", s.Lab, strings.Join(LabKinds(), ", "))
	}
	if strings.TrimSpace(s.Story) == "" {
		return errors.New("story: missing; say what the admin sees")
	}
	if len(s.Symptoms) == 0 {
		return errors.New("symptoms: missing; give the messages as Windows shows them")
	}
	if strings.TrimSpace(s.Task) == "" {
		return errors.New("task: missing; say what the learner must do")
	}
	ids := stepIDs()
	if kind.check != nil {
		if s.FailingStep != "" {
			return fmt.Errorf("failing_step: lab %s is checked by its own state, not a wizard step; leave failing_step out", s.Lab)
		}
	} else if !ids[s.FailingStep] {
		return fmt.Errorf("failing_step: %q is not a wizard step ID (for example proxy-large-upload, spn, cert-eku)", s.FailingStep)
	}
	if kind.check == nil && !contains(kind.verifySteps, s.FailingStep) {
		return fmt.Errorf("failing_step: lab %s checks %s, not %q", s.Lab, strings.Join(kind.verifySteps, ", "), s.FailingStep)
	}
	if len(s.Questions) == 0 {
		return errors.New("questions: give at least one")
	}
	qids := map[string]bool{}
	for i, q := range s.Questions {
		f := fmt.Sprintf("questions[%d]", i)
		if !idPattern.MatchString(q.ID) {
			return fmt.Errorf("%s.id: %q is not 1-40 lower-case letters, digits and dashes", f, q.ID)
		}
		if qids[q.ID] {
			return fmt.Errorf("%s.id: %q is used twice", f, q.ID)
		}
		qids[q.ID] = true
		if strings.TrimSpace(q.Text) == "" {
			return fmt.Errorf("%s.text: missing", f)
		}
		if len(q.Choices) < 2 || len(q.Choices) > 6 {
			return fmt.Errorf("%s.choices: give 2 to 6 choices, not %d", f, len(q.Choices))
		}
		if ChoiceIndex(q.Answer, len(q.Choices)) < 0 {
			return fmt.Errorf("%s.answer: %q is not a choice letter (a to %s)", f, q.Answer, ChoiceLetter(len(q.Choices)-1))
		}
	}
	if len(s.Hints) == 0 {
		return errors.New("hints: give at least one")
	}
	if len(s.Fix) == 0 {
		return errors.New("fix: give the commands that fix the lab")
	}
	check := func(field, text string) error {
		for _, m := range varPattern.FindAllStringSubmatch(text, -1) {
			if !contains(kind.vars, m[1]) {
				return fmt.Errorf("%s: unknown variable ${%s}; lab %s has %s", field, m[1], s.Lab, strings.Join(kind.vars, ", "))
			}
		}
		return nil
	}
	for i, h := range s.Hints {
		if strings.TrimSpace(h) == "" {
			return fmt.Errorf("hints[%d]: empty", i)
		}
		if err := check(fmt.Sprintf("hints[%d]", i), h); err != nil {
			return err
		}
	}
	for i, c := range s.Fix {
		if err := check(fmt.Sprintf("fix[%d]", i), c); err != nil {
			return err
		}
	}
	if len(s.Simulated) == 0 && kind.check == nil {
		return errors.New("simulated: give the recorded result of at least the failing step")
	}
	for i, st := range s.Simulated {
		f := fmt.Sprintf("simulated[%d]", i)
		if !ids[st.Step] {
			return fmt.Errorf("%s.step: %q is not a wizard step ID", f, st.Step)
		}
		if !statuses[st.Status] {
			return fmt.Errorf("%s.status: %q is not pass, warn, fail, skip or error", f, st.Status)
		}
		if strings.TrimSpace(st.Summary) == "" {
			return fmt.Errorf("%s.summary: missing", f)
		}
	}
	return nil
}

// checkText refuses control characters (but line breaks and tabs) and
// bidirectional controls in every text of the scenario (textsafe.Unprintable):
// they would reach the terminal raw in train list, show and hint, the
// TUI and the fix commands the learner copies (ESC sequences retitle the
// window, clear the screen or hide text; a bidi override makes a command
// read in another order than it runs).
func (s *Scenario) checkText() error {
	type field struct{ name, text string }
	fields := []field{{"id", s.ID}, {"title", s.Title}, {"lab", s.Lab}, {"story", s.Story}, {"task", s.Task}, {"failing_step", s.FailingStep}}
	list := func(name string, texts []string) {
		for i, t := range texts {
			fields = append(fields, field{fmt.Sprintf("%s[%d]", name, i), t})
		}
	}
	list("symptoms", s.Symptoms)
	list("hints", s.Hints)
	list("fix", s.Fix)
	for i, q := range s.Questions {
		f := fmt.Sprintf("questions[%d]", i)
		fields = append(fields, field{f + ".id", q.ID}, field{f + ".text", q.Text}, field{f + ".answer", q.Answer}, field{f + ".explain", q.Explain})
		list(f+".choices", q.Choices)
	}
	for i, st := range s.Simulated {
		f := fmt.Sprintf("simulated[%d]", i)
		fields = append(fields, field{f + ".step", st.Step}, field{f + ".status", st.Status}, field{f + ".summary", st.Summary}, field{f + ".reason", st.Reason})
		list(f+".evidence", st.Evidence)
		list(f+".codes", st.Codes)
		for j, fx := range st.Fixes {
			g := fmt.Sprintf("%s.fixes[%d]", f, j)
			fields = append(fields, field{g + ".text", fx.Text}, field{g + ".command", fx.Command}, field{g + ".where", fx.Where})
		}
	}
	for _, f := range fields {
		for _, r := range f.text {
			if r != '\n' && r != '\t' && textsafe.Unprintable(r) {
				return fmt.Errorf("%s: holds the control character U+%04X; write plain text (no escape sequences or direction marks)", f.name, r)
			}
		}
	}
	return nil
}

// Expand replaces ${name} placeholders with the lab's values.
func Expand(text string, vars map[string]string) string {
	return varPattern.ReplaceAllStringFunc(text, func(m string) string {
		if v, ok := vars[m[2:len(m)-1]]; ok {
			return v
		}
		return m
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
