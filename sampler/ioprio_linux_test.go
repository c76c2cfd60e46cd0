package sampler

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// TestReadIOPriorityMatchesIonice starts real processes under ionice and
// nice and reads their I/O priority: it must be the class and level set,
// and what ionice -p prints for them.
func TestReadIOPriorityMatchesIonice(t *testing.T) {
	if _, err := exec.LookPath("ionice"); err != nil {
		testutil.SkipOrFail(t, "ionice not installed (apt-get install util-linux)")
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"ionice", "-c", "3", "sleep", "30"}, "idle"},
		{[]string{"ionice", "-c", "2", "-n", "6", "sleep", "30"}, "best-effort 6"},
		{[]string{"nice", "-n", "10", "sleep", "30"}, "none (best-effort 6 from nice 10)"},
	} {
		cmd := exec.Command(c.args[0], c.args[1:]...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		pid := cmd.Process.Pid
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		// ionice and nice set the priority, then exec sleep.
		for end := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
			if strings.TrimSpace(string(b)) == "sleep" {
				break
			}
			if time.Now().After(end) {
				t.Fatalf("%v never became sleep", c.args)
			}
		}
		got, err := ReadIOPriority(int32(pid))
		if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if got.String() != c.want {
			t.Errorf("%v: I/O priority %q, want %q", c.args, got, c.want)
		}
		out, err := exec.Command("ionice", "-p", strconv.Itoa(pid)).Output()
		if err != nil {
			t.Fatalf("ionice -p: %v", err)
		}
		// ionice prints "idle", "best-effort: prio 6", or "none: prio 0":
		// the raw level of the none class, whose effective level comes
		// from nice (ioprio_set(2)), which ours shows.
		io := strings.TrimSpace(string(out))
		class, prio, _ := strings.Cut(io, ": prio ")
		if class != got.Class || (prio != "" && class != "none" && prio != strconv.Itoa(got.Level)) {
			t.Errorf("%v: ionice -p says %q, we say %q", c.args, io, got)
		}
	}
	if _, err := ReadIOPriority(1 << 30); err == nil || !strings.Contains(err.Error(), "ioprio_get PID 1073741824") {
		t.Errorf("a missing PID gives %v, want an ioprio_get error naming it", err)
	}
}

// PID 0 is a kernel row (journal, writeback), not a process: ioprio_get
// would answer with the caller's own priority.
func TestReadIOPriorityRefusesKernelRows(t *testing.T) {
	for _, pid := range []int32{0, -1} {
		if pr, err := ReadIOPriority(pid); err == nil {
			t.Errorf("ReadIOPriority(%d) = %+v, want an error", pid, pr)
		}
	}
}
