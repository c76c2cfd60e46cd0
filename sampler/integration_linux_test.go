//go:build linux

package sampler

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// blockBackedDir returns a directory on a file system backed by a block
// device (writes there reach write_bytes and the disk), or "" when neither
// the test's temp dir nor /var/tmp is.
func blockBackedDir(t *testing.T) string {
	t.Helper()
	for _, d := range []string{t.TempDir(), "/var/tmp"} {
		var st unix.Statfs_t
		if err := unix.Statfs(d, &st); err != nil {
			continue
		}
		switch st.Type {
		case unix.TMPFS_MAGIC, unix.RAMFS_MAGIC:
			continue
		}
		if d == "/var/tmp" {
			sub, err := os.MkdirTemp(d, "hvrdoctor-test-")
			if err != nil {
				continue
			}
			t.Cleanup(func() { os.RemoveAll(sub) })
			return sub
		}
		return d
	}
	return ""
}

// startWriter re-executes the test binary as a writer of exactly size
// bytes; it returns when the writer has fsynced. Closing stdin (done by the
// cleanup) ends it.
type writerProc struct {
	cmd  *exec.Cmd
	done chan error
}

func startWriter(t *testing.T, path string, size int64) *writerProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", path, fmt.Sprint(size))
	cmd.Env = append(os.Environ(), helperEnv+"=writer")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &writerProc{cmd: cmd, done: make(chan error, 1)}
	go func() {
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err == nil && strings.TrimSpace(line) != "done" {
			err = fmt.Errorf("writer said %q", line)
		}
		w.done <- err
	}()
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill() // by its own PID, in case it did not exit
		cmd.Wait()
	})
	return w
}

// TestLiveEngineAttributesWriterBytes: a child writes exactly 50 MiB with
// fsync to a real disk; within 3 samples the live engine must attribute
// 50 MiB +-5% of storage-layer writes to that PID, classified as workload.
func TestLiveEngineAttributesWriterBytes(t *testing.T) {
	const size = 50 << 20
	dir := blockBackedDir(t)
	if dir == "" {
		requireOrSkip(t, "no block-backed directory (temp dir and /var/tmp are tmpfs)")
	}
	eng, err := NewEngine(NewLiveSource(), Config{Interval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := eng.Sample(ctx); err != nil {
		t.Fatal(err)
	}
	w := startWriter(t, filepath.Join(dir, "churn.bin"), size)
	pid := int32(w.cmd.Process.Pid)

	var attributed float64
	var seen ProcessRates
	finished := false
	for i := 1; i <= 3; i++ {
		time.Sleep(eng.Interval())
		wait := time.Duration(0)
		if i == 3 {
			wait = 60 * time.Second // the last sample comes after the fsync
		}
		if !finished {
			select {
			case err := <-w.done:
				if err != nil {
					t.Fatalf("writer: %v", err)
				}
				finished = true
			case <-time.After(wait):
			}
		}
		if i == 3 && !finished {
			t.Fatal("writer did not write and fsync 50 MiB within 60 s")
		}
		f, err := eng.Sample(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range f.Processes {
			if p.Key.PID == pid && !p.Exited {
				attributed += p.WriteRate * f.Elapsed.Seconds()
				seen = p
			}
		}
		if finished {
			break
		}
	}
	if math.Abs(attributed-size) > 0.05*size {
		t.Fatalf("attributed %.0f bytes to writer PID %d within 3 samples, want %d +-5%%", attributed, pid, size)
	}
	if seen.Class.Class != ClassWorkload || seen.Class.Rule != NoRuleMatched {
		t.Errorf("writer class = %+v, want workload (no rule matched)", seen.Class)
	}
	if seen.WriteTotal < size*95/100 {
		t.Errorf("WriteTotal = %d, want about %d", seen.WriteTotal, size)
	}
	t.Logf("attributed %.1f MiB to PID %d (%s)", attributed/(1<<20), pid, seen.Name)
}
