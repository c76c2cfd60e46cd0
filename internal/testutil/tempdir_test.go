package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTempDirIsRemovedWithItsTree: the directory and a nested tree in it
// are gone once the test that asked for it ends. Under wine (Go 1.26's
// os.RemoveAll fails there) this fails with t.TempDir and passes with
// TempDir's entry-by-entry removal.
func TestTempDirIsRemovedWithItsTree(t *testing.T) {
	var dir string
	t.Run("user", func(t *testing.T) {
		dir = TempDir(t)
		sub := filepath.Join(dir, "a", "b")
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{filepath.Join(dir, "top.csv"), filepath.Join(sub, "deep.csv")} {
			if err := os.WriteFile(f, []byte("x\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	})
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s still exists after its test ended (stat: %v)", dir, err)
	}
}

// TestTempDirNamesAreDistinct: two calls in one test give two directories.
func TestTempDirNamesAreDistinct(t *testing.T) {
	a, b := TempDir(t), TempDir(t)
	if a == b {
		t.Fatalf("both calls returned %s", a)
	}
}
