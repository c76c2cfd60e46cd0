//go:build linux && (amd64 || arm64)

package fileio

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// nsProbeHelper names the helper that runs the eBPF backend inside a PID
// namespace (nsProbeMain).
const nsProbeHelper = "nsprobe"

// nsProbeMain runs inside `unshare -p -f --mount-proc` (args: dir). It
// opens the eBPF backend, prints "ready", waits for a line, runs a
// short-lived writer of 1 MiB to dir/inside.dat, reads the interval and
// prints one line per row: "row <pid> <path> <write bytes>", then
// "child <pid>" and "end".
func nsProbeMain(args []string) int {
	src, err := Open(Options{Backend: BackendEBPF})
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	defer src.Close()
	ctx := context.Background()
	if _, err := src.Read(ctx); err != nil {
		fmt.Println("error", err)
		return 1
	}
	fmt.Println("ready")
	in := bufio.NewReader(os.Stdin)
	if _, err := in.ReadString('\n'); err != nil {
		return 1
	}
	cmd := testutil.HelperCommand("", "seq", filepath.Join(args[0], "inside.dat"), strconv.Itoa(1<<20), "oneshot")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Println("error", err)
		return 1
	}
	iv, err := src.Read(ctx)
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	for _, f := range iv.Files {
		fmt.Printf("row %d %s %d\n", f.Key.Proc.PID, f.Key.Path, f.WriteBytes)
	}
	fmt.Printf("child %d\n", cmd.Process.Pid)
	fmt.Println("end")
	return 0
}

// Inside a PID namespace the eBPF backend gives PIDs as the namespace sees
// them, and leaves out processes outside it: a writer inside has its
// namespace PID; a writer outside, running at the same time, is not there.
func TestEBPFInPIDNamespace(t *testing.T) {
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		requireIntegration(t, "unshare(1) is needed: %v", err)
	}
	if _, err := openEBPF(&stepClock{}); err != nil {
		requireIntegration(t, "eBPF backend unavailable: %v", err)
	}
	dir := worldDir(t)
	helper := testutil.HelperCommand(testExe(t), nsProbeHelper, dir)
	cmd := exec.Command(unshare, append([]string{"-p", "-f", "--mount-proc"}, helper.Args...)...)
	cmd.Env = helper.Env
	c := testutil.StartChild(t, cmd)
	line, _ := c.Stdout.ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		t.Fatalf("helper in the namespace said %q", line)
	}
	outside := filepath.Join(dir, "outside.dat")
	outPID := runOneshot(t, testExe(t), "seq", outside, 1<<20)
	c.Stdin.Write([]byte("go\n"))
	var rows []string
	child := -1
	for {
		l, err := c.Stdout.ReadString('\n')
		l = strings.TrimSpace(l)
		if err != nil || l == "end" {
			break
		}
		if strings.HasPrefix(l, "error") {
			t.Fatalf("helper: %s", l)
		}
		if n, ok := strings.CutPrefix(l, "child "); ok {
			child, _ = strconv.Atoi(n)
			continue
		}
		rows = append(rows, l)
	}
	if child <= 0 || child > 100 {
		t.Fatalf("writer's PID inside the namespace = %d, want a small namespace PID", child)
	}
	inside := filepath.Join(dir, "inside.dat")
	found := false
	for _, r := range rows {
		f := strings.Fields(r)
		if len(f) != 4 {
			continue
		}
		if f[2] == inside {
			found = f[1] == strconv.Itoa(child) && f[3] == strconv.Itoa(1<<20)
			if !found {
				t.Errorf("row %q: want PID %d (the namespace's) and 1048576 bytes", r, child)
			}
		}
		if f[2] == outside {
			t.Errorf("row %q: the writer outside the namespace (host PID %d) is reported inside it", r, outPID)
		}
		if pid, _ := strconv.Atoi(f[1]); pid > 1000 {
			t.Errorf("row %q: PID %d is not one of the namespace's", r, pid)
		}
	}
	if !found {
		t.Errorf("no row for %s; rows:\n%s", inside, strings.Join(rows, "\n"))
	}
}
