package train

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSimulatedPagefile: the page-file scenario's simulated mode replays
// what Windows shows (System, PID 4, writing C:\pagefile.sys at 4 MiB/s
// beside the database's 64 KiB/s); verify grades the answers only; stop
// removes the recording.
func TestSimulatedPagefile(t *testing.T) {
	tr := newTestTrainer(t)
	out, errOut, code := runMain(tr, "start", "pagefile-churn", "--simulated")
	if code != ExitOK || !strings.Contains(out, "SIMULATED") || !strings.Contains(out, "hvrdoctor analyze ") {
		t.Fatalf("start: exit %d\n%s\n%s", code, out, errOut)
	}
	st, err := tr.Running("pagefile-churn")
	if err != nil {
		t.Fatal(err)
	}
	dir := st.Vars["recording"]
	b, err := os.ReadFile(filepath.Join(dir, "ProcStats-1.csv"))
	if err != nil {
		t.Fatal(err)
	}
	system, sql := 0, 0
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, ",System,") && strings.Contains(l, ",4194304,") {
			system++
		}
		if strings.Contains(l, ",sqlservr,") && strings.Contains(l, ",65536,") {
			sql++
		}
	}
	if system != 300 || sql != 300 {
		t.Errorf("ProcStats rows: System at 4 MiB/s %d, sqlservr at 64 KiB/s %d; want 300 each", system, sql)
	}
	if f, err := os.ReadFile(filepath.Join(dir, "FileStats-1.csv")); err != nil || !strings.Contains(string(f), `C:\pagefile.sys`) {
		t.Errorf("FileStats does not name C:\\pagefile.sys: %v", err)
	}
	if _, _, code := runMain(tr, "verify", "pagefile-churn", "--answers", "process=b"); code == ExitOK {
		t.Error("verify passes with a wrong answer")
	}
	if out, _, code := runMain(tr, "verify", "pagefile-churn", "--answers", "process=a,cause=b,fix=b"); code != ExitOK {
		t.Errorf("verify with the right answers: exit %d\n%s", code, out)
	}
	if _, _, code := runMain(tr, "stop", "pagefile-churn"); code != ExitOK {
		t.Fatal("stop failed")
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("%s left after stop", dir)
	}
}
