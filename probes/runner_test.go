package probes

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// stubProbe is a scripted probe for runner tests: the runner's logic
// (order, prerequisites, concurrency, cancellation) is what is tested.
type stubProbe struct {
	id   string
	auth AuthType
	run  func(ctx context.Context) Result
}

func (s stubProbe) ID() string    { return s.id }
func (s stubProbe) Title() string { return "Step " + s.id }
func (s stubProbe) About() string { return "test step" }
func (s stubProbe) AppliesTo(a AuthType) bool {
	return s.auth == "" || s.auth == a
}
func (s stubProbe) Run(ctx context.Context, _ *Target) Result { return s.run(ctx) }

func status(st Status) func(context.Context) Result {
	return func(context.Context) Result { return Result{Status: st, Summary: st.String()} }
}

func TestRunnerSkipsStepsWhosePrerequisiteFailed(t *testing.T) {
	steps := []Step{
		{Probe: stubProbe{id: "a", run: status(StatusFail)}},
		{Probe: stubProbe{id: "b", run: status(StatusPass)}, Needs: []string{"a"}},
		{Probe: stubProbe{id: "c", run: status(StatusPass)}, Needs: []string{"b"}},
		{Probe: stubProbe{id: "d", run: status(StatusWarn)}},
		{Probe: stubProbe{id: "e", run: status(StatusPass)}, Needs: []string{"d", "not-in-plan"}},
	}
	var events []string
	var mu sync.Mutex
	r := Runner{OnEvent: func(e Event) {
		mu.Lock()
		events = append(events, e.Probe.ID()+":"+e.Result.Status.String())
		mu.Unlock()
	}}
	res := r.Run(context.Background(), &Target{Timeout: time.Second}, steps)
	want := []Status{StatusFail, StatusSkip, StatusSkip, StatusWarn, StatusPass}
	for i, w := range want {
		if res[i].Status != w || res[i].ProbeID != steps[i].Probe.ID() {
			t.Errorf("step %s: %s (%q), want %s", steps[i].Probe.ID(), res[i].Status, res[i].Summary, w)
		}
	}
	if !strings.Contains(res[1].Summary, `needs "Step a", which failed`) || !strings.Contains(res[2].Summary, "was skipped") {
		t.Errorf("skip reasons: %q / %q", res[1].Summary, res[2].Summary)
	}
	// Every step that ran reported its start before its result.
	for _, id := range []string{"a", "d", "e"} {
		start, end := -1, -1
		for i, e := range events {
			if e == id+":running" {
				start = i
			} else if strings.HasPrefix(e, id+":") {
				end = i
			}
		}
		if start < 0 || end < start {
			t.Errorf("events for %s out of order: %v", id, events)
		}
	}
	if Worst(res) != StatusFail {
		t.Errorf("worst = %s", Worst(res))
	}
}

func TestRunnerRunsIndependentStepsConcurrently(t *testing.T) {
	// a and b each wait until the other has started: they only both
	// finish if the runner runs them at the same time.
	aStarted, bStarted := make(chan struct{}), make(chan struct{})
	wait := func(mine, other chan struct{}) func(context.Context) Result {
		return func(ctx context.Context) Result {
			close(mine)
			select {
			case <-other:
				return Result{Status: StatusPass}
			case <-ctx.Done():
				return Result{Status: StatusError, Summary: "ran alone"}
			}
		}
	}
	steps := []Step{
		{Probe: stubProbe{id: "a", run: wait(aStarted, bStarted)}},
		{Probe: stubProbe{id: "b", run: wait(bStarted, aStarted)}},
	}
	res := Runner{}.Run(context.Background(), &Target{Timeout: 10 * time.Second}, steps)
	if res[0].Status != StatusPass || res[1].Status != StatusPass {
		t.Fatalf("independent steps did not overlap: %+v", res)
	}
}

