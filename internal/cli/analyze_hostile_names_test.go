package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// hostileRecording writes 12 minutes of HVRStats, ProcStats and FileStats
// in the recorder's format (README "Recording") whose process name, file
// path, host and second disk carry an OSC title sequence, a colour, a
// clear-screen and a right-to-left override, with one row whose queue is
// 1e308 and one whose busy share is 5000%.
func hostileRecording(t *testing.T) string {
	t.Helper()
	dir := testutil.TempDir(t)
	const evil = "\x1b]0;PWN\x07\x1b[31m\x1b[2J\u202e"
	var h, p, f strings.Builder
	d2 := "nvme" + evil
	fmt.Fprintf(&h, "Timestamp,HourMinute,IntervalSeconds,TotalWriteBytesPerSec,TotalReadBytesPerSec,sda.WriteBytesPerSec,sda.ReadBytesPerSec,%[1]s.WriteBytesPerSec,%[1]s.ReadBytesPerSec,Sample,Host,"+
		"sda.ActiveTimePercent,sda.AvgQueueLength,sda.AvgResponseMs,%[1]s.ActiveTimePercent,%[1]s.AvgQueueLength,%[1]s.AvgResponseMs\n", d2)
	p.WriteString("Timestamp,HourMinute,Process,PID,Class,WriteBytesPerSec,ReadBytesPerSec,WriteBytesTotal,ReadBytesTotal,ProcessStart,Sample,CancelledWriteBytesPerSec,WriteBasis,ChildrenWriteBytes,DirtiedBytesPerSec,DiskResponseMs\n")
	f.WriteString("Timestamp,HourMinute,Process,PID,File,WriteBytesPerSec,ReadBytesPerSec,WriteBytes,ReadBytes,Sample,Via,Medium,Deleted,DiskWriteBytes,DiskResponseMs\n")
	start := time.Date(2026, 11, 24, 4, 50, 0, 0, time.FixedZone("CET", 3600))
	var total int64
	for i := 0; i < 12*60; i++ {
		ts := start.Add(time.Duration(i) * time.Second)
		stamp, hm := ts.Format("2006-01-02T15:04:05.000-07:00"), ts.Format("15:04")
		w := int64(1 << 20)
		if ts.Minute() == 57 {
			w = 40 << 20
		}
		total += w
		queue, active := "1.5", "50"
		switch i {
		case 420:
			queue = "1e308"
		case 421:
			active = "5000"
		}
		fmt.Fprintf(&h, "%s,%s,1,%d,0,%d,0,0,0,%d,host%s,%s,%s,5,20,1,1\n", stamp, hm, w, w, i+1, evil, active, queue)
		fmt.Fprintf(&p, "%s,%s,\"sql%s\",1800,workload,%d,0,%d,0,1,%d,0,disk,0,%d,2\n", stamp, hm, evil, w, total, i+1, w)
		fmt.Fprintf(&f, "%s,%s,\"sql%s\",1800,\"D:\\%s.mdf\",%d,0,%d,0,%d,read/write,disk,,%d,\n", stamp, hm, evil, evil, w, w, i+1, w)
	}
	for name, body := range map[string]string{"HVRStats-1.csv": h.String(), "ProcStats-1.csv": p.String(), "FileStats-1.csv": f.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Escape sequences in a recording's names reached the terminal raw in
// analyze's text and Markdown output; a queue of 1e308 summed to +Inf and
// made --format json fail ("json: unsupported value: +Inf"); a busy share
// of 5000% was shown as "sda 5000% busy".
func TestAnalyzeHostileRecording(t *testing.T) {
	dir := hostileRecording(t)
	for _, format := range []string{"text", "markdown", "json"} {
		out, errOut, code := analyzeIn(t, dir, "--format", format)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		for _, s := range []string{out, errOut} {
			if i := strings.IndexFunc(s, func(r rune) bool { return r == 0x1b || r == 0x07 || r == 0x202e }); i >= 0 {
				t.Errorf("%s: raw control or direction character in the output near %q", format, s[max(0, i-20):min(len(s), i+20)])
			}
		}
		if strings.Contains(out, "5000%") || strings.Contains(out, "Inf") {
			t.Errorf("%s: damaged disk times shown:\n%s", format, out)
		}
		if !strings.Contains(out, "sql\uFFFD") {
			t.Errorf("%s: the process is not named (with its control characters replaced):\n%s", format, out)
		}
		if format == "json" && !json.Valid([]byte(out)) {
			t.Errorf("json: not valid JSON:\n%s", out)
		}
		if !strings.Contains(out+errOut, "skipped 2 rows (line 422, 423); first: line 422: column sda.AvgQueueLength") {
			t.Errorf("%s: the skipped rows' reasons are not given:\n%s\n%s", format, out, errOut)
		}
	}
}
