package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/train"
)

// newTestTrainer is a Trainer whose files live in the test's temporary
// directories. These tests run the simulated mode only (the real labs are
// train's tests): its supervisor command fails the test if started.
func newTestTrainer(t *testing.T) *train.Trainer {
	t.Helper()
	base := testutil.TempDir(t)
	dirs := train.Dirs{Scenarios: base + "/scenarios", Progress: base + "/progress.json", State: base + "/state"}
	cat, errs := train.LoadCatalogue(dirs.Scenarios)
	if len(errs) > 0 {
		t.Fatalf("catalogue: %v", errs)
	}
	return &train.Trainer{Dirs: dirs, Cat: cat, Supervisor: func(id string) *exec.Cmd {
		t.Errorf("a lab supervisor was started for %s", id)
		return exec.Command("false")
	}}
}

// runTrainCmd runs `hvrdoctor train ARGS...` as Main does, on tr.
func runTrainCmd(tr *train.Trainer, args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	env := testEnv(&out, &errb)
	env.OpenTrainer = func() (*train.Trainer, []error, error) { return tr, nil, nil }
	code := Main(append([]string{"train"}, args...), env)
	return out.String(), errb.String(), code
}

// TestSimulatedMode: without a lab the scenario shows the recorded results
// labelled SIMULATED, verify grades the answers only, and progress says
// the pass was simulated.
func TestSimulatedMode(t *testing.T) {
	tr := newTestTrainer(t)
	out, errOut, code := runTrainCmd(tr, "start", "missing-spn", "--simulated")
	if code != exitOK || !strings.Contains(out, "SIMULATED: no lab runs") || !strings.Contains(out, "[FAIL] spn:") || !strings.Contains(out, "0x80090303") {
		t.Fatalf("start --simulated: exit %d\n%s\n%s", code, out, errOut)
	}
	if _, errOut, code := runTrainCmd(tr, "start", "missing-spn"); code != exitFail || !strings.HasPrefix(errOut, "hvrdoctor train start: ") || !strings.Contains(errOut, "already started") {
		t.Errorf("second start: exit %d %q, want 1 (already started)", code, errOut)
	}
	out, _, code = runTrainCmd(tr, "verify", "missing-spn")
	if code != exitFail || !strings.Contains(out, "question step: not answered right yet") || !strings.Contains(out, "simulated") {
		t.Errorf("verify without answers: exit %d\n%s", code, out)
	}
	if out, errOut, code := runTrainCmd(tr, "answer", "missing-spn", "step", "a"); code != exitFail || !strings.Contains(out, "not right") || errOut != "" {
		t.Errorf("wrong answer: exit %d %s %q", code, out, errOut)
	}
	if _, errOut, code := runTrainCmd(tr, "answer", "missing-spn", "step", "z"); code != exitFail || errOut != "hvrdoctor train answer: answer \"z\" to step: give a choice letter, a to c\n" {
		t.Errorf("bad letter: exit %d %q", code, errOut)
	}
	if _, errOut, code := runTrainCmd(tr, "answer", "missing-spn", "nope", "a"); code != exitFail || !strings.Contains(errOut, `question "nope": missing-spn has no such question (it has step, spns, fix)`) {
		t.Errorf("bad question: exit %d %s", code, errOut)
	}
	out, _, code = runTrainCmd(tr, "hint", "missing-spn")
	if code != exitOK || !strings.Contains(out, "Hint 1 of 3") {
		t.Errorf("hint: exit %d %s", code, out)
	}
	out, _, code = runTrainCmd(tr, "verify", "missing-spn", "--answers", "step=b,spns=b,fix=a", "--format", "json")
	var v train.Verdict
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != exitOK || !v.Passed || !v.Simulated || v.Score != 100-10-5 {
		t.Fatalf("verify with answers: exit %d %+v %v\n%s", code, v, err, out)
	}
	out, _, _ = runTrainCmd(tr, "list")
	if !strings.Contains(out, "missing-spn") || !strings.Contains(out, "85 pts simulated") {
		t.Errorf("list after a simulated pass:\n%s", out)
	}
	if out, _, code := runTrainCmd(tr, "reset", "missing-spn"); code != exitOK || !strings.Contains(out, "simulated") {
		t.Errorf("reset simulated: exit %d %s", code, out)
	}
	if _, _, code := runTrainCmd(tr, "stop", "missing-spn"); code != exitOK {
		t.Errorf("stop: exit %d", code)
	}
	if _, errOut, code := runTrainCmd(tr, "stop", "missing-spn"); code != exitFail || errOut != "hvrdoctor train stop: scenario missing-spn is not started\n" {
		t.Errorf("second stop: exit %d %q", code, errOut)
	}
}

