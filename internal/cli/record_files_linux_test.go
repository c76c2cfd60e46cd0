//go:build linux

package cli

import (
	"bufio"
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
)

// recorderRun is a running `hvrdoctor record` whose stderr the test reads.
type recorderRun struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stderr strings.Builder
	stdout strings.Builder
	done   chan struct{}
}

// startRecorder runs the built binary with args and waits until it has
// printed its per-file start line (so its first readings are taken).
func startRecorder(t *testing.T, args ...string) *recorderRun {
	t.Helper()
	r := &recorderRun{cmd: exec.Command(testutil.Binary(t), append([]string{"record"}, args...)...), done: make(chan struct{})}
	errPipe, err := r.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	outPipe, err := r.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	copyLines := func(sc *bufio.Scanner, b *strings.Builder) {
		defer wg.Done()
		for sc.Scan() {
			r.mu.Lock()
			b.WriteString(sc.Text() + "\n")
			r.mu.Unlock()
		}
	}
	go copyLines(bufio.NewScanner(errPipe), &r.stderr)
	go copyLines(bufio.NewScanner(outPipe), &r.stdout)
	go func() { wg.Wait(); close(r.done) }()
	t.Cleanup(func() {
		r.cmd.Process.Kill()
		<-r.done
		r.cmd.Wait()
	})
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(r.errText(), "per-file bytes to ") {
		select {
		case <-r.done:
			t.Fatalf("recorder ended before recording files: %s", r.errText())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("recorder did not start recording files within 30 s: %s", r.errText())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return r
}

func (r *recorderRun) errText() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stderr.String()
}

// wait waits for the recorder to exit and its output to be read.
func (r *recorderRun) wait(t *testing.T) error {
	t.Helper()
	select {
	case <-r.done:
	case <-time.After(30 * time.Second):
		t.Fatal("recorder did not exit within 30 s")
	}
	return r.cmd.Wait()
}

// requireEBPF skips (or fails under HVRDOCTOR_REQUIRE_INTEGRATION=1) when
// the eBPF per-file backend cannot run here.
func requireEBPF(t *testing.T) {
	t.Helper()
	s, err := fileio.Open(fileio.Options{Backend: fileio.BackendEBPF})
	if err != nil {
		testutil.SkipOrFail(t, "the eBPF per-file backend is needed to see short-lived processes: %v", err)
	}
	s.Close()
}

func within5(got, want float64) bool { return math.Abs(got-want) <= 0.05*want }

// sumFileBytes adds the WriteBytes of FileStats rows of one PID and path.
func sumFileBytes(rows [][]string, pid int, path string) (sum uint64, n int) {
	for _, r := range rows[1:] {
		if len(r) == len(rows[0]) && r[3] == strconv.Itoa(pid) && r[4] == path {
			b, _ := strconv.ParseUint(r[7], 10, 64)
			sum += b
			n++
		}
	}
	return sum, n
}

// TestRecordFilesKnownWriterSurvivesKill9: a writer writes a known number
// of bytes to a known file while hvrdoctor record runs; FileStats has that
// file with the writer's PID and its bytes, in the same recording number as
// HVRStats and ProcStats, and a kill -9 leaves all three valid CSV.
func TestRecordFilesKnownWriterSurvivesKill9(t *testing.T) {
	dir := testutil.TempDir(t)
	out := filepath.Join(dir, "rec")
	os.MkdirAll(out, 0o755)
	// An earlier recording used N = 1: this one is N = 2 for all files.
	os.WriteFile(filepath.Join(out, "ProcStats-1.csv"), []byte("old\n"), 0o644)
	rec := startRecorder(t, "--out", out, "--interval", "500ms", "--files", "on")
	fileStats := filepath.Join(out, "FileStats-2.csv")
	msg := rec.errText()
	if !strings.Contains(msg, "per-file bytes to "+fileStats+" from ") {
		t.Fatalf("start message %q does not name %s", msg, fileStats)
	}
	backend := ""
	for _, b := range []string{fileio.BackendEBPF, fileio.BackendFanotify, fileio.BackendProc} {
		if strings.Contains(msg, " from "+b+":\n") {
			backend = b
		}
	}
	if backend == "" {
		t.Errorf("start message %q does not name the per-file backend", msg)
	}

	const size = 12<<20 + 4321
	path := filepath.Join(dir, "known.dat")
	w := testutil.StartWriter(t, path, size)
	if err := <-w.Done; err != nil {
		t.Fatalf("writer: %v", err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		got, _ := sumFileBytes(readRecording(t, fileStats), w.PID(), path)
		if float64(got) >= 0.95*size {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("FileStats has %d of the writer's %d bytes to %s after 20 s (backend %s); recorder said %q", got, size, path, backend, rec.errText())
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second) // two more intervals: nothing more may be added

	if err := rec.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := rec.wait(t)
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("recorder did not die of SIGKILL: %v", err)
	}

	rows := readRecording(t, fileStats)
	if got := strings.Join(rows[0], ","); got != "Timestamp,HourMinute,Process,PID,File,WriteBytesPerSec,ReadBytesPerSec,WriteBytes,ReadBytes,Sample,Via,Medium,Deleted,DiskWriteBytes,DiskResponseMs" {
		t.Fatalf("FileStats header %q", got)
	}
	got, n := sumFileBytes(rows, w.PID(), path)
	if !within5(float64(got), size) {
		t.Errorf("FileStats: PID %d wrote %d bytes to %s in %d rows, want %d ±5%% (backend %s)", w.PID(), got, path, n, size, backend)
	}
	for _, r := range rows[1:] {
		if len(r) != len(rows[0]) || r[3] != strconv.Itoa(w.PID()) || r[4] != path {
			continue
		}
		ts, err := time.Parse(sampler.TimestampLayout, r[0])
		if err != nil || ts.Format(sampler.HourMinuteLayout) != r[1] {
			t.Errorf("row %v: Timestamp/HourMinute do not parse or disagree (%v)", r, err)
		}
		rate, err1 := strconv.ParseInt(r[5], 10, 64)
		bytes, err2 := strconv.ParseInt(r[7], 10, 64)
		// 500 ms intervals: the rate is about twice the interval's bytes.
		if err1 != nil || err2 != nil || (bytes > 0 && (rate < bytes || rate > 4*bytes)) {
			t.Errorf("row %v: WriteBytesPerSec %s does not match WriteBytes %s over about 0.5 s", r, r[5], r[7])
		}
	}
	for _, name := range []string{"HVRStats-2.csv", "ProcStats-2.csv"} {
		if rows := readRecording(t, filepath.Join(out, name)); len(rows) < 2 {
			t.Errorf("%s has %d rows after the kill, want a header and samples", name, len(rows))
		}
	}
	checkSampleColumns(t, readRecording(t, filepath.Join(out, "HVRStats-2.csv")),
		readRecording(t, filepath.Join(out, "ProcStats-2.csv")), rows)
	if b, _ := os.ReadFile(filepath.Join(out, "ProcStats-1.csv")); string(b) != "old\n" {
		t.Error("the earlier recording was overwritten")
	}
}

// TestRecordShortLivedWriterInProcStats: dd starts, writes 8 MiB and exits
// between two process samples, invisible to /proc sampling; with the eBPF
// backend its bytes still reach ProcStats (and FileStats), and Ctrl-C ends
// with a summary naming the top file.
func TestRecordShortLivedWriterInProcStats(t *testing.T) {
	requireEBPF(t)
	dir := testutil.TempDir(t)
	out := filepath.Join(dir, "rec")
	rec := startRecorder(t, "--out", out, "--interval", "1s", "--files", "on")
	if msg := rec.errText(); !strings.Contains(msg, "from ebpf:\n") || !strings.Contains(msg, "added to ProcStats") {
		t.Fatalf("start message %q: want the ebpf backend and the note that short-lived processes are added", msg)
	}
	time.Sleep(300 * time.Millisecond)
	const size = 8 << 20
	target := filepath.Join(dir, "short.dat")
	dd := exec.Command("dd", "if=/dev/zero", "of="+target, "bs=1M", "count=8", "status=none")
	if out, err := dd.CombinedOutput(); err != nil {
		t.Fatalf("dd: %v: %s", err, out)
	}
	pid := dd.Process.Pid
	// With block-layer disk bytes dd's bytes count when they reach the
	// disk: written back now, within the recording.
	exec.Command("sync", "-f", dir).Run()

	procStats := filepath.Join(out, "ProcStats-1.csv")
	deadline := time.Now().Add(15 * time.Second)
	for len(pidRows(readRecording(t, procStats), pid)) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("short-lived dd (PID %d) not in %s after 15 s; recorder said %q", pid, procStats, rec.errText())
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(2500 * time.Millisecond) // bytes split across intervals land in the next one
	rec.cmd.Process.Signal(os.Interrupt)
	if err := rec.wait(t); err != nil {
		t.Fatalf("recorder after Ctrl-C: %v; stderr %q", err, rec.errText())
	}

	rows := pidRows(readRecording(t, procStats), pid)
	last := rows[len(rows)-1]
	total, _ := strconv.ParseFloat(last[7], 64)
	if last[2] != "dd" || last[4] != "workload" || !within5(total, size) {
		t.Errorf("dd's last ProcStats row %v: want dd, workload, WriteBytesTotal %d ±5%%", last, size)
	}
	// The rates over the intervals add up to the bytes too.
	intervals := map[string]float64{}
	for _, r := range readRecording(t, filepath.Join(out, "HVRStats-1.csv"))[1:] {
		intervals[r[0]], _ = strconv.ParseFloat(r[2], 64)
	}
	var fromRates float64
	for _, r := range rows {
		rate, _ := strconv.ParseFloat(r[5], 64)
		fromRates += rate * intervals[r[0]]
	}
	if !within5(fromRates, size) {
		t.Errorf("dd's ProcStats rates × IntervalSeconds add up to %.0f bytes, want %d ±5%%; rows %v", fromRates, size, rows)
	}
	basis := sampler.BasisStorage // its storage counters read at exit
	if strings.Contains(rec.errText(), "disk bytes from the block layer") {
		basis = sampler.BasisDisk
	}
	for _, r := range rows {
		if len(r) < 13 || r[12] != basis {
			t.Errorf("dd's ProcStats row %v: WriteBasis want %q", r, basis)
		}
	}
	if got, _ := sumFileBytes(readRecording(t, filepath.Join(out, "FileStats-1.csv")), pid, target); !within5(float64(got), size) {
		t.Errorf("FileStats: dd wrote %d bytes to %s, want %d ±5%%", got, target, size)
	}
	rec.mu.Lock()
	summary := rec.stdout.String()
	rec.mu.Unlock()
	if !strings.HasPrefix(summary, "recorded ") || !strings.Contains(summary, "FileStats-1.csv") || !strings.Contains(summary, "; top file: ") || strings.Count(summary, "\n") != 1 {
		t.Errorf("summary %q: want one line naming FileStats-1.csv and the top file", summary)
	}
}

// TestMergeShortLivedWriterIntoFrame drives the engine and the eBPF source
// as record does: dd starts and exits between two samples, so /proc never
// sees it, and the merged frame has it with its bytes.
func TestMergeShortLivedWriterIntoFrame(t *testing.T) {
	requireEBPF(t)
	ctx := context.Background()
	files, err := fileio.Open(fileio.Options{Backend: fileio.BackendEBPF})
	if err != nil {
		t.Fatal(err)
	}
	defer files.Close()
	eng, err := sampler.NewEngine(sampler.NewLiveSource(), sampler.Config{Interval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Sample(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := files.Read(ctx); err != nil {
		t.Fatal(err)
	}
	const size = 6 << 20
	dd := exec.Command("dd", "if=/dev/zero", "of="+filepath.Join(testutil.TempDir(t), "short.dat"), "bs=1M", "count=6", "status=none")
	if out, err := dd.CombinedOutput(); err != nil {
		t.Fatalf("dd: %v: %s", err, out)
	}
	pid := int32(dd.Process.Pid)
	time.Sleep(200 * time.Millisecond)

	f, err := eng.Sample(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Processes {
		if p.Key.PID == pid {
			t.Fatalf("the /proc sampler saw dd %+v although it exited before the sample", p)
		}
	}
	iv, err := files.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.MergeActivity(&f, fileio.ExternalActivity(iv)); err != nil {
		t.Fatal(err)
	}
	var row *sampler.ProcessRates
	for i := range f.Processes {
		if f.Processes[i].Key.PID == pid {
			row = &f.Processes[i]
		}
	}
	if row == nil {
		t.Fatalf("dd (PID %d) missing from the merged frame", pid)
	}
	if got := row.WriteRate * f.Elapsed.Seconds(); !row.Exited || !row.Merged || row.Name != "dd" || row.Class.Class != sampler.ClassWorkload || !within5(got, size) || !within5(float64(row.WriteTotal), size) {
		t.Errorf("dd row %+v over %s: want exited, merged, dd, workload, %d bytes ±5%% (got %.0f)", *row, f.Elapsed, size, got)
	}
	series := eng.ProcessSeries(row.Key)
	if len(series) == 0 || series[len(series)-1] != row.WriteRate {
		t.Errorf("dd's history %v, want its rate %v as the latest point", series, row.WriteRate)
	}
}

// checkSampleColumns: HVRStats numbers its samples 1, 2, 3... in the Sample
// column with the Host after it, and every ProcStats and FileStats row
// carries the number of a sample that HVRStats has (a kill -9 may cut the
// last HVRStats row, so the others may be one ahead).
func checkSampleColumns(t *testing.T, hvr, proc, files [][]string) {
	t.Helper()
	host, _ := os.Hostname()
	h := hvr[0]
	// Sample,Host follow the disk byte columns; the disk time columns
	// come after them (new columns are only added at the end).
	sc := slices.Index(h, "Sample")
	if sc < 0 || sc+1 >= len(h) || h[sc+1] != "Host" {
		t.Fatalf("HVRStats header %v has no Sample,Host", h)
	}
	last := 0
	for i, r := range hvr[1:] {
		if len(r) != len(h) {
			continue // a row cut by the kill
		}
		if r[sc] != strconv.Itoa(i+1) || r[sc+1] != host {
			t.Errorf("HVRStats row %d has %v as Sample,Host, want Sample %d and Host %q", i+1, r[sc:sc+2], i+1, host)
		}
		last = i + 1
	}
	for _, c := range []struct {
		name string
		rows [][]string
	}{{"ProcStats", proc}, {"FileStats", files}} {
		col := -1
		for i, name := range c.rows[0] {
			if name == "Sample" {
				col = i
			}
		}
		if col < 0 {
			t.Errorf("%s header %v has no Sample column", c.name, c.rows[0])
			continue
		}
		for _, r := range c.rows[1:] {
			if len(r) != len(c.rows[0]) {
				continue
			}
			n, err := strconv.Atoi(r[col])
			if err != nil || n < 1 || n > last+1 {
				t.Errorf("%s row %v: Sample %q is not one of HVRStats' samples 1 to %d", c.name, r, r[col], last)
			}
		}
	}
}

// TestRecordCpFromShell: a shell runs cp(1) of a 64 MiB file and both exit
// between samples. FileStats has the destination with cp's PID, ProcStats
// has cp's PID with the 64 MiB (±2%), and the shell that reaped cp does
// not get them.
func TestRecordCpFromShell(t *testing.T) {
	requireEBPF(t)
	dir := testutil.BlockBackedDir(t)
	const size = 64 << 20
	src, dst := filepath.Join(dir, "src.bin"), filepath.Join(dir, "dst.bin")
	if err := os.WriteFile(src, make([]byte, size), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "rec")
	rec := startRecorder(t, "--out", out, "--interval", "1s", "--files", "on")
	time.Sleep(300 * time.Millisecond)
	sh := exec.Command("sh", "-c", "cp "+src+" "+dst+"; true")
	if b, err := sh.CombinedOutput(); err != nil {
		t.Fatalf("sh -c cp: %v: %s", err, b)
	}
	shPID := sh.Process.Pid
	exec.Command("sync", "-f", dir).Run() // cp's bytes reach the disk within the recording
	fileStats, procStats := filepath.Join(out, "FileStats-1.csv"), filepath.Join(out, "ProcStats-1.csv")
	cpPID := 0
	deadline := time.Now().Add(15 * time.Second)
	for cpPID == 0 {
		for _, r := range readRecording(t, fileStats)[1:] {
			if len(r) > 4 && r[4] == dst && r[2] == "cp" {
				cpPID, _ = strconv.Atoi(r[3])
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no FileStats row for cp writing %s after 15 s; recorder said %q", dst, rec.errText())
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(2500 * time.Millisecond)
	rec.cmd.Process.Signal(os.Interrupt)
	if err := rec.wait(t); err != nil {
		t.Fatalf("recorder after Ctrl-C: %v; stderr %q", err, rec.errText())
	}
	if got, _ := sumFileBytes(readRecording(t, fileStats), cpPID, dst); !within2(float64(got), size) {
		t.Errorf("FileStats: cp (PID %d) wrote %d bytes to %s, want %d ±2%%", cpPID, got, dst, size)
	}
	intervals := map[string]float64{}
	for _, r := range readRecording(t, filepath.Join(out, "HVRStats-1.csv"))[1:] {
		intervals[r[0]], _ = strconv.ParseFloat(r[2], 64)
	}
	procRows := readRecording(t, procStats)
	bytesOf := func(pid int) float64 {
		var sum float64
		for _, r := range pidRows(procRows, pid) {
			rate, _ := strconv.ParseFloat(r[5], 64)
			sum += rate * intervals[r[0]]
		}
		return sum
	}
	if got := bytesOf(cpPID); !within2(got, size) {
		t.Errorf("ProcStats: cp (PID %d) wrote %.0f bytes, want %d ±2%%; rows %v", cpPID, got, size, pidRows(procRows, cpPID))
	}
	if got := bytesOf(shPID); got > 0.02*size {
		t.Errorf("ProcStats: the shell (PID %d) that ran cp holds %.0f bytes of cp's %d", shPID, got, size)
	}
}

func within2(got, want float64) bool { return math.Abs(got-want) <= 0.02*want }
