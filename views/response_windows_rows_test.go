package views

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// A Windows ETW row's write figures are the source's own disk bytes
// (SourceDisk, not the block layer's DiskBytes); its page still shows the
// mean response time of the requests the Kernel-Disk events charged to
// it, and no block-layer lines (Dirtied, writeback share).
func TestDetailShowsResponseOfSourceDiskRow(t *testing.T) {
	p := sampler.ProcessRates{Key: sampler.ProcKey{PID: 2840, Start: 1}, Name: "sqlservr.exe", SourceDisk: true,
		WriteRate: 20 << 20, DiskIONanos: 6e6, DiskIOCount: 2}
	out := ansi.Strip(Detail(DetailData{Process: p, WriteLabel: "disk writes per process, from ETW (Kernel-Disk)"}, 120, 20, NewTheme(true)))
	if !strings.Contains(out, "Response") || !strings.Contains(out, "3.00 ms") || !strings.Contains(out, "2 requests") {
		t.Errorf("page lacks the response time 3.00 ms over 2 requests:\n%s", out)
	}
	for _, not := range []string{"Dirtied", "writeback share"} {
		if strings.Contains(out, not) {
			t.Errorf("a Windows row's page shows the block-layer line %q:\n%s", not, out)
		}
	}
	p.DiskIONanos, p.DiskIOCount = 0, 0
	if out := ansi.Strip(Detail(DetailData{Process: p}, 120, 20, NewTheme(true))); strings.Contains(out, "Response") {
		t.Errorf("page shows a response time with no timed request:\n%s", out)
	}
}
