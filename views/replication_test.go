package views

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
)

// The page of each fixture VM (hyperv/testdata/status: typed from the
// documented property names, not recorded on a host) fits its width, and
// every fix command is shown whole (wrapped, never cut), with the events'
// error codes explained.
func TestReplicationPageFitsAndKeepsCommandsWhole(t *testing.T) {
	s, err := hyperv.ReadFiles([]string{filepath.Join("..", "hyperv", "testdata", "status", "ps7")})
	if err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	th := NewTheme(true)
	for _, v := range hyperv.Status(s, asOf) {
		for _, w := range []int{40, 80, 200} {
			lines := ReplicationPage(v, asOf, w, ASCII, th)
			for _, l := range lines {
				if Width(l) > w {
					t.Errorf("%s at %d: line of %d cells: %q", v.Name, w, Width(l), l)
				}
			}
			joined := strings.Join(strings.Fields(ansiRE.ReplaceAllString(strings.Join(lines, " "), "")), " ")
			for _, f := range v.Fixes {
				if f.Command != "" && !strings.Contains(joined, f.Command) {
					t.Errorf("%s at %d: command %q not whole", v.Name, w, f.Command)
				}
			}
			if v.Name == "SQL01" && v.Relationship == "primary" && !strings.Contains(joined, "0x00002EF1 ERROR_WINHTTP_OPERATION_CANCELLED") {
				t.Errorf("SQL01 at %d: the event's code is not explained", w)
			}
			if v.Name == "LOG01" && !strings.Contains(joined, "Last Replication Size") {
				t.Errorf("LOG01 at %d: no counters", w)
			}
		}
		list := ReplicationList(ReplicationData{VMs: []hyperv.VM{v}, Source: "x", AsOf: asOf}, 0, 80, 5, th)
		if strings.Count(list, "\n") != 4 {
			t.Errorf("list is not 5 lines: %q", list)
		}
	}
}

var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*m")