func TestRunnerStepTimeoutAndCancellation(t *testing.T) {
	block := func(ctx context.Context) Result {
		<-ctx.Done()
		return Result{Status: StatusError, Summary: "stopped: " + ctx.Err().Error()}
	}
	// The per-step timeout ends a step that hangs.
	res := Runner{StepTimeout: 50 * time.Millisecond}.Run(context.Background(), &Target{},
		[]Step{{Probe: stubProbe{id: "hang", run: block}}})
	if res[0].Status != StatusError || !strings.Contains(res[0].Summary, "deadline exceeded") {
		t.Errorf("timeout: %s %q", res[0].Status, res[0].Summary)
	}

	// Cancelling the run stops the running step and skips the rest.
	ctx, cancel := context.WithCancel(context.Background())
	steps := []Step{
		{Probe: stubProbe{id: "hang", run: func(c context.Context) Result { cancel(); return block(c) }}},
		{Probe: stubProbe{id: "after", run: status(StatusPass)}, Needs: []string{"hang"}},
	}
	res = Runner{}.Run(ctx, &Target{Timeout: time.Hour}, steps)
	for i := range res {
		if res[i].Status != StatusSkip || !strings.Contains(strings.ToLower(res[i].Summary), "cancel") {
			t.Errorf("after cancel, step %d: %s %q", i, res[i].Status, res[i].Summary)
		}
	}
}

func TestRunnerTurnsPanicIntoError(t *testing.T) {
	res := Runner{}.Run(context.Background(), &Target{}, []Step{{Probe: stubProbe{id: "p", run: func(context.Context) Result { panic("boom") }}}})
	if res[0].Status != StatusError || !strings.Contains(res[0].Summary, "boom") {
		t.Errorf("panic: %s %q", res[0].Status, res[0].Summary)
	}
}

// fakeClock advances by step on every reading.
type fakeClock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(f.step)
	return f.t
}

func TestRunnerTimesStepsWithInjectedClock(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), step: 250 * time.Millisecond}
	res := Runner{Clock: clk}.Run(context.Background(), &Target{}, []Step{{Probe: stubProbe{id: "x", run: status(StatusPass)}}})
	if res[0].Duration != 250*time.Millisecond {
		t.Errorf("duration = %s, want one clock step", res[0].Duration)
	}
}

func TestPlanOrderAndAuthFilter(t *testing.T) {
	ids := func(steps []Step) string {
		var s []string
		for _, st := range steps {
			s = append(s, st.Probe.ID())
		}
		return strings.Join(s, ",")
	}
	k := ids(Plan(&Target{Auth: AuthKerberos}))
	if !strings.HasPrefix(k, "dns,tcp,listener,proxy-path,proxy-large-upload") || strings.Contains(k, IDHTTPSInspection) {
		t.Errorf("kerberos plan = %s", k)
	}
	c := ids(Plan(&Target{Auth: AuthCertificate}))
	if !strings.HasPrefix(c, "dns,tcp,listener,proxy-path,https-inspection") || strings.Contains(c, IDProxyLargeUpload) {
		t.Errorf("certificate plan = %s", c)
	}
}

// TestRunnerAbandonsAStuckProbe: a probe that ignores its context (a
// library call without one) cannot hold the check: after the step timeout
// and the grace period it is reported as timed out, and on Ctrl-C the run
// ends the same way. Before issue 13 Run waited for it forever.
func TestRunnerAbandonsAStuckProbe(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	stuck := func(context.Context) Result { <-block; return Result{Status: StatusPass} }
	steps := []Step{
		{Probe: stubProbe{id: "stuck", run: stuck}},
		{Probe: stubProbe{id: "after", run: status(StatusPass)}, Needs: []string{"stuck"}},
		{Probe: stubProbe{id: "free", run: status(StatusPass)}},
	}
	finished := make(chan []Result, 1)
	go func() {
		r := Runner{StepTimeout: 50 * time.Millisecond, AbandonAfter: 50 * time.Millisecond}
		finished <- r.Run(context.Background(), &Target{Timeout: time.Second}, steps)
	}()
	select {
	case res := <-finished:
		if res[0].Status != StatusError || !strings.Contains(res[0].Summary, "Timed out") || !strings.Contains(res[0].Summary, "abandoned") {
			t.Errorf("stuck step: %s %q, want an error saying it timed out and was abandoned", res[0].Status, res[0].Summary)
		}
		if res[1].Status != StatusSkip || res[2].Status != StatusPass {
			t.Errorf("other steps: %s, %s; want skip, pass", res[1].Status, res[2].Status)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run still waits for a probe that ignores its context")
	}

	// Ctrl-C: the step is cancelled, not timed out.
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		r := Runner{StepTimeout: time.Hour, AbandonAfter: 50 * time.Millisecond}
		finished <- r.Run(ctx, &Target{Timeout: time.Second}, steps[:1])
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case res := <-finished:
		if res[0].Status != StatusSkip {
			t.Errorf("cancelled stuck step: %s %q, want skip", res[0].Status, res[0].Summary)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run ignores Ctrl-C while a probe ignores its context")
	}
}
