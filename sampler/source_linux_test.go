//go:build linux

package sampler

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

func TestParseDiskstats(t *testing.T) {
	s := newProcfsSource("/proc")
	text := `   7       0 loop0 10 0 80 0 5 0 40 0 0 0 0 0 0 0 0 0 0
 254       0 vda 62036 9291 2320250 16176 21851 17093 1485000 8571 0 11800 26520 7409 8 457856 943 2552 828
 254       1 vda1 100 0 2000 0 50 0 1000 0 0 0 0
`
	got := s.parseDiskstats([]byte(text))
	if len(got) != 1 || got[0] != (DiskCounters{Name: "vda", ReadBytes: 2320250 * 512, WriteBytes: 1485000 * 512}) {
		t.Errorf("parseDiskstats = %+v", got)
	}
}

func TestLiveSnapshotSeesThisProcess(t *testing.T) {
	src := NewLiveSource()
	snap, err := src.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		t.Fatal(err)
	}
	st, _ := parseStat(stat)
	start := st.start
	var me *ProcessCounters
	for i := range snap.Processes {
		if snap.Processes[i].Key == (ProcKey{PID: int32(os.Getpid()), Start: start}) {
			me = &snap.Processes[i]
		}
	}
	if me == nil {
		t.Fatalf("own process (PID %d start %d) missing from %d processes", os.Getpid(), start, len(snap.Processes))
	}
	exe := filepath.Base(os.Args[0])
	if len(exe) > 15 {
		exe = exe[:15]
	}
	if !strings.HasPrefix(me.Name, exe) || !strings.Contains(me.Cmdline, "-test.") || me.User == "" || me.LogicalReadBytes == 0 {
		t.Errorf("own process = %+v; want name %q, the test command line, a user, read counters", me, exe)
	}
	if snap.Time.IsZero() || len(snap.Processes) < 2 {
		t.Errorf("snapshot time %v, %d processes", snap.Time, len(snap.Processes))
	}
	if _, err := os.Stat("/sys/block"); err == nil && len(snap.Disks) == 0 {
		t.Errorf("no disks from /proc/diskstats")
	}
	if info := src.Info(); info.WriteLabel != "storage writes, net of cancelled" || info.Privileged != (os.Geteuid() == 0) {
		t.Errorf("Info = %+v", info)
	}
}

// snapshotResult is what the unprivileged helper reports.
type snapshotResult struct {
	Hidden     int
	Unreadable int
	Processes  int
	SawSelf    bool
	Privileged bool
}

func snapshotHelper() int {
	src := NewLiveSource()
	snap, err := src.Snapshot(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	r := snapshotResult{Hidden: snap.Hidden, Unreadable: snap.Unreadable, Processes: len(snap.Processes), Privileged: src.Info().Privileged}
	for _, p := range snap.Processes {
		if p.Key.PID == int32(os.Getpid()) {
			r.SawSelf = true
		}
	}
	json.NewEncoder(os.Stdout).Encode(r)
	return 0
}

// TestUnprivilegedCountsHiddenProcesses runs a snapshot as user nobody:
// root's processes cannot be read and must be counted as hidden, while the
// helper still sees itself.
func TestUnprivilegedCountsHiddenProcesses(t *testing.T) {
	if os.Geteuid() != 0 {
		testutil.SkipOrFail(t, "needs root to start a helper as user nobody")
	}
	// The helper runs as nobody: give it a copy of the test binary it can
	// execute.
	dir := testutil.WorldDir(t)
	cmd := testutil.HelperCommand(testutil.CopyExecutable(t, dir), snapshotHelperName)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helper as nobody: %v (%s)", err, out)
	}
	var r snapshotResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("helper output %q: %v", out, err)
	}
	if r.Privileged || !r.SawSelf || r.Hidden == 0 || r.Processes == 0 {
		t.Errorf("as nobody: %+v; want unprivileged, hidden > 0 (root's processes), own process visible", r)
	}
	if r.Unreadable != 0 {
		t.Errorf("as nobody: %d unreadable, want 0: without privilege every refusal is one root could lift", r.Unreadable)
	}
}

