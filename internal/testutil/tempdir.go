package testutil

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"testing"
)

// TempDir is t.TempDir for tests that also run under wine
// (scripts/test-windows.sh): it returns a new directory that the test's
// cleanup removes. Under wine, Go 1.26's os.RemoveAll fails on every entry
// ("unlinkat ...: Invalid function": wine 8 does not implement the POSIX
// delete disposition it asks for), which makes t.TempDir's cleanup fail
// the test; TempDir then removes the tree entry by entry with os.Remove,
// fails the test when a file could not be removed because it is still
// open (as on Windows), and only logs anything else left. Anywhere else a removal failure fails the
// test, as with t.TempDir.
func TempDir(t testing.TB) string {
	t.Helper()
	name := strings.NewReplacer("/", "_", "\\", "_", ":", "_", "*", "_", "?", "_", "\"", "_", "<", "_", ">", "_", "|", "_").Replace(t.Name())
	if len(name) > 64 {
		name = name[:64]
	}
	dir, err := os.MkdirTemp("", name+"-")
	if err != nil {
		t.Fatalf("TempDir: %v", err)
	}
	t.Cleanup(func() {
		err := os.RemoveAll(dir)
		if err == nil {
			return
		}
		if !UnderWine() {
			t.Errorf("TempDir cleanup: %v", err)
			return
		}
		if err := removeEachEntry(dir); err != nil {
			if sharingViolation(err) {
				// A file the test (or the code it tests) left open: real
				// Windows refuses to delete it too.
				t.Errorf("TempDir cleanup: %v: a file is still open when the test ends; close it (Windows cannot delete an open file)", err)
				return
			}
			t.Logf("TempDir cleanup under wine left %s: %v", dir, err)
		}
	})
	return dir
}

// sharingViolation reports Windows' ERROR_SHARING_VIOLATION (32): the
// file is open.
func sharingViolation(err error) bool {
	var errno syscall.Errno
	return runtime.GOOS == "windows" && errors.As(err, &errno) && errno == 32
}

// removeEachEntry removes dir and everything under it one entry at a
// time, deepest first, with os.Remove (which wine implements).
func removeEachEntry(dir string) error {
	var paths []string
	filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err == nil {
			paths = append(paths, p)
		}
		return nil
	})
	// Longer paths first: children before their parents.
	sort.Slice(paths, func(i, j int) bool { return len(paths[i]) > len(paths[j]) })
	var first error
	for _, p := range paths {
		if err := os.Remove(p); err != nil && first == nil && !os.IsNotExist(err) {
			first = err
		}
	}
	return first
}
