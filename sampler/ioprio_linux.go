package sampler

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// ReadIOPriority reads a process's I/O priority with ioprio_get(2).
func ReadIOPriority(pid int32) (IOPriority, error) {
	if pid <= 0 {
		// ioprio_get(PID 0) answers for the caller: hvrdoctor's own
		// priority would show on a kernel row (journal, writeback).
		return IOPriority{}, fmt.Errorf("PID %d is not a process", pid)
	}
	const ioprioWhoProcess = 1
	v, _, errno := unix.Syscall(unix.SYS_IOPRIO_GET, ioprioWhoProcess, uintptr(pid), 0)
	if errno != 0 {
		return IOPriority{}, fmt.Errorf("ioprio_get PID %d: %w", pid, errno)
	}
	nice := 0
	if v>>ioprioClassShift == 0 {
		// The raw getpriority returns 20 - nice (1 to 40).
		pr, err := unix.Getpriority(unix.PRIO_PROCESS, int(pid))
		if err != nil {
			return IOPriority{}, fmt.Errorf("getpriority PID %d: %w", pid, err)
		}
		nice = 20 - pr
	}
	return DecodeLinuxIOPriority(int(v), nice), nil
}
