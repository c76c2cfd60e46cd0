package train

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes"
)

func TestEmbeddedScenariosValidate(t *testing.T) {
	cat, errs := LoadCatalogue("")
	if len(errs) > 0 {
		t.Fatalf("embedded scenarios: %v", errs)
	}
	if len(cat.Scenarios) < 8 {
		t.Fatalf("%d embedded scenarios, want at least 8", len(cat.Scenarios))
	}
	for _, s := range cat.Scenarios {
		if !strings.HasPrefix(s.Source, "embedded:") || s.Source != "embedded:"+s.ID+".yaml" {
			t.Errorf("%s: source %q: the file name should be the id", s.ID, s.Source)
		}
		found := labKinds[s.Lab].check != nil // churn labs: the sampler, no wizard step
		for _, st := range s.Simulated {
			if st.Step == s.FailingStep && (st.Status == "fail" || (st.Status == "warn" && labKinds[s.Lab].strict)) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: simulated results do not show failing_step %s failing", s.ID, s.FailingStep)
		}
	}
}

// validScenario is a minimal valid scenario file that the cases below
// break one field at a time.
const validScenario = `id: my-lab
title: A trainer's own scenario
level: 2
lab: squid-4gb-limit
story: The proxy eats uploads.
symptoms: ["connection timed out"]
task: Fix it.
failing_step: proxy-large-upload
questions:
  - id: step
    text: Which step fails?
    choices: [DNS, Proxy large upload]
    answer: b
hints: ["look at ${squid_conf}"]
fix: ["squid -k reconfigure -f ${squid_conf}"]
simulated:
  - step: proxy-large-upload
    status: fail
    summary: 413 at once.
`

func TestScenarioFileValidation(t *testing.T) {
	if _, err := ParseScenario("ok.yaml", []byte(validScenario)); err != nil {
		t.Fatalf("valid scenario: %v", err)
	}
	cases := []struct {
		name, from, to, want string
	}{
		{"bad id", "id: my-lab", "id: My Lab", "bad.yaml: id: \"My Lab\" is not 1-40 lower-case letters"},
		{"no title", "title: A trainer's own scenario", "title: ''", "bad.yaml: title: give one line"},
		{"level", "level: 2", "level: 7", "bad.yaml: level: 7 is not 1, 2 or 3"},
		{"lab kind", "lab: squid-4gb-limit", "lab: squid", "bad.yaml: lab: \"squid\" is not a lab kind; use one of"},
		{"no story", "story: The proxy eats uploads.", "story: ''", "bad.yaml: story: missing"},
		{"step id", "failing_step: proxy-large-upload", "failing_step: proxy", "bad.yaml: failing_step: \"proxy\" is not a wizard step ID"},
		{"step of another lab", "failing_step: proxy-large-upload", "failing_step: spn", "bad.yaml: failing_step: lab squid-4gb-limit checks proxy-large-upload, not \"spn\""},
		{"answer letter", "answer: b", "answer: e", "bad.yaml: questions[0].answer: \"e\" is not a choice letter (a to b)"},
		{"one choice", "choices: [DNS, Proxy large upload]", "choices: [DNS]", "bad.yaml: questions[0].choices: give 2 to 6 choices, not 1"},
		{"unknown var", "look at ${squid_conf}", "look at ${kadmin}", "bad.yaml: hints[0]: unknown variable ${kadmin}; lab squid-4gb-limit has squid_conf"},
		{"unknown field", "task: Fix it.", "task: Fix it.\ntasks: more", "bad.yaml: line 8: unknown field tasks (see docs/training.md for the format)"},
		{"status", "status: fail", "status: broken", "bad.yaml: simulated[0].status: \"broken\" is not pass, warn, fail, skip or error"},
		{"yaml syntax", "level: 2", "level: [2", "bad.yaml: line"},
		{"no fix", `fix: ["squid -k reconfigure -f ${squid_conf}"]`, "fix: []", "bad.yaml: fix: give the commands"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := strings.Replace(validScenario, c.from, c.to, 1)
			if data == validScenario {
				t.Fatalf("case does not change the file: %q", c.from)
			}
			_, err := ParseScenario("bad.yaml", []byte(data))
			if err == nil {
				t.Fatalf("no error for %s", c.name)
			}
			if !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q, want one line starting %q", err, c.want)
			}
		})
	}
	if _, err := ParseScenario("empty.yaml", nil); err == nil || !strings.HasPrefix(err.Error(), "empty.yaml: the file is empty") {
		t.Errorf("empty file: %v", err)
	}
}

func TestUserScenarioDirectory(t *testing.T) {
	dir := testutil.TempDir(t)
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("mine.yaml", validScenario)
	write("broken.yaml", strings.Replace(validScenario, "level: 2", "level: 0", 1))
	write("dup.yml", strings.Replace(validScenario, "id: my-lab", "id: proxy-4gb", 1))
	write("notes.txt", "not a scenario")
	cat, errs := LoadCatalogue(dir)
	if _, err := cat.Find("my-lab"); err != nil {
		t.Errorf("the valid user scenario did not load: %v", err)
	}
	got := ""
	for _, e := range errs {
		got += e.Error() + "\n"
	}
	for _, want := range []string{
		filepath.Join(dir, "broken.yaml") + ": level: 0 is not 1, 2 or 3",
		filepath.Join(dir, "dup.yml") + `: id: "proxy-4gb" is already used by embedded:proxy-4gb.yaml`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack %q:\n%s", want, got)
		}
	}
	if len(errs) != 2 {
		t.Errorf("%d errors, want 2:\n%s", len(errs), got)
	}
	if _, err := cat.Find("nope"); err == nil || !strings.Contains(err.Error(), `scenario "nope": no such scenario`) {
		t.Errorf("Find(nope): %v", err)
	}
}

func TestExpand(t *testing.T) {
	got := Expand("sed ${a} ${b} ${a}", map[string]string{"a": "/x y", "b": "2"})
	if got != "sed /x y 2 /x y" {
		t.Errorf("Expand: %q", got)
	}
}

// TestSimulatedPlanReplays: the simulated plan has the real steps' IDs
// and titles and returns the recorded results, labelled, without
// contacting anything.
func TestSimulatedPlanReplays(t *testing.T) {
	cat, _ := LoadCatalogue("")
	sc, err := cat.Find("proxy-4gb")
	if err != nil {
		t.Fatal(err)
	}
	tg, err := SimulatedTargets(sc).Target(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	steps := SimulatedPlan(sc)(tg)
	real := probes.Plan(tg)
	if len(steps) != len(real) {
		t.Fatalf("%d steps, want %d", len(steps), len(real))
	}
	results := probes.Runner{}.Run(context.Background(), tg, steps)
	for i, s := range steps {
		if s.Probe.ID() != real[i].Probe.ID() || s.Probe.Title() != real[i].Probe.Title() {
			t.Errorf("step %d: %s %q, want %s %q", i, s.Probe.ID(), s.Probe.Title(), real[i].Probe.ID(), real[i].Probe.Title())
		}
		if s.Probe.ID() == "proxy-large-upload" {
			r := results[i]
			if r.Status != probes.StatusFail || !strings.HasPrefix(r.Summary, "SIMULATED (recorded): ") || !strings.Contains(r.Summary, "413") || len(r.Fixes) == 0 {
				t.Errorf("large upload replayed as %s %q (%d fixes)", r.Status, r.Summary, len(r.Fixes))
			}
		}
	}
}
