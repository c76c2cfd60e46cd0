package probes

import (
	"fmt"
	"strings"
)

// Cause is a finding that can explain later failures: a proxy that
// demands authentication, refuses, cannot resolve or reach the replica, or
// inspects HTTPS. A later step that fails after it (and lists its step in
// Needs or After) says "likely caused by" it and offers its fixes instead
// of its own.
type Cause struct {
	// Kind is stable: "proxy-auth", "proxy-refusal", "proxy-name",
	// "proxy-connect", "proxy-error", "https-inspection".
	Kind string
	// What is a short phrase for "likely caused by ...": "proxy
	// 10.0.0.5:3128 demanding authentication (407)".
	What  string
	Fixes []Fix
}

func causeKind(f proxyFault) string {
	switch f {
	case faultAuth:
		return "proxy-auth"
	case faultDenied:
		return "proxy-refusal"
	case faultName:
		return "proxy-name"
	case faultConnect:
		return "proxy-connect"
	}
	return "proxy-error"
}

func causeWhat(t *Target, f proxyFault) string {
	p := "proxy " + t.Proxy.Host
	switch f {
	case faultAuth:
		return p + " demanding authentication (407)"
	case faultDenied:
		return p + " refusing to forward to " + t.Addr()
	case faultName:
		return p + " not resolving " + t.Replica
	case faultConnect:
		return p + " not reaching " + t.Addr()
	case faultTooBig:
		return p + " refusing the request's size"
	}
	return p + " answering with its own error"
}

// explainLater relates a step's failure to a cause found by an earlier
// step it waits for (Needs or After). results and final hold what has
// finished so far. A step that is itself the same cause is left as is.
func explainLater(steps []Step, index map[string]int, results []Result, final []bool, i int, res Result) Result {
	if res.Status != StatusFail && res.Status != StatusError && res.Status != StatusWarn {
		return res
	}
	deps := append(append([]string{}, steps[i].Needs...), steps[i].After...)
	for _, id := range deps {
		j, ok := index[id]
		if !ok || !final[j] || results[j].Cause == nil {
			continue
		}
		c := results[j].Cause
		if res.Cause != nil && res.Cause.Kind == c.Kind {
			return res
		}
		res.LikelyCause = fmt.Sprintf("%s (step %q)", c.What, steps[j].Probe.Title())
		res.Summary = strings.TrimSpace(res.Summary) + " Likely caused by " + res.LikelyCause + "."
		why := fmt.Sprintf("Likely caused by %s, found by the step %q: the fixes are that cause's.", c.What, steps[j].Probe.Title())
		if res.Reason != "" {
			why += " " + res.Reason
		}
		res.Reason = why
		res.Fixes = append([]Fix(nil), c.Fixes...)
		return res
	}
	return res
}
