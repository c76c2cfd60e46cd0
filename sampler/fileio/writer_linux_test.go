//go:build linux

package fileio

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"golang.org/x/sys/unix"
)

// The tests re-execute the test binary as real writer processes: TestMain
// runs writerMain, as the helper named for its mode, instead of the tests.
var writerModes = []string{"seq", "pwrite", "writev", "pwritev", "read", "pread", "scan", "hold",
	"rewrite", "pwritev2", "copy_file_range", "sendfile", "splice", "mmap", "uring-write", "uring-writev", "uring-write-fixed"}

func TestMain(m *testing.M) {
	helpers := map[string]testutil.HelperFunc{}
	for _, mode := range writerModes {
		helpers[mode] = func(args []string) int { return writerMain(mode, args) }
	}
	helpers[reaperHelper] = reaperMain
	helpers[churnHelper] = churnMain
	helpers[nsProbeHelper] = nsProbeMain
	helpers[fexecHelper] = fexecMain
	testutil.Main(m, helpers)
}

// writerMain moves exactly the given bytes to or from a file:
//
//	seq     write(2) in 4 KiB calls
//	pwrite  pwrite64(2) of 4 KiB at every other 4 KiB offset
//	writev  writev(2) of three buffers (1000+2000+1096 bytes) per call
//	pwritev pwritev(2) of the same three buffers at increasing offsets
//	read    read(2) in 4 KiB calls (the file must exist)
//	pread   pread64(2) of 4 KiB at increasing offsets
//	rewrite           pwrite64(2) of the same bytes at offset 0, 4 times over
//	pwritev2          pwritev2(2) of the writev buffers at increasing offsets
//	copy_file_range   copy_file_range(2) from PATH.src, 64 KiB per call
//	sendfile          sendfile(2) from PATH.src, 64 KiB per call
//	splice            4 KiB into a pipe with write(2), then splice(2) into the file
//	mmap              ftruncate, a shared mapping, memcpy, msync(MS_SYNC)
//	uring-write       io_uring WRITE requests of 4 KiB, one at a time
//	uring-writev      io_uring WRITEV requests of the writev buffers
//	uring-write-fixed io_uring WRITE_FIXED requests from a registered buffer
//
// PATH.src (copy_file_range, sendfile) is created with the bytes before
// "open" and is read by the call.
//
// It opens the file, prints "open", and waits for a line on stdin before
// moving the bytes; then prints "done" and waits for stdin to close before
// closing the file and exiting. With the "oneshot" argument it opens,
// writes, closes and exits without waiting.
func writerMain(mode string, args []string) int {
	switch mode {
	case "scan":
		return scanMain()
	case "hold":
		return holdMain(args)
	}
	if len(args) < 2 {
		fmt.Fprintln(os.Stderr, "writer: need <path> <bytes> [oneshot]")
		return 2
	}
	path := args[0]
	total, err := strconv.Atoi(args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "writer:", err)
		return 2
	}
	oneshot := len(args) > 2 && args[2] == "oneshot"
	flags := unix.O_WRONLY | unix.O_CREAT | unix.O_TRUNC
	if mode == "read" || mode == "pread" {
		flags = unix.O_RDONLY
	}
	if mode == "mmap" {
		flags = unix.O_RDWR | unix.O_CREAT | unix.O_TRUNC
	}
	fd, err := unix.Open(path, flags|unix.O_CLOEXEC, 0o666)
	if err != nil {
		fmt.Fprintln(os.Stderr, "writer:", err)
		return 1
	}
	if mode == "copy_file_range" || mode == "sendfile" {
		if err := os.WriteFile(path+".src", make([]byte, total), 0o666); err != nil {
			fmt.Fprintln(os.Stderr, "writer:", err)
			return 1
		}
	}
	in := bufio.NewReader(os.Stdin)
	if !oneshot {
		fmt.Println("open")
		if _, err := in.ReadString('\n'); err != nil {
			return 1
		}
	}
	if err := move(fd, mode, total); err != nil {
		fmt.Fprintln(os.Stderr, "writer:", err)
		return 1
	}
	if !oneshot {
		fmt.Println("done")
		io.Copy(io.Discard, in)
	}
	unix.Close(fd)
	return 0
}

