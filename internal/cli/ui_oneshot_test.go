package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// When the disks wrote but no process still running did (a copy that
// ended between the two samples), the one-shot table must not say flatly
// that nothing wrote under a heading that shows the disks writing.
func TestUIOneShotDiskWritesWithoutRunningWriter(t *testing.T) {
	var b strings.Builder
	uiWriteTable(&b, sampler.Frame{Elapsed: 2 * time.Second, DiskWriteRate: 85 << 20}, "vm")
	out := b.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	if !strings.Contains(last, "85.0 MiB/s") || !strings.Contains(last, "exited before the second sample") || !strings.Contains(last, "hvrdoctor record") {
		t.Errorf("last line should account for the disks' 85.0 MiB/s and point to record:\n%s", out)
	}
	b.Reset()
	uiWriteTable(&b, sampler.Frame{Elapsed: 2 * time.Second}, "vm")
	if !strings.Contains(b.String(), "no process wrote during the 2s; run again with a longer --interval") {
		t.Errorf("an idle machine keeps the plain message:\n%s", b.String())
	}
}
