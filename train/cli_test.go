package train

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

func runMain(tr *Trainer, args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	code := tr.Main(args, &out, &errb)
	return out.String(), errb.String(), code
}

// TestSimulatedMode: without a lab the scenario shows the recorded results
// labelled SIMULATED, verify grades the answers only, and progress says
// the pass was simulated.
func TestSimulatedMode(t *testing.T) {
	tr := newTestTrainer(t)
	out, errOut, code := runMain(tr, "start", "missing-spn", "--simulated")
	if code != ExitOK || !strings.Contains(out, "SIMULATED: no lab runs") || !strings.Contains(out, "[FAIL] spn:") || !strings.Contains(out, "0x80090303") {
		t.Fatalf("start --simulated: exit %d\n%s\n%s", code, out, errOut)
	}
	if _, _, code := runMain(tr, "start", "missing-spn"); code != ExitFail {
		t.Errorf("second start: exit %d, want 1 (already started)", code)
	}
	out, _, code = runMain(tr, "verify", "missing-spn")
	if code != ExitFail || !strings.Contains(out, "question step: not answered right yet") || !strings.Contains(out, "simulated") {
		t.Errorf("verify without answers: exit %d\n%s", code, out)
	}
	if out, _, code := runMain(tr, "answer", "missing-spn", "step", "a"); code != ExitFail || !strings.Contains(out, "not right") {
		t.Errorf("wrong answer: exit %d %s", code, out)
	}
	if _, errOut, code := runMain(tr, "answer", "missing-spn", "step", "z"); code != ExitFail || !strings.Contains(errOut, `answer "z" to step: give a choice letter, a to c`) {
		t.Errorf("bad letter: exit %d %s", code, errOut)
	}
	if _, errOut, code := runMain(tr, "answer", "missing-spn", "nope", "a"); code != ExitFail || !strings.Contains(errOut, `question "nope": missing-spn has no such question (it has step, spns, fix)`) {
		t.Errorf("bad question: exit %d %s", code, errOut)
	}
	out, _, code = runMain(tr, "hint", "missing-spn")
	if code != ExitOK || !strings.Contains(out, "Hint 1 of 3") {
		t.Errorf("hint: exit %d %s", code, out)
	}
	out, _, code = runMain(tr, "verify", "missing-spn", "--answers", "step=b,spns=b,fix=a", "--format", "json")
	var v Verdict
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != ExitOK || !v.Passed || !v.Simulated || v.Score != 100-10-5 {
		t.Fatalf("verify with answers: exit %d %+v %v\n%s", code, v, err, out)
	}
	out, _, _ = runMain(tr, "list")
	if !strings.Contains(out, "missing-spn") || !strings.Contains(out, "85 pts simulated") {
		t.Errorf("list after a simulated pass:\n%s", out)
	}
	if out, _, code := runMain(tr, "reset", "missing-spn"); code != ExitOK || !strings.Contains(out, "simulated") {
		t.Errorf("reset simulated: exit %d %s", code, out)
	}
	if _, _, code := runMain(tr, "stop", "missing-spn"); code != ExitOK {
		t.Errorf("stop: exit %d", code)
	}
	if _, errOut, code := runMain(tr, "stop", "missing-spn"); code != ExitFail || !strings.Contains(errOut, "not started") {
		t.Errorf("second stop: exit %d %s", code, errOut)
	}
}

func TestCLIUsage(t *testing.T) {
	tr := newTestTrainer(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"start"}, "hvrdoctor train start: takes 1 argument(s), got 0"},
		{[]string{"frobnicate"}, "hvrdoctor train frobnicate: unknown subcommand"},
		{[]string{"start", "nope"}, `hvrdoctor train start: scenario "nope": no such scenario`},
		{[]string{"list", "--format", "xml"}, `hvrdoctor train list: --format "xml": give text or json`},
		{[]string{"start", "proxy-4gb", "--bogus"}, "hvrdoctor train start: flag provided but not defined: -bogus"},
		{[]string{"verify", "proxy-4gb", "--answers", "step"}, ""},
	} {
		_, errOut, code := runMain(tr, c.args...)
		if c.want == "" {
			continue
		}
		if code != ExitUsage || !strings.HasPrefix(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and one line %q", c.args, code, errOut, c.want)
		}
	}
	out, _, code := runMain(tr, "list", "--format", "json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || code != ExitOK || len(rows) != len(tr.Cat.Scenarios) {
		t.Errorf("list json: exit %d %v\n%s", code, err, out)
	}
}

// TestStartCancelledLeavesNothing: a start interrupted while the lab
// comes up (Ctrl+C) ends the supervisor and removes what it made.
func TestStartCancelledLeavesNothing(t *testing.T) {
	testutil.SkipUnless(t, labsSupported())
	tr := newTestTrainer(t)
	sc, err := tr.Cat.Find("listener-off")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// Cancel once the supervisor has written its first state.
		for i := 0; i < 200; i++ {
			if _, err := os.Stat(tr.Dirs.statePath(sc.ID)); err == nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	st, err := tr.Start(ctx, sc, false)
	if err == nil {
		// The lab came up before the cancel: stop it the normal way.
		if err := tr.Stop(sc.ID); err != nil {
			t.Fatal(err)
		}
		t.Skipf("the lab started before the cancel (pid %d)", st.SupervisorPID)
	}
	if left, _ := filepath.Glob(filepath.Join(tr.Dirs.State, sc.ID+"*")); len(left) > 0 {
		t.Errorf("files left after a cancelled start: %v", left)
	}
	if left, _ := filepath.Glob(filepath.Join(os.TempDir(), "hvrdoctor-train-listener-off-*")); len(left) > 0 {
		// Another test's lab may run at the same time: only report ours.
		for _, d := range left {
			t.Logf("lab directory present after the cancelled start (maybe another test's): %s", d)
		}
	}
}

// TestSimulatedChurn: a churn scenario's simulated mode writes a synthetic
// recording of the lab's writer that the analyzer reads, with the burst,
// and stop removes it.
func TestSimulatedChurn(t *testing.T) {
	tr := newTestTrainer(t)
	out, errOut, code := runMain(tr, "start", "copy-burst", "--simulated")
	if code != ExitOK || !strings.Contains(out, "hvrdoctor analyze ") {
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
	if _, _, code := runMain(tr, "stop", "copy-burst"); code != ExitOK {
		t.Fatal("stop failed")
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("%s left after stop", dir)
	}
}