// TestTrainUsage: usage problems exit 2 with one line whose prefix names
// the subcommand; values typed by the user are cut, not echoed whole.
func TestTrainUsage(t *testing.T) {
	tr := newTestTrainer(t)
	long := strings.Repeat("x", 500)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"start"}, "hvrdoctor train start: takes 1 argument(s), got 0"},
		{[]string{"frobnicate"}, "hvrdoctor train frobnicate: unknown subcommand"},
		{[]string{"start", "nope"}, `hvrdoctor train start: scenario "nope": no such scenario`},
		{[]string{"list", "--format", "xml"}, `hvrdoctor train list: --format "xml": give text or json`},
		{[]string{"start", "proxy-4gb", "--bogus"}, "hvrdoctor train start: flag provided but not defined: -bogus"},
		{[]string{"verify", "proxy-4gb", "--answers", "step"}, "hvrdoctor train verify: "},
		{[]string{"bad\nname"}, `hvrdoctor train: unknown subcommand "bad\nname"`},
		{[]string{long}, `hvrdoctor train: unknown subcommand "xxxx`},
		{[]string{"show", long}, `hvrdoctor train show: scenario "xxxx`},
		{[]string{"list", "--format", long}, `hvrdoctor train list: --format "xxxx`},
	} {
		_, errOut, code := runTrainCmd(tr, c.args...)
		if code != exitUsage || !strings.HasPrefix(errOut, c.want) || strings.Count(errOut, "\n") != 1 || strings.Contains(errOut, long) {
			t.Errorf("%.40q: exit %d, stderr %q; want exit 2 and one line %q without the long value whole", c.args, code, errOut, c.want)
		}
	}
	out, _, code := runTrainCmd(tr, "list", "--format", "json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || code != exitOK || len(rows) != len(tr.Cat.Scenarios) {
		t.Errorf("list json: exit %d %v\n%s", code, err, out)
	}
	for _, args := range [][]string{{"help"}, {"start", "-h"}} {
		out, errOut, code := runTrainCmd(tr, args...)
		if code != exitOK || !strings.Contains(out, "hvrdoctor train verify ID") || errOut != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want the usage and exit 0", args, code, out, errOut)
		}
	}
}

// TestTrainNotesPrefix: a note a subcommand prints on the way (here the
// unreadable progress file) carries the subcommand's prefix, and the
// command goes on.
func TestTrainNotesPrefix(t *testing.T) {
	tr := newTestTrainer(t)
	if err := os.WriteFile(tr.Dirs.Progress, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runTrainCmd(tr, "list")
	if code != exitOK || !strings.HasPrefix(errOut, "hvrdoctor train list: ") || strings.Count(errOut, "\n") != 1 || !strings.Contains(out, "missing-spn") {
		t.Errorf("list with a broken progress file: exit %d, stderr %q\n%s", code, errOut, out)
	}
}

// TestSimulatedChurn: a churn scenario's simulated mode writes a synthetic
// recording of the lab's writer that the analyzer reads, with the burst,
// and stop removes it.
func TestSimulatedChurn(t *testing.T) {
	tr := newTestTrainer(t)
	out, errOut, code := runTrainCmd(tr, "start", "copy-burst", "--simulated")
	if code != exitOK || !strings.Contains(out, "hvrdoctor analyze ") {
		t.Fatalf("start: exit %d\n%s\n%s", code, out, errOut)
	}
	st, err := tr.Running("copy-burst")
	if err != nil {
		t.Fatal(err)
	}
	dir := st.Vars["recording"]
	b, err := os.ReadFile(filepath.Join(dir, "ProcStats-1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// explorer writes 16 MiB/s for 5 s of every 20, nothing between.
	burst, quiet := 0, 0
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, ",explorer,") {
			if strings.Contains(l, ",16777216,") {
				burst++
			} else {
				quiet++
			}
		}
	}
	if burst != 75 || quiet != 0 {
		t.Errorf("explorer rows: %d at 16 MiB/s, %d others; want 75 (5 s of each 20 s over 300 s) and none", burst, quiet)
	}
	if _, _, code := runTrainCmd(tr, "stop", "copy-burst"); code != exitOK {
		t.Fatal("stop failed")
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("%s left after stop", dir)
	}
}

// TestSimulatedPagefile: the page-file scenario's simulated mode replays
// what Windows shows (System, PID 4, writing C:\pagefile.sys at 4 MiB/s
// beside the database's 64 KiB/s); verify grades the answers only; stop
// removes the recording.
func TestSimulatedPagefile(t *testing.T) {
	tr := newTestTrainer(t)
	out, errOut, code := runTrainCmd(tr, "start", "pagefile-churn", "--simulated")
	if code != exitOK || !strings.Contains(out, "SIMULATED") || !strings.Contains(out, "hvrdoctor analyze ") {
		t.Fatalf("start: exit %d\n%s\n%s", code, out, errOut)
	}
	st, err := tr.Running("pagefile-churn")
	if err != nil {
		t.Fatal(err)
	}
	dir := st.Vars["recording"]
	b, err := os.ReadFile(filepath.Join(dir, "ProcStats-1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	system, sql := 0, 0
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, ",System,") && strings.Contains(l, ",4194304,") {
			system++
		}
		if strings.Contains(l, ",sqlservr,") && strings.Contains(l, ",65536,") {
			sql++
		}
	}
	if system != 300 || sql != 300 {
		t.Errorf("ProcStats rows: System at 4 MiB/s %d, sqlservr at 64 KiB/s %d; want 300 each", system, sql)
	}
	if f, err := os.ReadFile(filepath.Join(dir, "FileStats-1.csv")); err != nil || !strings.Contains(string(f), `C:\pagefile.sys`) {
		t.Errorf("FileStats does not name C:\\pagefile.sys: %v", err)
	}
	if _, _, code := runTrainCmd(tr, "verify", "pagefile-churn", "--answers", "process=b"); code == exitOK {
		t.Error("verify passes with a wrong answer")
	}
	if out, _, code := runTrainCmd(tr, "verify", "pagefile-churn", "--answers", "process=a,cause=b,fix=b"); code != exitOK {
		t.Errorf("verify with the right answers: exit %d\n%s", code, out)
	}
	if _, _, code := runTrainCmd(tr, "stop", "pagefile-churn"); code != exitOK {
		t.Fatal("stop failed")
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("%s left after stop", dir)
	}
}
