//go:build linux

package sampler

import (
	"fmt"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// fexecHelper copies a program into a memfd and executes it from there
// with execveat(AT_EMPTY_PATH), as fexecve(3) does (args: program, argv0,
// more arguments).
func fexecHelper(args []string) int {
	if len(args) < 2 {
		fmt.Fprintln(os.Stderr, "fexec: need <program> <argv0> [args]")
		return 2
	}
	prog, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "fexec:", err)
		return 1
	}
	fd, err := unix.MemfdCreate("sealed-91", 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fexec:", err)
		return 1
	}
	if _, err := unix.Write(fd, prog); err != nil {
		fmt.Fprintln(os.Stderr, "fexec:", err)
		return 1
	}
	argv, err := syscall.SlicePtrFromStrings(args[1:])
	if err != nil {
		return 1
	}
	envv, err := syscall.SlicePtrFromStrings(os.Environ())
	if err != nil {
		return 1
	}
	empty, _ := syscall.BytePtrFromString("")
	_, _, errno := unix.Syscall6(unix.SYS_EXECVEAT, uintptr(fd), uintptr(unsafePointer(empty)),
		uintptr(unsafePointer(&argv[0])), uintptr(unsafePointer(&envv[0])), unix.AT_EMPTY_PATH, 0)
	fmt.Fprintln(os.Stderr, "fexec: execveat:", errno)
	return 1
}

func unsafePointer[T any](p *T) unsafe.Pointer { return unsafe.Pointer(p) }

// evilNameHelper sets its comm to escape sequences and bytes that are not
// UTF-8 (prctl PR_SET_NAME, as any process may), says "named", and waits
// until stdin closes.
func evilNameHelper([]string) int {
	name := []byte("\xff\xfe\x1b[31mEVIL\x1b\x00")
	if err := unix.Prctl(unix.PR_SET_NAME, uintptr(unsafe.Pointer(&name[0])), 0, 0, 0); err != nil {
		fmt.Fprintln(os.Stderr, "evilname:", err)
		return 1
	}
	fmt.Println("named")
	var b [1]byte
	for {
		if _, err := os.Stdin.Read(b[:]); err != nil {
			return 0
		}
	}
}
