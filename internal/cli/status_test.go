package cli

import (
	"bytes"
	"encoding/json"
	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
)

// The fixtures are hyperv/testdata/status (see hyperv/status_test.go for
// where their property names and enums come from): typed, not recorded on
// a Hyper-V host.

func statusRun(args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	code := dispatch(append([]string{"status"}, args...), &out, &errb)
	return out.String(), errb.String(), code
}

func TestStatusTextNamesHealthRuleEventsAndFix(t *testing.T) {
	for _, form := range []string{"ps7", "ps51"} {
		out, errOut, code := statusRun("--from", filepath.Join("..", "..", "hyperv", "testdata", "status", form))
		if code != exitFail || errOut != "" {
			t.Fatalf("%s: exit %d, stderr %q", form, code, errOut)
		}
		for _, want := range []string{
			"SQL01 (primary relationship): Critical",
			"[Critical] suspended-event: Event 32086",
			"the documented chain 32315 -> 32022 -> 32086",
			"0x00002EF1 ERROR_WINHTTP_OPERATION_CANCELLED",
			"Resume-VMReplication -VMName 'SQL01'",
			"FILE01 (primary relationship): Warning",
			"[Warning] missed-cycles: 30 of 130 replication cycles missed",
			"WEB01 (primary relationship): Normal",
			"SQL01 (extended relationship): Normal",
			"APP01 (primary relationship): Critical",
			"LOG01 (primary relationship): Normal",
			"Resync forecast: pending 45.0 GiB is 90% of the 50.0 GiB (50% of 100 GiB of virtual disks)",
			"Basis: Pending replication size (Measure-VMReplication)",
			"Rules evaluated as of 2026-12-06 09:00:00 UTC (the latest time in the files)",
			"event 14050",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %q", form, want)
			}
		}
	}
}

func TestStatusExitCodes(t *testing.T) {
	dir := testutil.TempDir(t)
	data, err := os.ReadFile(filepath.Join("..", "..", "hyperv", "testdata", "status", "ps7", "measure.json"))
	if err != nil {
		t.Fatal(err)
	}
	var all []map[string]any
	if err := json.Unmarshal(data, &all); err != nil {
		t.Fatal(err)
	}
	one, _ := json.Marshal(all[0]) // WEB01, healthy: a single object, as ConvertTo-Json writes one VM
	p := filepath.Join(dir, "web01.json")
	os.WriteFile(p, one, 0o600)
	if out, errOut, code := statusRun("--from", p); code != exitOK || !strings.Contains(out, "WEB01 (primary relationship): Normal") {
		t.Errorf("healthy VM: exit %d\n%s%s", code, out, errOut)
	}
	for _, args := range [][]string{
		{"--from", filepath.Join(dir, "missing.json")},
		{"--format", "xml", "--from", p},
		{"--at", "yesterday", "--from", p},
		{"--from", ""},
		{"--bogus"},
	} {
		out, errOut, code := statusRun(args...)
		if code != exitUsage || out != "" || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%q: exit %d stdout %q stderr %q", args, code, out, errOut)
		}
	}
	bad := filepath.Join(dir, "partial.json")
	os.WriteFile(bad, data[:len(data)/2], 0o600)
	_, errOut, code := statusRun("--from", bad)
	if code != exitUsage || !strings.Contains(errOut, "partial.json") || !strings.Contains(errOut, "cut short") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("partial JSON: exit %d stderr %q", code, errOut)
	}
}

func TestStatusWithoutFromOffWindows(t *testing.T) {
	want := "hvrdoctor status: " + hyperv.ErrNotHyperVHost.Error() + "\n"
	if runtime.GOOS == "windows" {
		if !testutil.UnderWine() {
			t.Skip("on a real Windows machine the answer depends on whether it is a Hyper-V host")
		}
		// Wine has no Virtual Machine Management service.
		want = "hvrdoctor status: " + hyperv.ErrNoVMMS.Error() + "\n"
	}
	out, errOut, code := statusRun()
	if code != exitUsage || out != "" || errOut != want {
		t.Errorf("exit %d stdout %q stderr %q", code, out, errOut)
	}
}

