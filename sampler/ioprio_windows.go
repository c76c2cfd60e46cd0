package sampler

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

// ReadIOPriority reads a process's I/O priority hint with
// NtQueryInformationProcess(ProcessIoPriority). The value is an
// IO_PRIORITY_HINT (wdm.h: IoPriorityVeryLow 0 ... IoPriorityCritical 4);
// ProcessIoPriority (33 in x/sys/windows) is not among the classes
// NtQueryInformationProcess's page documents: UNCONFIRMED, and an error
// from it is reported, not guessed around.
func ReadIOPriority(pid int32) (IOPriority, error) {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_INFORMATION, false, uint32(pid))
	if err != nil {
		h, err = windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	}
	if err != nil {
		return IOPriority{}, fmt.Errorf("open PID %d: %w", pid, err)
	}
	defer windows.CloseHandle(h)
	var hint uint32
	var n uint32
	if err := windows.NtQueryInformationProcess(h, windows.ProcessIoPriority, unsafe.Pointer(&hint), uint32(unsafe.Sizeof(hint)), &n); err != nil {
		return IOPriority{}, fmt.Errorf("NtQueryInformationProcess(ProcessIoPriority) PID %d: %w", pid, err)
	}
	return DecodeWindowsIOPriority(hint), nil
}
