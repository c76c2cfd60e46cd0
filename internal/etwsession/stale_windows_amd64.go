//go:build windows && amd64

package etwsession

import (
	"errors"
	"os"
	"unsafe"

	"github.com/tekert/golang-etw/etw"
	"golang.org/x/sys/windows"
)

var procQueryAllTraces = windows.NewLazySystemDLL("advapi32.dll").NewProc("QueryAllTracesW")

// stopStaleSessions stops the "hvrdoctor-<pid>" sessions of processes that
// no longer run (best effort: a failure leaves them; `logman stop NAME
// -ets` removes one by hand).
func stopStaleSessions() {
	self := os.Getpid()
	for _, name := range listSessions() {
		if !staleSession(name, self, processAlive) {
			continue
		}
		q := etw.NewQueryTraceProperties(name)
		n, err := windows.UTF16PtrFromString(name)
		if err != nil {
			continue
		}
		etw.ControlTrace(0, n, &q.EventTraceProperties2, etw.EVENT_TRACE_CONTROL_STOP)
	}
}

// listSessions names the running ETW sessions (QueryAllTracesW; at most
// 64, Windows' limit). nil when they cannot be listed.
func listSessions() []string {
	if procQueryAllTraces.Find() != nil {
		return nil
	}
	const max = 64
	props := make([]*etw.EventTracePropertyData, max)
	for i := range props {
		p := &etw.EventTracePropertyData{}
		p.Wnode.BufferSize = uint32(unsafe.Sizeof(*p))
		p.LoggerNameOffset = uint32(unsafe.Offsetof(p.LoggerName))
		p.LogFileNameOffset = uint32(unsafe.Offsetof(p.LogFileName))
		props[i] = p
	}
	var count uint32
	r, _, _ := procQueryAllTraces.Call(uintptr(unsafe.Pointer(&props[0])), max, uintptr(unsafe.Pointer(&count)))
	if r != 0 && windows.Errno(r) != windows.ERROR_MORE_DATA {
		return nil
	}
	var names []string
	for _, p := range props[:min(int(count), max)] {
		names = append(names, windows.UTF16ToString(p.LoggerName[:]))
	}
	return names
}

// processAlive reports whether a process with this PID runs (an access
// refusal means it does). OpenProcess's page documents
// ERROR_INVALID_PARAMETER only for PID 0; that it is also the answer for a
// PID no process has is UNCONFIRMED, so any other error counts as alive
// and the session is left (the safe side: never stop a live one).
func processAlive(pid int) bool {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err == nil {
		windows.CloseHandle(h)
		return true
	}
	return !errors.Is(err, windows.ERROR_INVALID_PARAMETER)
}
