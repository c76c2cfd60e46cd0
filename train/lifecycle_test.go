package train

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// TestScenarioLifecycle runs every embedded scenario with its real
// components: start -> the wizard's real probe shows the intended failure
// -> verify fails -> the fix commands the last hint gives, run in a shell
// -> verify passes -> reset restores the fault -> stop leaves no process
// or file behind.
func TestScenarioLifecycle(t *testing.T) {
	tr := newTestTrainer(t)
	if len(tr.Cat.Scenarios) == 0 {
		t.Fatal("no embedded scenarios")
	}
	for _, sc := range tr.Cat.Scenarios {
		t.Run(sc.ID, func(t *testing.T) {
			testutil.SkipUnless(t, Available(sc))
			if _, err := exec.LookPath("openssl"); err != nil && strings.HasPrefix(sc.Lab, "cert-") {
				testutil.SkipOrFail(t, "openssl not found on PATH (apt-get install openssl)")
			}
			runLifecycle(t, tr, sc)
		})
	}
}

func runLifecycle(t *testing.T, tr *Trainer, sc *Scenario) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	st, err := tr.Start(ctx, sc, false)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			tr.Stop(sc.ID)
		}
	})
	if sc.Lab == "pagefile" {
		// After stop (or a failure before it): no swap, loop device or
		// cgroup of the lab's is left.
		t.Cleanup(func() {
			if !stopped {
				tr.Stop(sc.ID)
			}
			pagefileLeftovers(t, st)
		})
	}
	if st.SupervisorPID == 0 || !procAlive(st.SupervisorPID, "") {
		t.Fatalf("supervisor pid %d not running", st.SupervisorPID)
	}
	for _, p := range st.PIDs {
		if !procAlive(p.PID, p.Name) {
			t.Fatalf("%s (pid %d) not running after start", p.Name, p.PID)
		}
	}

	if sc.Lab == "pagefile" {
		// The block-layer sampler shows the paging on the swap device.
		samplerShowsPaging(t, ctx, st.Vars["agent_name"], st.Vars["replicated_disk"])
	} else if labKinds[sc.Lab].check != nil {
		// The sampler shows the lab's writer.
		samplerShowsWriter(t, ctx, st.Vars["agent_name"])
	} else {
		// The wizard's real probe shows the intended failure.
		res, err := RunWizard(ctx, st.Targets)
		if err != nil {
			t.Fatal(err)
		}
		if r := res[sc.FailingStep]; labKinds[sc.Lab].fixed(r.Status) {
			t.Fatalf("broken lab: step %s is %s (%s), want fail", sc.FailingStep, r.Status, r.Summary)
		}
	}

	// Verify fails on the lab and on the unanswered questions.
	v, err := tr.Verify(ctx, sc)
	if err != nil {
		t.Fatal(err)
	}
	if v.Passed || len(v.Lab) == 0 || len(v.Questions) != len(sc.Questions) {
		t.Fatalf("verify on the broken lab: %+v", v)
	}
	if !strings.Contains(strings.Join(v.Lab, "\n"), sc.FailingStep) && sc.FailingStep != "" {
		t.Errorf("verify does not name step %s: %v", sc.FailingStep, v.Lab)
	}
	for _, q := range sc.Questions {
		if r, err := tr.Answer(sc, q.ID, q.Answer); err != nil || !r.Right {
			t.Fatalf("answer %s=%s: %v %+v", q.ID, q.Answer, err, r)
		}
	}
	if v, _ := tr.Verify(ctx, sc); v.Passed || len(v.Questions) != 0 {
		t.Fatalf("right answers on a broken lab: %+v", v)
	}

	// The fix, with the real commands the last hint shows.
	var h Hint
	for i := 0; i < len(sc.Hints); i++ {
		if h, err = tr.NextHint(sc); err != nil {
			t.Fatal(err)
		}
	}
	if len(h.Fix) == 0 || strings.Contains(strings.Join(h.Fix, "\n"), "${") {
		t.Fatalf("last hint's fix commands: %q", h.Fix)
	}
	runShell(t, ctx, st.Dir, h.Fix)
	v = waitVerify(t, ctx, tr, sc, true)
	if v.Score != 100-10*len(sc.Hints) {
		t.Errorf("score %d with %d hints, want %d", v.Score, len(sc.Hints), 100-10*len(sc.Hints))
	}
	prog, err := LoadProgress(tr.Dirs.Progress)
	if err != nil || !prog[sc.ID].Passed || prog[sc.ID].Hints != len(sc.Hints) {
		t.Errorf("progress after the pass: %+v %v", prog[sc.ID], err)
	}

	// Reset restores the fault (the supervisor waits until the wizard
	// shows it).
	if _, err := tr.Reset(sc.ID); err != nil {
		t.Fatalf("reset: %v", err)
	}
	if v, err := tr.Verify(ctx, sc); err != nil || v.Passed || len(v.Lab) == 0 {
		t.Fatalf("verify after reset: %+v %v", v, err)
	}
	cur, _ := tr.Running(sc.ID)

	// Stop leaves no process or file behind.
	stopped = true
	if err := tr.Stop(sc.ID); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if procAlive(cur.SupervisorPID, "") {
		t.Errorf("supervisor pid %d still running after stop", cur.SupervisorPID)
	}
	for _, p := range cur.PIDs {
		if procAlive(p.PID, p.Name) {
			t.Errorf("%s (pid %d) still running after stop", p.Name, p.PID)
		}
	}
	for _, d := range cur.Dirs {
		if _, err := os.Stat(d); err == nil {
			t.Errorf("%s left behind", d)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(tr.Dirs.State, sc.ID+"*")); len(left) > 0 {
		t.Errorf("state files left behind: %v", left)
	}
}

