package testutil

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// MainPackage is the import path of the hvrdoctor command.
const MainPackage = "github.com/hvrdoctor/hvrdoctor"

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// Binary builds hvrdoctor once per test process (go build, from the
// module in the working directory) and returns the path of the binary;
// Main removes it after the tests. A build failure fails every test that
// asks for it, with the compiler's output. Under wine the test is
// skipped with that reason.
func Binary(t testing.TB) string {
	t.Helper()
	if UnderWine() {
		t.Skip("builds hvrdoctor with the Go toolchain, which does not run under wine; scripts/test-windows.sh runs the Windows binary through internal/winecheck instead")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "hvrdoctor-test-bin-")
		if err != nil {
			binErr = fmt.Errorf("build hvrdoctor: temp dir: %w", err)
			return
		}
		name := "hvrdoctor"
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		binDir, binPath = dir, filepath.Join(dir, name)
		out, err := exec.Command("go", "build", "-o", binPath, MainPackage).CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("build hvrdoctor: go build: %w\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// removeBinary deletes what Binary built.
func removeBinary() {
	if binDir != "" {
		os.RemoveAll(binDir)
	}
}
