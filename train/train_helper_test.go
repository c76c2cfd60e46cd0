package train

import (
	"os"
	"os/exec"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// TestMain lets the test binary act as the lab supervisor (`hvrdoctor
// train _lab ID`): the tests' Trainer re-executes it with
// HVRDOCTOR_TRAIN_SUPERVISOR set.
func TestMain(m *testing.M) {
	if len(os.Args) == 4 && os.Args[1] == "train" && os.Args[2] == "_writer" {
		os.Exit(RunWriter(os.Args[3]))
	}
	if len(os.Args) == 4 && os.Args[1] == "train" && os.Args[2] == "_pager" {
		os.Exit(RunPager(os.Args[3]))
	}
	if id := os.Getenv("HVRDOCTOR_TRAIN_SUPERVISOR"); id != "" {
		dirs := Dirs{Scenarios: os.Getenv("HVRDOCTOR_TRAIN_SCENARIOS"), State: os.Getenv("HVRDOCTOR_TRAIN_STATE")}
		os.Exit(RunSupervisor(dirs, id))
	}
	os.Exit(m.Run())
}

// newTestTrainer is a Trainer whose files live in the test's temporary
// directories and whose supervisor is this test binary.
func newTestTrainer(t *testing.T) *Trainer {
	t.Helper()
	base := testutil.TempDir(t)
	dirs := Dirs{Scenarios: base + "/scenarios", Progress: base + "/progress.json", State: base + "/state"}
	cat, errs := LoadCatalogue(dirs.Scenarios)
	if len(errs) > 0 {
		t.Fatalf("catalogue: %v", errs)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return &Trainer{Dirs: dirs, Cat: cat, Supervisor: func(id string) *exec.Cmd {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), "HVRDOCTOR_TRAIN_SUPERVISOR="+id, "HVRDOCTOR_TRAIN_SCENARIOS="+dirs.Scenarios, "HVRDOCTOR_TRAIN_STATE="+dirs.State)
		return cmd
	}}
}
