//go:build linux

package tui

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// recordedDisk is one disk's columns of a real HVRStats recording.
type recordedDisk struct {
	el                  []float64 // IntervalSeconds
	write, read         []float64
	active, queue, resp []float64
}

// readRecordedDisk reads disk's columns from HVRStats at path.
func readRecordedDisk(t *testing.T, path, disk string) recordedDisk {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 3 {
		t.Fatalf("%s: %d rows, %v", path, len(rows), err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var d recordedDisk
	for _, r := range rows[1:] {
		num := func(name string) float64 {
			i, ok := col[name]
			if !ok {
				t.Fatalf("%s has no column %s: %v", path, name, rows[0])
			}
			v, err := strconv.ParseFloat(r[i], 64)
			if err != nil {
				t.Fatalf("%s: column %s: %v", path, name, err)
			}
			return v
		}
		d.el = append(d.el, num("IntervalSeconds"))
		d.write = append(d.write, num(disk+".WriteBytesPerSec"))
		d.read = append(d.read, num(disk+".ReadBytesPerSec"))
		d.active = append(d.active, num(disk+".ActiveTimePercent"))
		d.queue = append(d.queue, num(disk+".AvgQueueLength"))
		d.resp = append(d.resp, num(disk+".AvgResponseMs"))
	}
	return d
}

// busiestDisk is the disk of HVRStats at path that wrote the most.
func busiestDisk(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("%s: %d rows, %v", path, len(rows), err)
	}
	best, most := "", -1.0
	for i, h := range rows[0] {
		name, ok := strings.CutSuffix(h, ".WriteBytesPerSec")
		if !ok {
			continue
		}
		sum := 0.0
		for _, r := range rows[1:] {
			v, _ := strconv.ParseFloat(r[i], 64)
			sum += v
		}
		if sum > most {
			best, most = name, sum
		}
	}
	if best == "" {
		t.Fatalf("%s has no per-disk columns: %v", path, rows[0])
	}
	return best
}

// storageCells is the Storage view's row for a disk's figures, fields
// joined by one space.
func storageCells(disk string, active, queue, read, write, resp float64) string {
	r := "-"
	switch {
	case resp <= 0 && read <= 0 && write <= 0:
	case resp < 10:
		r = fmt.Sprintf("%.2f", resp)
	default:
		r = fmt.Sprintf("%.0f", resp)
	}
	return strings.Join(strings.Fields(fmt.Sprintf("%s %.0f%% %.2f %s %s %s", disk, active, queue, views.Rate(read), views.Rate(write), r)), " ")
}

// TestTmuxReplayDisksStorageAverages records the machine's disks while a
// writer writes 4 MiB/s (fsynced) to one, with the real `hvrdoctor record`, opens the recording with
// `hvrdoctor analyze` in tmux at 80x24 (NO_COLOR), goes to its busiest
// sample and presses D until the graph shows the busiest disk's writes, v
// for the Storage view (its recorded active time, queue, B/s and response
// time) and m for the averages of the recorded minute up to
// the cursor; then looks at the Storage panel at 200x50.
func TestTmuxReplayDisksStorageAverages(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		needIntegration(t, "tmux is not installed: apt-get install tmux (scripts/test.sh installs it)")
	}
	if testing.Short() {
		t.Skip("records a loop disk and runs the binary in tmux; skipped with -short")
	}
	// The recorder lists the machine's whole disks (not loop devices,
	// whose writes reach a disk through their backing file): the writer
	// writes to a file on one, and the test reads back what was recorded.
	dir := testutil.BlockBackedDir(t)
	if dir == "" {
		return
	}
	bin := testutil.Binary(t)
	out := testutil.TempDir(t)
	w := testutil.StartRate(t, "", filepath.Join(dir, "churn.bin"), 4<<20)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if b, err := exec.CommandContext(ctx, bin, "record", "--out", out, "--interval", "1s", "--duration", "8s", "--files", "off").CombinedOutput(); err != nil {
		t.Fatalf("hvrdoctor record: %v\n%s", err, b)
	}
	w.Stop()
	hvr := filepath.Join(out, "HVRStats-1.csv")
	disk := busiestDisk(t, hvr)
	d := readRecordedDisk(t, hvr, disk)
	n := len(d.write)
	// The cursor goes to the busiest sample: the writer's fsyncs keep the
	// disk busy only a fraction of a percent at times.
	k := 0
	for i := range d.active {
		if d.active[i] >= d.active[k] {
			k = i
		}
	}
	if d.write[k] <= 0 || d.active[k] <= 0 {
		t.Fatalf("the recording should have %s writing and busy: %+v", disk, d)
	}

	s := tmuxSession{t: t, socket: fmt.Sprintf("hvr-replaydisks-%d", os.Getpid())}
	t.Cleanup(func() { _, _ = s.run("kill-server") })
	if b, err := s.run("new-session", "-d", "-s", "hvr", "-x", "80", "-y", "24",
		"env", "LANG=C.UTF-8", "TERM=xterm-256color", "NO_COLOR=1", bin, "analyze", out); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, b)
	}
	must := func(what string, ok func(string) bool) string {
		t.Helper()
		scr, good := s.waitScreen(20*time.Second, ok) // 2 shared cores: generous
		if !good {
			t.Fatalf("%s; last screen:\n%s", what, scr)
		}
		return scr
	}
	has := func(all ...string) func(string) bool {
		return func(scr string) bool {
			flat := strings.Join(strings.Fields(scr), " ")
			for _, w := range all {
				if !strings.Contains(flat, w) {
					return false
				}
			}
			return true
		}
	}
	must("the recording should open", has("replay of", "(sample 1 of "+strconv.Itoa(n)+")"))
	s.keys("End")
	must("end should reach the last sample", has(fmt.Sprintf("(sample %d of %d)", n, n)))
	for range n - 1 - k {
		s.keys("Left")
	}
	must("left should reach the busiest sample", has(fmt.Sprintf("(sample %d of %d)", k+1, n)))

	title := "Disk writes, " + disk + " now " + views.Rate(d.write[k])
	var scr string
	for i := 0; i < 40 && !has(title)(scr); i++ {
		s.keys("D")
		time.Sleep(100 * time.Millisecond)
		scr = s.capture()
	}
	must("D should reach the disk's recorded writes", has(title))

	s.keys("v")
	row := storageCells(disk, d.active[k], d.queue[k], d.read[k], d.write[k], d.resp[k])
	scr = must("v should show the disk as recorded", has("Storage · last", "recorded per-disk figures", row,
		"Volumes: not in recordings"))
	t.Logf("Storage view at the last sample:\n%s", scr)

	// The recorded minute up to the cursor: every sample to it (the
	// recording is 8 s), rates and times weighted by IntervalSeconds, the
	// response time over the samples with I/O.
	var sec, rsec, act, q, rd, wr, resp float64
	for i := range k + 1 {
		sec += d.el[i]
		act += d.active[i] * d.el[i]
		q += d.queue[i] * d.el[i]
		rd += d.read[i] * d.el[i]
		wr += d.write[i] * d.el[i]
		if d.resp[i] > 0 || d.read[i] > 0 || d.write[i] > 0 {
			rsec += d.el[i]
			resp += d.resp[i] * d.el[i]
		}
	}
	avg := storageCells(disk, act/sec, q/sec, rd/sec, wr/sec, resp/max(rsec, 1e-9))
	s.keys("m")
	scr = must("m should average the recorded minute", has("1-min averages", "Storage · average of the last", avg))
	t.Logf("averaged:\n%s", scr)

	if b, err := s.run("resize-window", "-t", "hvr", "-x", "200", "-y", "50"); err != nil {
		t.Fatalf("resize-window: %v: %s", err, b)
	}
	s.keys("v") // back to the processes: the panel shows the Storage view
	scr = must("at 200x50 the Storage panel should sit under the process list", has("Image", "Storage · average of the last", avg))
	for i, l := range strings.Split(scr, "\n") {
		if len([]rune(l)) > 200 {
			t.Errorf("line %d is %d wide", i, len([]rune(l)))
		}
	}
	s.keys("q")
	if !s.waitQuit(20 * time.Second) {
		t.Fatalf("q did not quit; screen:\n%s", s.capture())
	}
}
