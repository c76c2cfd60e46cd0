package testutil

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	Main(m, map[string]HelperFunc{
		"echo-args": func(args []string) int {
			fmt.Println(strings.Join(args, "|"))
			return 0
		},
		"deaf": func([]string) int { // ignores its stdin
			fmt.Println("up")
			time.Sleep(time.Minute)
			return 0
		},
	})
}

func TestHelperGetsItsArgumentsOnly(t *testing.T) {
	out, err := HelperCommand("", "echo-args", "a", "b c").Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "a|b c\n" {
		t.Errorf("helper saw %q, want the two arguments without the test flags", out)
	}
}

func TestUnknownHelperExitsWithStatus2(t *testing.T) {
	cmd := HelperCommand("", "no-such-helper")
	out, err := cmd.CombinedOutput()
	if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 2 || !strings.Contains(string(out), `"no-such-helper" unknown`) {
		t.Errorf("unknown helper: %v, %q; want exit status 2 naming it", err, out)
	}
}

func TestWriterWritesExactlyItsBytes(t *testing.T) {
	const size = 3<<20 + 5
	path := filepath.Join(TempDir(t), "w.bin")
	w := StartWriter(t, path, size)
	select {
	case err := <-w.Done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("writer did not say done within a minute")
	}
	if st, err := os.Stat(path); err != nil || st.Size() != size {
		t.Fatalf("file after done: %v %v, want %d bytes", st, err, size)
	}
	if w.PID() <= 0 || w.PID() == os.Getpid() {
		t.Errorf("writer PID %d", w.PID())
	}
	w.Stop()
	if !w.Cmd.ProcessState.Success() {
		t.Errorf("writer after stdin closed: %v, want exit 0", w.Cmd.ProcessState)
	}
}

func TestRateWritesBurstsUntilStdinCloses(t *testing.T) {
	const rate = 4 << 20 // 400 KiB bursts
	path := filepath.Join(TempDir(t), "rate.bin")
	c := StartRate(t, "", path, rate)
	deadline := time.Now().Add(time.Minute)
	for {
		if st, err := os.Stat(path); err == nil && st.Size() >= 2*rate/10 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("rate wrote fewer than two bursts in a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.Stop()
	if !c.Cmd.ProcessState.Success() {
		t.Errorf("rate after stdin closed: %v, want exit 0", c.Cmd.ProcessState)
	}
	if st, err := os.Stat(path); err != nil || st.Size()%(rate/10) != 0 || st.Size() > 32<<20 {
		t.Errorf("file after stop: %v %v, want whole bursts within 32 MiB", st, err)
	}
}

func TestChurnWritesUntilStdinCloses(t *testing.T) {
	path := filepath.Join(TempDir(t), "churn.bin")
	c := StartChurn(t, path)
	deadline := time.Now().Add(time.Minute)
	for {
		if st, err := os.Stat(path); err == nil && st.Size() >= 2<<20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("churn wrote less than 2 MiB in a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.Stop()
	if !c.Cmd.ProcessState.Success() {
		t.Errorf("churn after stdin closed: %v, want exit 0", c.Cmd.ProcessState)
	}
	c.Stop() // a second Stop does nothing
}

func TestStopKillsAChildThatIgnoresStdin(t *testing.T) {
	defer func(g time.Duration) { stopGrace = g }(stopGrace)
	stopGrace = 100 * time.Millisecond
	c := StartChild(t, HelperCommand("", "deaf"))
	if line, err := c.Stdout.ReadString('\n'); line != "up\n" {
		t.Fatalf("deaf helper said %q (%v)", line, err)
	}
	c.Stop()
	if c.Cmd.ProcessState == nil || c.Cmd.ProcessState.Success() {
		t.Errorf("deaf helper after Stop: %v, want killed", c.Cmd.ProcessState)
	}
}

// verdict records what SkipOrFail asked of a test.
type verdict struct {
	testing.TB
	skipped, failed string
}

func (v *verdict) Helper()                        {}
func (v *verdict) Skipf(format string, a ...any)  { v.skipped = fmt.Sprintf(format, a...) }
func (v *verdict) Fatalf(format string, a ...any) { v.failed = fmt.Sprintf(format, a...) }

func TestSkipOrFailFollowsTheEnvironment(t *testing.T) {
	for _, env := range []string{"", "1"} {
		t.Setenv(RequireIntegrationEnv, env)
		v := &verdict{TB: t}
		SkipOrFail(v, "squid not found on PATH (apt-get install %s)", "squid")
		got := v.skipped
		if env == "1" {
			got = v.failed
		}
		if !strings.Contains(got, "squid not found on PATH (apt-get install squid)") || (v.skipped != "") == (v.failed != "") {
			t.Errorf("%s=%q: skipped %q, failed %q; want exactly one, naming the reason", RequireIntegrationEnv, env, v.skipped, v.failed)
		}
	}
	v := &verdict{TB: t}
	SkipUnless(v, nil)
	if v.skipped != "" || v.failed != "" {
		t.Errorf("SkipUnless(nil) skipped %q, failed %q", v.skipped, v.failed)
	}
}
