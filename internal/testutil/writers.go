package testutil

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The built-in helpers.
const (
	// WriterHelper writes exactly N bytes to a path in 1 MiB chunks,
	// fsyncs, prints "done" and stays alive until its stdin closes, so
	// a sampler sees it after the write. Arguments: path, N.
	WriterHelper = "writer"
	// ChurnHelper writes 1 MiB and fsyncs every 50 ms until its stdin
	// closes (at most 2 minutes). Argument: path.
	ChurnHelper = "churn"
	// RateHelper writes R bytes per second to a path in 100 ms bursts,
	// each fsynced, cycling over 32 MiB so the file stays small, until its
	// stdin closes (at most 2 minutes): a steady rate for a screen to
	// show. Arguments: path, R.
	RateHelper = "rate"
)

// Writer is a running WriterHelper child.
type Writer struct {
	*Child
	// Done receives nil once the child has written and fsynced all its
	// bytes, or why it did not.
	Done <-chan error
}

// StartWriter starts a WriterHelper child writing size bytes to path. It
// returns at once; Done says when the bytes are on disk.
func StartWriter(t testing.TB, path string, size int64) *Writer {
	t.Helper()
	c := StartChild(t, HelperCommand("", WriterHelper, path, strconv.FormatInt(size, 10)))
	done := make(chan error, 1)
	go func() {
		line, err := c.Stdout.ReadString('\n')
		if err == nil && strings.TrimSpace(line) != "done" {
			err = fmt.Errorf("writer said %q", line)
		}
		done <- err
	}()
	return &Writer{Child: c, Done: done}
}

// StartRate starts a RateHelper child writing rate bytes per second to
// path. exe is the binary to run ("" = this test binary; a symlink to it
// gives the writer a process name of its own).
func StartRate(t testing.TB, exe, path string, rate int64) *Child {
	t.Helper()
	return StartChild(t, HelperCommand(exe, RateHelper, path, strconv.FormatInt(rate, 10)))
}

func rateMain(args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "rate: need <path> <bytes per second>")
		return 2
	}
	rate, err := strconv.ParseInt(args[1], 10, 64)
	if err != nil || rate < 10 {
		fmt.Fprintln(os.Stderr, "rate: bad rate:", args[1])
		return 2
	}
	f, err := os.OpenFile(args[0], os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rate:", err)
		return 1
	}
	defer f.Close()
	stop := make(chan struct{})
	go func() { io.Copy(io.Discard, os.Stdin); close(stop) }()
	burst := make([]byte, rate/10)
	for i := range burst {
		burst[i] = byte(i)
	}
	const span = 32 << 20
	var off int64
	tk := time.NewTicker(100 * time.Millisecond)
	defer tk.Stop()
	deadline := time.After(2 * time.Minute)
	for {
		if _, err := f.WriteAt(burst, off); err != nil {
			fmt.Fprintln(os.Stderr, "rate:", err)
			return 1
		}
		if err := f.Sync(); err != nil {
			fmt.Fprintln(os.Stderr, "rate: fsync:", err)
			return 1
		}
		off = (off + int64(len(burst))) % span
		select {
		case <-stop:
			return 0
		case <-deadline:
			return 0
		case <-tk.C:
		}
	}
}

// StartChurn starts a ChurnHelper child writing to path.
func StartChurn(t testing.TB, path string) *Child {
	t.Helper()
	return StartChild(t, HelperCommand("", ChurnHelper, path))
}

func writerMain(args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "writer: need <path> <bytes>")
		return 2
	}
	size, err := strconv.ParseInt(args[1], 10, 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, "writer: bad size:", err)
		return 2
	}
	f, err := os.Create(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "writer:", err)
		return 1
	}
	chunk := make([]byte, 1<<20)
	for i := range chunk {
		chunk[i] = byte(i * 7)
	}
	for left := size; left > 0; {
		n := min(left, int64(len(chunk)))
		if _, err := f.Write(chunk[:n]); err != nil {
			fmt.Fprintln(os.Stderr, "writer:", err)
			return 1
		}
		left -= n
	}
	if err := f.Sync(); err != nil {
		fmt.Fprintln(os.Stderr, "writer: fsync:", err)
		return 1
	}
	f.Close()
	fmt.Println("done")
	bufio.NewReader(os.Stdin).ReadString('\n') // until stdin closes
	return 0
}

func churnMain(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "churn: need <path>")
		return 2
	}
	f, err := os.Create(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "churn:", err)
		return 1
	}
	stop := make(chan struct{})
	go func() { io.Copy(io.Discard, os.Stdin); close(stop) }()
	chunk := bytes.Repeat([]byte("churn"), 1<<20/5)
	deadline := time.After(2 * time.Minute)
	for {
		select {
		case <-stop:
			return 0
		case <-deadline:
			return 0
		case <-time.After(50 * time.Millisecond):
		}
		if _, err := f.Write(chunk); err != nil {
			fmt.Fprintln(os.Stderr, "churn:", err)
			return 1
		}
		f.Sync()
	}
}
