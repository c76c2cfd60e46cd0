package winconsole

import (
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

var procGetConsoleProcessList = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetConsoleProcessList")

// winAPI is the real console.
type winAPI struct{}

func (winAPI) OutputCP() (uint32, error)         { return windows.GetConsoleOutputCP() }
func (winAPI) SetOutputCP(cp uint32) error       { return windows.SetConsoleOutputCP(cp) }
func (winAPI) InputCP() (uint32, error)          { return windows.GetConsoleCP() }
func (winAPI) SetInputCP(cp uint32) error        { return windows.SetConsoleCP(cp) }
func (winAPI) SetMode(h uintptr, m uint32) error { return windows.SetConsoleMode(windows.Handle(h), m) }
func (winAPI) Mode(h uintptr) (uint32, error) {
	var m uint32
	err := windows.GetConsoleMode(windows.Handle(h), &m)
	return m, err
}

// Processes calls GetConsoleProcessList with room for two: the answer
// is the number attached, even when it is more than two.
func (winAPI) Processes() (int, error) {
	if err := procGetConsoleProcessList.Find(); err != nil {
		return 0, err
	}
	var pids [2]uint32
	n, _, err := procGetConsoleProcessList.Call(uintptr(unsafe.Pointer(&pids[0])), 2)
	if n == 0 {
		return 0, err
	}
	return int(n), nil
}

// Setup prepares the console of this process (see the package comment).
// Call Restore before the process exits.
func Setup() *State {
	var m uint32
	stdinConsole := windows.GetConsoleMode(windows.Handle(os.Stdin.Fd()), &m) == nil
	return setup(winAPI{}, []uintptr{os.Stdout.Fd(), os.Stderr.Fd()}, stdinConsole)
}
