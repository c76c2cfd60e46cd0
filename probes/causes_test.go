package probes

import (
	"context"
	"strings"
	"testing"
	"time"
)

// causeStub returns a fixed result after a delay.
type causeStub struct {
	id    string
	delay time.Duration
	res   Result
}

func (s causeStub) ID() string              { return s.id }
func (s causeStub) Title() string           { return "Step " + s.id }
func (s causeStub) About() string           { return "" }
func (s causeStub) AppliesTo(AuthType) bool { return true }
func (s causeStub) Run(ctx context.Context, _ *Target) Result {
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
	}
	return s.res
}

// A later step that fails after a cause it waits for (After) says
// "likely caused by" and carries the cause's fixes, even when the cause
// takes longer to finish; one without the link keeps its own.
func TestLaterFailureExplainedByEarlierCause(t *testing.T) {
	causeFixes := []Fix{{Text: "exclude from inspection", Where: OnProxy}}
	cause := causeStub{id: "cause", delay: 200 * time.Millisecond, res: Result{Status: StatusFail, Summary: "Proxy inspects HTTPS.",
		Cause: &Cause{Kind: "https-inspection", What: "HTTPS inspection on proxy p:3128", Fixes: causeFixes}}}
	own := []Fix{{Text: "Enable the firewall rule", Command: "Enable-NetFirewallRule"}}
	later := causeStub{id: "later", res: Result{Status: StatusError, Summary: "TLS handshake timed out.", Fixes: own}}
	unlinked := causeStub{id: "unlinked", res: Result{Status: StatusFail, Summary: "Something else.", Fixes: own}}
	steps := []Step{{Probe: cause}, {Probe: later, After: []string{"cause"}}, {Probe: unlinked}}
	tg := &Target{Replica: "r", Port: 443, Timeout: time.Second}
	res := Runner{}.Run(context.Background(), tg, steps)
	if !strings.Contains(res[1].Summary, "Likely caused by HTTPS inspection on proxy p:3128") || res[1].LikelyCause == "" {
		t.Errorf("later step: %q / %q", res[1].Summary, res[1].LikelyCause)
	}
	if len(res[1].Fixes) != 1 || res[1].Fixes[0].Text != "exclude from inspection" {
		t.Errorf("later step should offer the cause's fixes, not its own: %+v", res[1].Fixes)
	}
	if res[2].LikelyCause != "" || res[2].Fixes[0].Command != "Enable-NetFirewallRule" {
		t.Errorf("a step not waiting for the cause keeps its own verdict: %+v", res[2])
	}
	// A pass is never rewritten.
	steps[1].Probe = causeStub{id: "later", res: Result{Status: StatusPass, Summary: "ok"}}
	if r := (Runner{}).Run(context.Background(), tg, steps); r[1].Summary != "ok" {
		t.Errorf("pass rewritten: %q", r[1].Summary)
	}
}
