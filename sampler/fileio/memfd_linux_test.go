//go:build linux && (amd64 || arm64)

package fileio

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"golang.org/x/sys/unix"
)

// fexecHelper names the helper that executes a program from a memfd.
const fexecHelper = "fexec"

// fexecMain copies a program into a memfd and executes it from there
// with execveat(AT_EMPTY_PATH), as fexecve(3) does (args: program, argv0,
// more arguments): the kernel then names it by the memfd ("memfd:...").
func fexecMain(args []string) int {
	prog, err := os.ReadFile(args[0])
	if err != nil {
		return 1
	}
	fd, err := unix.MemfdCreate("sealed-91", 0)
	if err != nil {
		return 1
	}
	if _, err := unix.Write(fd, prog); err != nil {
		return 1
	}
	argv, _ := syscall.SlicePtrFromStrings(args[1:])
	envv, _ := syscall.SlicePtrFromStrings(os.Environ())
	empty, _ := syscall.BytePtrFromString("")
	_, _, errno := unix.Syscall6(unix.SYS_EXECVEAT, uintptr(fd), uintptr(unsafe.Pointer(empty)),
		uintptr(unsafe.Pointer(&argv[0])), uintptr(unsafe.Pointer(&envv[0])), unix.AT_EMPTY_PATH, 0)
	fmt.Fprintln(os.Stderr, "fexec: execveat:", errno)
	return 1
}

// A program executed from a memfd is named by its argv[0] in the per-file
// rows, not by the memfd name the kernel gives it as comm.
func TestEBPFNamesMemfdProgramByArgv0(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		requireIntegration(t, "sh is needed: %v", err)
	}
	s := openEBPFForTest(t)
	dir := worldDir(t)
	target := filepath.Join(dir, "memfd.dat")
	if _, err := s.Read(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := testutil.StartChild(t, testutil.HelperCommand(testExe(t), fexecHelper, sh, "mysh", "-c", "echo hello > "+target+"; sleep 3"))
	deadline := time.Now().Add(2 * time.Second)
	for {
		if st, err := os.Stat(target); err == nil && st.Size() > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the program from the memfd did not write %s", target)
		}
		time.Sleep(20 * time.Millisecond)
	}
	iv, err := s.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f, ok := findFile(iv, int32(c.PID()), target)
	if !ok || f.Name != "mysh" {
		t.Errorf("row for %s by PID %d: %+v (found %v), want it named by argv[0] %q", target, c.PID(), f, ok, "mysh")
	}
}
