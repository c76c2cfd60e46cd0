package hyperv

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The report's verdict and the JSON document (docs/status-json.md) come
// from hyperv: the exit code follows the worst VM and the audit, and lists
// are [] (never null) when empty, as the schema says.
func TestStatusDocumentVerdictAndEmptyLists(t *testing.T) {
	at := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	s, err := ReadFiles([]string{filepath.Join("testdata", "status", "ps51")})
	if err != nil {
		t.Fatal(err)
	}
	r := NewStatusReport(s, at, "--at")
	doc := NewStatusDocument(r)
	if r.ExitCode() != StatusExitFail || doc.ExitCode != StatusExitFail || doc.Schema != "hvrdoctor.status/v1" || doc.WorstHealth != "Critical" || len(doc.VMs) != 6 {
		t.Fatalf("exit %d, document %+v", r.ExitCode(), doc)
	}
	empty := NewStatusReport(&Snapshot{}, at, "now")
	if empty.ExitCode() != StatusExitOK {
		t.Errorf("no VM, no audit: exit %d", empty.ExitCode())
	}
	b, err := json.Marshal(NewStatusDocument(empty))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"files":[]`, `"skipped":[]`, `"vms":[]`, `"audit":[]`, `"host_events":[]`, `"exit_code":0`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("empty document lacks %s: %s", k, b)
		}
	}
}