// runShell runs the fix commands in one sh, in dir, as a learner pastes
// them.
func runShell(t *testing.T, ctx context.Context, dir string, cmds []string) {
	t.Helper()
	cmd := exec.CommandContext(ctx, "sh", "-e", "-c", strings.Join(cmds, "\n"))
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fix commands failed: %v\n%s\n%s", err, strings.Join(cmds, "\n"), out)
	}
}

// waitVerify polls verify until it passes (want true) or a minute passes:
// squid applies a reconfigure a moment after the command returns.
func waitVerify(t *testing.T, ctx context.Context, tr *Trainer, sc *Scenario, want bool) Verdict {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		v, err := tr.Verify(ctx, sc)
		if err != nil {
			t.Fatal(err)
		}
		if v.Passed == want {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("verify after the fix: %+v", v)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// samplerShowsWriter samples the machine twice, 2 s apart, with the
// sampler's live source (as hvrdoctor ui does) and wants a process named
// name writing at least 128 KiB/s (the labs write 256 KiB/s or more).
func samplerShowsWriter(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if name == copyBurst.name {
		// The copy writes only for 5 s of every 20: sample across the
		// next burst.
		now := time.Now()
		next := now.Truncate(20 * time.Second).Add(20 * time.Second)
		time.Sleep(next.Sub(now) - 500*time.Millisecond)
	}
	eng, err := sampler.NewEngine(sampler.NewLiveSource(), sampler.Config{Interval: 2 * time.Second, Classifier: sampler.DefaultClassifier()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Sample(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	f, err := eng.Sample(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Processes {
		if p.Name == name && p.WriteRate >= 128<<10 {
			if name == backupAgent.name && p.ReadRate < 1<<20 {
				t.Fatalf("%s reads %.0f B/s, want about 2 MiB/s from the disk", name, p.ReadRate)
			}
			return
		}
	}
	var seen []string
	for _, p := range f.Processes {
		if p.WriteRate > 0 {
			seen = append(seen, fmt.Sprintf("%s %.0f B/s", p.Name, p.WriteRate))
		}
	}
	t.Fatalf("the sampler does not show %s writing (%s): %v", name, f.Info.WriteLabel, seen)
}

// TestOrphanLabStopsItself: a lab whose state file disappears (its
// directory removed) stops its components and removes its files within
// a few seconds, so no lab outlives the way to stop it.
func TestOrphanLabStopsItself(t *testing.T) {
	testutil.SkipUnless(t, labsSupported())
	tr := newTestTrainer(t)
	sc, err := tr.Cat.Find("listener-off")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := tr.Start(ctx, sc, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { signalProc(st.SupervisorPID, "kill") })
	if err := os.Remove(tr.Dirs.statePath(sc.ID)); err != nil {
		t.Fatal(err)
	}
	if !waitGone(st.SupervisorPID, "", 20*time.Second) {
		t.Fatalf("supervisor pid %d still runs 20 s after its state file was removed", st.SupervisorPID)
	}
	if _, err := os.Stat(st.Dir); err == nil {
		t.Errorf("%s left behind", st.Dir)
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
