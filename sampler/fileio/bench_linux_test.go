//go:build linux

package fileio

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"golang.org/x/sys/unix"
)

// BenchmarkSample10kOpenFiles measures one Read of each backend while
// another process holds 10,000 regular files open. "idle": none of them
// moves; "active": the holder writes 1 byte to every file before each Read
// (outside the timer). It reports this process's CPU time per sample
// (user+system, from getrusage) as cpu-ms/sample.
func BenchmarkSample10kOpenFiles(b *testing.B) {
	const files = 10000
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	h := startHolder(b, exe, b.TempDir(), files)
	for _, backend := range []string{BackendEBPF, BackendFanotify, BackendProc} {
		for _, active := range []bool{false, true} {
			name := backend + "/idle"
			if active {
				name = backend + "/active"
			}
			b.Run(name, func(b *testing.B) {
				s, err := Open(Options{Backend: backend, Clock: &stepClock{step: time.Second}})
				if err != nil {
					b.Skipf("backend %s unavailable: %v", backend, err)
				}
				defer s.Close()
				ctx := context.Background()
				if active {
					h.touch(b)
				}
				if _, err := s.Read(ctx); err != nil {
					b.Fatal(err)
				}
				var cpu time.Duration
				seen := 0
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if active {
						b.StopTimer()
						h.touch(b)
						b.StartTimer()
					}
					before := cpuTime()
					iv, err := s.Read(ctx)
					cpu += cpuTime() - before
					if err != nil {
						b.Fatal(err)
					}
					for _, f := range iv.Files {
						if f.Key.Proc.PID == h.pid && (f.WriteBytes > 0 || f.BytesUnknown) {
							seen++
						}
					}
				}
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/sample")
				b.ReportMetric(float64(seen)/float64(b.N), "holder-files/sample")
			})
		}
	}
}

func cpuTime() time.Duration {
	var ru unix.Rusage
	unix.Getrusage(unix.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// holder is a process holding many files open.
type holder struct {
	stdin io.WriteCloser
	out   *bufio.Reader
	pid   int32
}

func startHolder(b *testing.B, exe, dir string, n int) *holder {
	b.Helper()
	c := testutil.StartChild(b, testutil.HelperCommand(exe, "hold", dir, strconv.Itoa(n)))
	h := &holder{stdin: c.Stdin, out: c.Stdout, pid: int32(c.PID())}
	if line, err := h.out.ReadString('\n'); strings.TrimSpace(line) != "open" {
		b.Fatalf("holder: %q %v", line, err)
	}
	return h
}

func (h *holder) touch(b *testing.B) {
	fmt.Fprintln(h.stdin, "touch")
	if line, err := h.out.ReadString('\n'); strings.TrimSpace(line) != "done" {
		b.Fatalf("holder: %q %v", line, err)
	}
}

// holdMain opens n files in dir, prints "open", and writes 1 byte to each
// for every "touch" line on stdin, answering "done".
func holdMain(args []string) int {
	if len(args) < 2 {
		return 2
	}
	n, _ := strconv.Atoi(args[1])
	var lim unix.Rlimit
	unix.Getrlimit(unix.RLIMIT_NOFILE, &lim)
	lim.Cur = lim.Max
	unix.Setrlimit(unix.RLIMIT_NOFILE, &lim)
	fds := make([]int, 0, n)
	for i := 0; i < n; i++ {
		fd, err := unix.Open(filepath.Join(args[0], "f"+strconv.Itoa(i)), unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC, 0o644)
		if err != nil {
			fmt.Fprintln(os.Stderr, "hold:", err)
			return 1
		}
		fds = append(fds, fd)
	}
	fmt.Println("open")
	sc := bufio.NewScanner(os.Stdin)
	one := []byte{1}
	for sc.Scan() {
		for _, fd := range fds {
			unix.Write(fd, one)
		}
		fmt.Println("done")
	}
	return 0
}
