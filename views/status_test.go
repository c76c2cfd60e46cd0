package views

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// The fixtures are hyperv/testdata/status (see hyperv/status_test.go for
// where their property names and enums come from): typed, not recorded on
// a Hyper-V host.

func fixtureReport(t *testing.T, from ...string) hyperv.StatusReport {
	t.Helper()
	s, err := hyperv.ReadFiles(from)
	if err != nil {
		t.Fatal(err)
	}
	return hyperv.NewStatusReport(s, time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC), "--at")
}

// A VM name and message from the files cannot become Markdown markup or
// drive the terminal, in Markdown and in text.
func TestStatusMarkdownEscapesFileText(t *testing.T) {
	p := filepath.Join(testutil.TempDir(t), "m.json")
	if err := os.WriteFile(p, []byte(`{"VMName":"*evil*\u001b[31m","Health":"Warning","SuccessfulReplicationCount":1,"MissedReplicationCount":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	r := fixtureReport(t, p)
	md, text := StatusMarkdown(r), StatusText(r)
	for name, out := range map[string]string{"markdown": md, "text": text} {
		if strings.Contains(out, "\x1b") {
			t.Errorf("%s: escape in output %q", name, out)
		}
	}
	if !strings.Contains(md, `## \*evil\*`) {
		t.Errorf("markdown: VM name not escaped:\n%s", md)
	}
}

// The Replication tab's VM page and status's report lay a VM out once
// (vmLines): every line status prints for a VM is on its page, at every
// width, wrapped but not reworded. Before, the page had its own wording
// ("State Critical; Hyper-V reports Critical.", "Critical: Event ...")
// and left out the primary server, the frequency and the rule IDs.
func TestReplicationPageShowsStatusLines(t *testing.T) {
	for _, form := range []string{"ps7", "ps51"} {
		r := fixtureReport(t, filepath.Join("..", "hyperv", "testdata", "status", form))
		text := StatusText(r)
		for _, v := range r.VMs {
			for _, w := range []int{40, 80, 200} {
				// Spaces are dropped: a word longer than the width is broken.
				page := strings.Join(strings.Fields(ansiRE.ReplaceAllString(strings.Join(ReplicationPage(v, r.AsOf, w, ASCII, NewTheme(true)), " "), "")), "")
				for _, l := range vmLines(v, r.AsOf, 0) {
					for _, s := range []string{l.text, l.code} {
						s = strings.Join(strings.Fields(Printable(s)), "")
						if s != "" && !strings.Contains(page, s) {
							t.Errorf("%s %s/%s at %d: page lacks %q", form, v.Name, v.Relationship, w, s)
						}
					}
				}
			}
			// status's text is the same lines (messages cut at 240).
			for _, l := range vmLines(v, r.AsOf, 240) {
				if !strings.Contains(text, Printable(l.text)) {
					t.Errorf("%s %s: text lacks %q", form, v.Name, l.text)
				}
			}
		}
	}
}