// TestRootCountsRefusalsAsUnreadable: as root nothing is hidden for lack of
// privilege, so the "run as root" advice must not appear; a process that
// refuses root anyway (here PID 1, whose io root may not read) is counted
// as unreadable instead.
func TestRootCountsRefusalsAsUnreadable(t *testing.T) {
	if os.Geteuid() != 0 {
		testutil.SkipOrFail(t, "needs root")
	}
	src := NewLiveSource()
	snap, err := src.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if snap.Hidden != 0 {
		t.Errorf("as root: Hidden = %d, want 0 (privilege cannot show more)", snap.Hidden)
	}
	refused := 0
	for _, pid := range []int{1, 2} {
		// The kernel checks access when io is read, not when it is opened.
		if _, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid)); os.IsPermission(err) {
			refused++
		}
	}
	if snap.Unreadable < refused {
		t.Errorf("as root: Unreadable = %d, want at least the %d of PIDs 1-2 that refuse their io", snap.Unreadable, refused)
	}
	t.Logf("as root: %d processes read, %d unreadable (%d of PIDs 1-2 refuse io)", len(snap.Processes), snap.Unreadable, refused)
}

func findPID(snap Snapshot, pid int) *ProcessCounters {
	for i := range snap.Processes {
		if snap.Processes[i].Key.PID == int32(pid) {
			return &snap.Processes[i]
		}
	}
	return nil
}

// TestKeptDescriptorsFollowExecAndExit: a process that exec()s another
// program keeps its PID and start time but must be renamed; a process that
// exits must disappear and its descriptors be closed.
func TestKeptDescriptorsFollowExecAndExit(t *testing.T) {
	cmd := exec.Command("sh", "-c", "read line; exec sleep 30")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	src := newProcfsSource("/proc")
	defer src.Close()
	ctx := context.Background()
	snap, err := src.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before := findPID(snap, cmd.Process.Pid)
	if before == nil || before.Name != "sh" {
		t.Fatalf("child before exec = %+v, want sh", before)
	}
	if e := src.entries[int32(cmd.Process.Pid)]; e == nil || e.ioFd < 0 {
		t.Fatalf("no kept descriptors for the child: %+v", e)
	}
	stdin.Write([]byte("go\n"))
	var after *ProcessCounters
	for i := 0; i < 50; i++ {
		time.Sleep(20 * time.Millisecond)
		snap, err = src.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if after = findPID(snap, cmd.Process.Pid); after != nil && after.Name == "sleep" {
			break
		}
	}
	if after == nil || after.Name != "sleep" || after.Cmdline != "sleep 30" || after.Key != before.Key {
		t.Fatalf("child after exec = %+v, want sleep with the same key %+v", after, before.Key)
	}
	cmd.Process.Kill()
	cmd.Wait()
	snap, err = src.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p := findPID(snap, cmd.Process.Pid); p != nil {
		t.Errorf("exited child still listed: %+v", p)
	}
	if _, ok := src.entries[int32(cmd.Process.Pid)]; ok {
		t.Errorf("descriptors of the exited child still kept")
	}
}

// TestWithoutDescriptorRoom: when the open-file limit leaves no room the
// source reads each file the slow way and sees the same counters.
func TestWithoutDescriptorRoom(t *testing.T) {
	src := newProcfsSource("/proc")
	defer src.Close()
	src.fdRoom = 0
	snap, err := src.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	me := findPID(snap, os.Getpid())
	if me == nil || me.LogicalReadBytes == 0 || me.Cmdline == "" {
		t.Fatalf("own process without kept descriptors = %+v", me)
	}
	for _, e := range src.entries {
		if e.ioFd >= 0 {
			t.Fatalf("kept a descriptor with no room: %+v", e)
		}
	}
}