func TestStatusJSONSchema(t *testing.T) {
	out, _, code := statusRun("--format", "json", "--from", filepath.Join("..", "..", "hyperv", "testdata", "status", "ps51"), "--at", "2026-12-06T09:30:00Z")
	if code != exitFail {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Schema      string
		WorstHealth string `json:"worst_health"`
		VMs         []struct {
			Name, Relationship, Health string
			Rules                      []struct{ ID, Level string }
			Events                     []struct {
				ID    int
				Known bool
				Codes []struct{ Code, Name string }
			}
			Chain string
			Fixes []struct{ Command, Where string }
			Stats *struct {
				PendingBytes *int64 `json:"pending_bytes"`
				MissedCycles *int   `json:"missed_cycles"`
			}
			Forecast *struct {
				Near         bool     `json:"near"`
				SecondsUntil *float64 `json:"seconds_until"`
				Basis        string
			}
		}
		ExitCode int `json:"exit_code"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "hvrdoctor.status/v1" || doc.WorstHealth != "Critical" || doc.ExitCode != 1 || len(doc.VMs) != 6 {
		t.Fatalf("document: %+v", doc)
	}
	if !strings.Contains(out, `"as_of": "2026-12-06T09:30:00Z"`) || !strings.Contains(out, `"as_of_basis": "--at"`) {
		t.Errorf("as_of: %s", out[:200])
	}
	var sql, log bool
	for _, v := range doc.VMs {
		switch v.Name + "/" + v.Relationship {
		case "SQL01/primary":
			sql = v.Health == "Critical" && v.Chain == "32315 -> 32022 -> 32086" && len(v.Events) == 3 && v.Events[1].Codes[0].Name == "ERROR_WINHTTP_OPERATION_CANCELLED" &&
				v.Stats != nil && *v.Stats.MissedCycles == 26
		case "LOG01/primary":
			log = v.Forecast != nil && v.Forecast.Near && v.Forecast.SecondsUntil != nil && *v.Forecast.SecondsUntil == 5120
		}
	}
	if !sql || !log {
		t.Errorf("SQL01 %v LOG01 %v:\n%s", sql, log, out)
	}
}

func TestStatusMarkdownEscapesFileText(t *testing.T) {
	dir := testutil.TempDir(t)
	p := filepath.Join(dir, "m.json")
	os.WriteFile(p, []byte(`{"VMName":"*evil*\u001b[31m","Health":"Warning","SuccessfulReplicationCount":1,"MissedReplicationCount":1}`), 0o600)
	for _, f := range []string{"markdown", "text"} {
		out, _, code := statusRun("--format", f, "--from", p)
		if code != exitFail || strings.Contains(out, "\x1b") {
			t.Errorf("%s: exit %d, escape in output %q", f, code, out)
		}
		if f == "markdown" && !strings.Contains(out, `## \*evil\*`) {
			t.Errorf("markdown: VM name not escaped:\n%s", out)
		}
	}
}

func TestExplainEventIDs(t *testing.T) {
	for _, in := range [][]string{{"32086"}, {"event", "32086"}, {"Event ID: 32086"}} {
		var out, errb bytes.Buffer
		code := dispatch(append([]string{"explain"}, in...), &out, &errb)
		if code != exitOK || !strings.HasPrefix(out.String(), "Event 32086  Microsoft-Windows-Hyper-V-VMMS-Admin") ||
			!strings.Contains(out.String(), "suspended") || !strings.Contains(out.String(), "32315 -> 32022 -> 32086") {
			t.Errorf("%q: exit %d\n%s%s", in, code, out.String(), errb.String())
		}
	}
	// An error code keeps its meaning.
	var out, errb bytes.Buffer
	if code := dispatch([]string{"explain", "12019"}, &out, &errb); code != exitOK || !strings.HasPrefix(out.String(), "0x00002EF3") {
		t.Errorf("12019: exit %d %q", code, out.String())
	}
	out.Reset()
	if code := dispatch([]string{"explain", "event", "14050"}, &out, &errb); code != exitOK || !strings.Contains(out.String(), "KB2761899") {
		t.Errorf("14050: %q", out.String())
	}
}

// The README's line for Windows PowerShell 5.1 is the reader's own script,
// so the names it saves are the ones the parser reads.
func TestReadmeSavesGetVMReplicationWithTheReadersScript(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), hyperv.VMReplicationScript+" | Set-Content") {
		t.Error("README lacks hyperv.VMReplicationScript")
	}
	if !strings.Contains(string(data), hyperv.MeasureScript+" | Set-Content") {
		t.Error("README lacks hyperv.MeasureScript")
	}
}

// Without a terminal the UI prints a one-shot table: --from, which needs
// the Replication tab, is a usage error pointing at status.
func TestUIFromWithoutTerminal(t *testing.T) {
	var out, errb bytes.Buffer
	code := dispatch([]string{"--from", filepath.Join("..", "..", "hyperv", "testdata", "status", "ps7")}, &out, &errb)
	if code != exitUsage || out.Len() != 0 || !strings.Contains(errb.String(), "hvrdoctor status --from") || strings.Count(errb.String(), "\n") != 1 {
		t.Errorf("exit %d stdout %q stderr %q", code, out.String(), errb.String())
	}
}
