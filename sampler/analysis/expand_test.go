package analysis

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// Naming a recording twice (the directory and a file in it, or the same
// directory twice, as a shell glob easily does) must not count its samples
// twice: each file is read once, in the order first named.
func TestExpandPathsReadsEachFileOnce(t *testing.T) {
	dir := testutil.TempDir(t)
	hvr := filepath.Join(dir, "HVRStats-1.csv")
	proc := filepath.Join(dir, "ProcStats-1.csv")
	for _, p := range []string{hvr, proc} {
		if err := os.WriteFile(p, []byte("Timestamp\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(testutil.TempDir(t), "proc-link.csv")
	if err := os.Symlink(proc, link); err != nil {
		t.Fatal(err)
	}
	got, err := ExpandPaths([]string{dir, proc, dir, link})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{hvr, proc}; !reflect.DeepEqual(got, want) {
		t.Errorf("ExpandPaths = %v, want %v", got, want)
	}
}

func TestExpandPathsMissingInputSaysWhatToGive(t *testing.T) {
	missing := filepath.Join(testutil.TempDir(t), "churn")
	_, err := ExpandPaths([]string{missing})
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want a not-exist error", err)
	}
	if msg := err.Error(); !strings.Contains(msg, missing) || !strings.Contains(msg, "give a recording directory or CSV files") {
		t.Errorf("message %q should name the input and say what to give", msg)
	}
}