// TestLiveKernelThreadsAreInbox reads this machine's kernel threads
// (children of kthreadd, PID 2): every one must be flagged and classified
// inbox, those without a specific rule as "Linux kernel thread", kworkers
// by their own rule.
func TestLiveKernelThreadsAreInbox(t *testing.T) {
	if os.Geteuid() != 0 {
		testutil.SkipOrFail(t, "needs root to read kernel threads' /proc/PID/io")
	}
	if comm, err := os.ReadFile("/proc/2/comm"); err != nil || strings.TrimSpace(string(comm)) != "kthreadd" {
		testutil.SkipOrFail(t, "kernel threads are not visible here (PID namespace without kthreadd as PID 2)")
	}
	src := NewLiveSource()
	snap, err := src.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	eng, err := NewEngine(NewReplaySource([]Snapshot{snap}), Config{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := eng.Sample(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	flagged := map[int32]bool{}
	for _, p := range snap.Processes {
		if p.KernelThread {
			flagged[p.Key.PID] = true
		}
	}
	var generic, kworkers, threads int
	for _, p := range f.Processes {
		if p.Key.PID != 2 && p.PPID != 2 {
			if flagged[p.Key.PID] {
				t.Errorf("PID %d %q (PPID %d) flagged as a kernel thread", p.Key.PID, p.Name, p.PPID)
			}
			continue
		}
		threads++
		if !flagged[p.Key.PID] {
			t.Errorf("kernel thread PID %d %q not flagged", p.Key.PID, p.Name)
		}
		if p.Class.Class != ClassInbox {
			t.Errorf("kernel thread PID %d %q = %+v, want inbox", p.Key.PID, p.Name, p.Class)
		}
		switch {
		case p.Class.Rule == KernelThreadRule:
			generic++
		case strings.HasPrefix(p.Name, "kworker/") && strings.HasPrefix(p.Class.Rule, "kworker/*"):
			kworkers++
		}
	}
	if threads == 0 || generic == 0 || kworkers == 0 {
		t.Errorf("%d kernel threads, %d by the generic rule, %d kworkers by their own; want some of each", threads, generic, kworkers)
	}
	t.Logf("%d kernel threads: %d as %q, %d kworkers by their rule", threads, generic, KernelThreadRule, kworkers)
}

// TestLiveSourceNamesMemfdProgramByArgv0: a program executed from a memfd
// (fexecve) has the memfd's name as comm; the sampler must name it by its
// argv[0] instead.
func TestLiveSourceNamesMemfdProgramByArgv0(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		testutil.SkipOrFail(t, "sleep(1) is needed: %v", err)
	}
	c := testutil.StartChild(t, testutil.HelperCommand("", fexecHelperName, sleep, "mysleep", "2"))
	time.Sleep(300 * time.Millisecond)
	comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", c.PID()))
	if !strings.HasPrefix(string(comm), "memfd:") {
		testutil.SkipOrFail(t, "this kernel names a program executed from a memfd %q, not memfd:NAME", strings.TrimSpace(string(comm)))
	}
	snap, err := NewLiveSource().Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range snap.Processes {
		if int(p.Key.PID) == c.PID() {
			if p.Name != "mysleep" {
				t.Errorf("process executed from a memfd (comm %q) named %q, want its argv[0] %q", strings.TrimSpace(string(comm)), p.Name, "mysleep")
			}
			return
		}
	}
	t.Fatalf("PID %d not in the snapshot", c.PID())
}

// TestPreadAllStopsAtShortRead: reading /proc/PID/io (shorter than the
// buffer) takes one pread, not a second one that returns 0.
func TestPreadAllStopsAtShortRead(t *testing.T) {
	calls := 0
	orig := pread
	pread = func(fd int, p []byte, off int64) (int, error) {
		calls++
		return orig(fd, p, off)
	}
	defer func() { pread = orig }()
	f, err := os.Open("/proc/self/io")
	if err != nil {
		testutil.SkipOrFail(t, "/proc/self/io: %v", err)
	}
	defer f.Close()
	s := newProcfsSource("/proc")
	b, err := s.preadAll(int(f.Fd()), 512)
	if err != nil || !strings.Contains(string(b), "write_bytes:") {
		t.Fatalf("preadAll(/proc/self/io) = %q, %v", b, err)
	}
	if calls != 1 {
		t.Errorf("preadAll of a %d-byte proc file with a 512-byte buffer made %d preads, want 1", len(b), calls)
	}
	// A file longer than the buffer is cut at the buffer.
	calls = 0
	if b, err := s.preadAll(int(f.Fd()), 16); err != nil || len(b) != 16 || calls != 1 {
		t.Errorf("preadAll(16) = %d bytes in %d preads, %v; want 16 bytes in 1", len(b), calls, err)
	}
}

// Between listings of /proc the source finds new processes in the range of
// PIDs allocated since the last snapshot (newpids_linux.go): a process
// started between two snapshots is read, a new thread of a process is not
// a process, an exited one is gone.
func TestNewProcessesFoundWithoutListing(t *testing.T) {
	if _, err := exec.LookPath("sleep"); err != nil {
		testutil.SkipOrFail(t, "sleep is not installed: apt-get install coreutils")
	}
	s := newProcfsSource("/proc")
	defer s.Close()
	ctx := context.Background()
	if _, err := s.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if !s.cur.usable {
		testutil.SkipOrFail(t, "/proc is not this process's PID namespace, or /proc/loadavg or /proc/stat are unreadable: the source lists /proc each time")
	}
	s.cur.maxNew = 1 << 20 // a busy machine's clones must not force a listing here
	first := s.cur.last

	// New threads of this process, then new processes.
	tids := make(chan int, 4)
	release := make(chan struct{})
	defer close(release)
	for range 4 {
		go func() {
			runtime.LockOSThread()
			tids <- unix.Gettid()
			<-release
		}()
	}
	var threads []int32
	for range 4 {
		threads = append(threads, int32(<-tids))
	}
	var sleeps []*exec.Cmd
	for range 3 {
		c := exec.Command("sleep", "30")
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		sleeps = append(sleeps, c)
		defer func() { _ = c.Process.Kill(); _ = c.Wait() }()
	}
	pids := func() map[int32]bool {
		snap, err := s.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m := map[int32]bool{}
		for _, p := range snap.Processes {
			if m[p.Key.PID] {
				t.Errorf("PID %d twice in one snapshot", p.Key.PID)
			}
			m[p.Key.PID] = true
		}
		return m
	}
	got := pids()
	if s.cur.sinceAll != 1 {
		t.Fatalf("the second snapshot listed /proc (snapshots since the listing: %d, last PID %d -> %d)", s.cur.sinceAll, first, s.cur.last)
	}
	for _, c := range sleeps {
		if !got[int32(c.Process.Pid)] {
			t.Errorf("sleep (PID %d), started after the first snapshot, is missing", c.Process.Pid)
		}
	}
	newTIDs := 0
	for _, tid := range threads {
		if int64(tid) > first {
			newTIDs++
		}
		if got[tid] && tid != int32(os.Getpid()) {
			t.Errorf("thread %d of this process is listed as a process", tid)
		}
	}
	if newTIDs == 0 {
		t.Logf("no new thread ID after the first snapshot (the runtime reused threads): the thread check proved nothing")
	}
	if !got[int32(os.Getpid())] {
		t.Errorf("this process (PID %d) is missing", os.Getpid())
	}
	_ = sleeps[0].Process.Kill()
	_ = sleeps[0].Wait()
	got = pids()
	if got[int32(sleeps[0].Process.Pid)] {
		t.Errorf("sleep (PID %d) was killed and reaped, yet is still listed", sleeps[0].Process.Pid)
	}
	if !got[int32(sleeps[1].Process.Pid)] || s.cur.sinceAll != 2 {
		t.Errorf("third snapshot: sleep %d listed %v, snapshots since the listing %d", sleeps[1].Process.Pid, got[int32(sleeps[1].Process.Pid)], s.cur.sinceAll)
	}
	// A listing of /proc agrees on these processes.
	full := newProcfsSource("/proc")
	defer full.Close()
	full.cur = pidCursor{checked: true, loadFd: -1, statFd: -1, last: -1} // never the shortcut
	snap, err := full.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range snap.Processes {
		if p.Key.PID == int32(sleeps[1].Process.Pid) || p.Key.PID == int32(sleeps[2].Process.Pid) {
			if !got[p.Key.PID] {
				t.Errorf("the listing has PID %d, the source without listing has not", p.Key.PID)
			}
		}
	}
}
