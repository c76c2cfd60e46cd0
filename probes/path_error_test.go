package probes

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// TestMissingFileWordedTheSameOnEveryOS: a missing --ca/--cert/--ccache
// file is "no such file or directory" on Windows too (it said "The system
// cannot find the file specified.", so --ccache lost its "run kinit
// first" hint). Runs on Linux and, under wine, on the Windows build.
func TestMissingFileWordedTheSameOnEveryOS(t *testing.T) {
	missing := filepath.Join(testutil.TempDir(t), "nofile.pem")
	_, err := ReadInputFile("--ca", missing, MaxCABundleSize)
	if err == nil || !strings.Contains(err.Error(), "--ca") || !strings.HasSuffix(err.Error(), ": no such file or directory") {
		t.Errorf("ReadInputFile(missing) = %v, want --ca ...: no such file or directory", err)
	}
	_, err = validateCCache(missing)
	if err == nil || !strings.Contains(err.Error(), "no such file or directory (run kinit first)") {
		t.Errorf("validateCCache(missing) = %v, want the run kinit hint", err)
	}
	// A missing parent directory is ERROR_PATH_NOT_FOUND on Windows.
	_, err = ReadInputFile("--keytab", filepath.Join(testutil.TempDir(t), "nodir", "k.keytab"), MaxKeytabSize)
	if err == nil || !strings.HasSuffix(err.Error(), ": no such file or directory") {
		t.Errorf("missing parent directory: %v", err)
	}
}

func TestOSNeutralPathErrKeepsOtherErrors(t *testing.T) {
	if got := osNeutralPathErr(&os.PathError{Op: "open", Path: "x", Err: syscall.ENOENT}); got != errNoSuchFile {
		t.Errorf("ENOENT: %v", got)
	}
	other := errors.New("disk on fire")
	if got := osNeutralPathErr(other); got != other {
		t.Errorf("other error changed to %v", got)
	}
}
