package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// WorldDir returns a new temporary directory that every user may write to
// (its parents up to the system temp dir are opened too), for helpers run
// as another user. The test's cleanup removes it.
func WorldDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	for d := dir; d != os.TempDir() && d != "/" && d != "."; d = filepath.Dir(d) {
		os.Chmod(d, 0o777)
	}
	return dir
}

// CopyExecutable copies the running test binary into dir (which other
// users must be able to enter) as an executable any user may run, and
// returns its path.
func CopyExecutable(t testing.TB, dir string) string {
	t.Helper()
	data, err := os.ReadFile(self())
	if err != nil {
		t.Fatalf("copy test binary: %v", err)
	}
	exe := filepath.Join(dir, filepath.Base(self()))
	if err := os.WriteFile(exe, data, 0o755); err != nil {
		t.Fatalf("copy test binary: %v", err)
	}
	return exe
}

// WorldExecutable copies the running test binary into a new WorldDir and
// returns its path: a helper run as another user (say nobody) can execute
// it.
func WorldExecutable(t testing.TB) string {
	t.Helper()
	return CopyExecutable(t, WorldDir(t))
}