func move(fd int, mode string, total int) error {
	buf := make([]byte, 4096)
	for i := range buf {
		buf[i] = byte(i)
	}
	if other, ok := otherMoves[mode]; ok {
		return other(fd, total, buf)
	}
	var off int64
	for left := total; left > 0; {
		n := min(left, 4096)
		var got int
		var err error
		switch mode {
		case "seq":
			got, err = unix.Write(fd, buf[:n])
		case "pwrite":
			got, err = unix.Pwrite(fd, buf[:n], off)
			off += 8192
		case "writev", "pwritev":
			iov := [][]byte{buf[:min(n, 1000)], buf[min(n, 1000):min(n, 3000)], buf[min(n, 3000):n]}
			if mode == "writev" {
				got, err = unix.Writev(fd, iov)
			} else {
				got, err = unix.Pwritev(fd, iov, off)
				off += int64(n)
			}
		case "read":
			got, err = unix.Read(fd, buf[:n])
		case "pread":
			got, err = unix.Pread(fd, buf[:n], off)
			off += int64(n)
		default:
			return fmt.Errorf("unknown mode %q", mode)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", mode, err)
		}
		if got != n {
			return fmt.Errorf("%s: short transfer %d of %d", mode, got, n)
		}
		left -= n
	}
	return nil
}

// writer is a running writer process.
type writer struct {
	t     *testing.T
	c     *testutil.Child
	mode  string
	path  string
	bytes int
}

// startWriter starts a writer and waits until it has the file open. cred
// runs it as another user when not nil. The test's cleanup lets it close
// its file and exit, and reaps it.
func startWriter(t *testing.T, exe, mode, path string, n int, cred *syscall.Credential) *writer {
	t.Helper()
	cmd := testutil.HelperCommand(exe, mode, path, strconv.Itoa(n))
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	w := &writer{t: t, c: testutil.StartChild(t, cmd), mode: mode, path: path, bytes: n}
	w.expect("open")
	return w
}

func (w *writer) expect(word string) {
	w.t.Helper()
	line, err := w.c.Stdout.ReadString('\n')
	if strings.TrimSpace(line) != word {
		w.t.Fatalf("writer %d: want %q, got %q (%v)", w.c.PID(), word, line, err)
	}
}

// run makes the writer move its bytes and waits until it has.
func (w *writer) run() {
	w.t.Helper()
	if _, err := io.WriteString(w.c.Stdin, "go\n"); err != nil {
		w.t.Fatal(err)
	}
	w.expect("done")
}

func (w *writer) pid() int32 { return int32(w.c.PID()) }

// runOneshot runs a writer that opens, writes, closes and exits, and waits
// for it to exit. It returns the PID it had.
func runOneshot(t *testing.T, exe, mode, path string, n int) int32 {
	t.Helper()
	cmd := testutil.HelperCommand(exe, mode, path, strconv.Itoa(n), "oneshot")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("oneshot writer: %v", err)
	}
	return int32(cmd.ProcessState.Pid())
}

// testExe returns the test binary, copied where any user may run it.
func testExe(t *testing.T) string { return testutil.WorldExecutable(t) }

// worldDir is a temporary directory every user may write to.
func worldDir(t *testing.T) string { return testutil.WorldDir(t) }

// requireIntegration skips, or fails under HVRDOCTOR_REQUIRE_INTEGRATION=1,
// when a component the test needs is missing.
func requireIntegration(t *testing.T, format string, args ...any) {
	t.Helper()
	testutil.SkipOrFail(t, format, args...)
}

// procStart reads a live process's start time as /proc/PID/stat has it.
func procStart(t *testing.T, pid int32) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	start, _, ok := parseStat(b)
	if !ok {
		t.Fatalf("parse /proc/%d/stat", pid)
	}
	return start
}

// findFile returns the activity of one (PID, path) pair.
func findFile(iv Interval, pid int32, path string) (FileActivity, bool) {
	for _, f := range iv.Files {
		if f.Key.Proc.PID == pid && f.Key.Path == path {
			return f, true
		}
	}
	return FileActivity{}, false
}

// within2 reports whether got is within ±2% of want.
func within2(got uint64, want int) bool {
	d := float64(got) - float64(want)
	return d <= 0.02*float64(want) && d >= -0.02*float64(want)
}
