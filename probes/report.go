package probes

import (
	"time"
)

// ReportSchema identifies the JSON document `hvrdoctor check --format json`
// prints. Fields are only ever added within a schema version; a rename or
// removal bumps it. docs/check-json.md documents every field.
const ReportSchema = "hvrdoctor.check/v1"

// Report is the outcome of a check run: the target, where and when it ran,
// and one entry per plan step. It is the JSON document of `check --format
// json` and the input of the text and Markdown renderers.
type Report struct {
	Schema string       `json:"schema"`
	Tool   string       `json:"tool"`
	Host   string       `json:"host"`
	Time   time.Time    `json:"time"`
	Target ReportTarget `json:"target"`
	// Status is the overall outcome: "pass", "warn", "error" or "fail".
	Status string         `json:"status"`
	Counts map[string]int `json:"counts"`
	Steps  []ReportStep   `json:"steps"`
}

// ReportTarget is the target as checked. The proxy is given without any
// user name or password.
type ReportTarget struct {
	Replica     string   `json:"replica"`
	Port        int      `json:"port"`
	Auth        string   `json:"auth"`
	Proxy       string   `json:"proxy,omitempty"`
	ProxySource string   `json:"proxy_source,omitempty"`
	ProxyInPath bool     `json:"proxy_in_path"`
	ProxyNote   string   `json:"proxy_note"`
	BypassList  []string `json:"bypass_list,omitempty"`
	BypassProxy bool     `json:"bypass_proxy"`
	TimeoutMS   int64    `json:"timeout_ms"`
	VMName      string   `json:"vm,omitempty"`
}

// ReportStep is one step's result.
type ReportStep struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	About      string   `json:"about"`
	Status     string   `json:"status"`
	Summary    string   `json:"summary"`
	DurationMS float64  `json:"duration_ms"`
	Evidence   []string `json:"evidence,omitempty"`
	Reason     string   `json:"reason,omitempty"`
	Codes      []string `json:"codes,omitempty"`
	Fixes      []Fix    `json:"fixes,omitempty"`
	// LikelyCause names the earlier finding that likely explains this
	// step's failure; its fixes are that cause's.
	LikelyCause string `json:"likely_cause,omitempty"`
}

// NewReport assembles a report from a plan's steps and their results
// (same order), the host the check ran on and when it started.
func NewReport(t *Target, steps []Step, results []Result, tool, host string, at time.Time) Report {
	inPath, note := t.ProxyInPath()
	r := Report{
		Schema: ReportSchema,
		Tool:   tool,
		Host:   host,
		Time:   at.UTC(),
		Target: ReportTarget{
			Replica: t.Replica, Port: t.Port, Auth: string(t.Auth),
			ProxySource: t.ProxySource, ProxyInPath: inPath, ProxyNote: note,
			BypassList: t.NoProxy, BypassProxy: t.BypassProxy,
			TimeoutMS: t.timeout().Milliseconds(), VMName: t.VMName,
		},
		Status: Worst(results).String(),
		Counts: map[string]int{"pass": 0, "warn": 0, "fail": 0, "skip": 0, "error": 0},
	}
	if t.Proxy != nil {
		r.Target.Proxy = "http://" + t.Proxy.Host
	}
	for i, res := range results {
		st := ReportStep{
			ID: res.ProbeID, Status: res.Status.String(), Summary: res.Summary,
			DurationMS: float64(res.Duration.Microseconds()) / 1000,
			Evidence:   res.Evidence, Reason: res.Reason, Codes: res.Codes, Fixes: res.Fixes,
			LikelyCause: res.LikelyCause,
		}
		if i < len(steps) && steps[i].Probe != nil {
			st.Title, st.About = steps[i].Probe.Title(), steps[i].Probe.About()
			if st.ID == "" {
				st.ID = steps[i].Probe.ID()
			}
		}
		r.Counts[st.Status]++
		r.Steps = append(r.Steps, st)
	}
	return r
}

// Failed reports whether any step failed or could not run: the exit code
// of `check` is 1 then.
func (r Report) Failed() bool { return r.Counts["fail"] > 0 || r.Counts["error"] > 0 }
