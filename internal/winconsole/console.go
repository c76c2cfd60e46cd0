// Package winconsole prepares the Windows console for hvrdoctor and puts
// it back as it was on exit: the UTF-8 code page (the screens draw box and
// block characters, and paths may hold any letter) and virtual-terminal
// processing (colours and cursor movement as ANSI sequences). It also
// tells whether the console was made for hvrdoctor alone, as when the
// .exe is double-clicked in Explorer: the window would close the moment
// the program ends, so the caller pauses with a message first.
//
// On other systems Setup changes nothing.
package winconsole

import (
	"fmt"
	"io"
)

// utf8CodePage is CP_UTF8.
const utf8CodePage = 65001

// enableVTProcessing is ENABLE_VIRTUAL_TERMINAL_PROCESSING and
// enableProcessedOutput ENABLE_PROCESSED_OUTPUT, console output modes.
const (
	enableProcessedOutput = 0x1
	enableVTProcessing    = 0x4
)

// api is the console calls Setup makes, so that its logic is tested
// without a console (a fake) as well as on one (under wine).
type api interface {
	OutputCP() (uint32, error)
	SetOutputCP(uint32) error
	InputCP() (uint32, error)
	SetInputCP(uint32) error
	// Mode and SetMode act on an output handle (stdout or stderr); Mode
	// fails when the handle is not a console (a pipe or a file).
	Mode(h uintptr) (uint32, error)
	SetMode(h uintptr, mode uint32) error
	// Processes is how many processes share the console (1: only us).
	Processes() (int, error)
}

// State is what Setup changed; Restore puts it back.
type State struct {
	api             api
	outCP, inCP     uint32
	setOut, setIn   bool
	modes           map[uintptr]uint32
	own             bool
	stdinConsole    bool
	restoredAlready bool
}

// setup switches the code pages to UTF-8 and turns on VT processing on
// each output handle that is a console, remembering the old values.
// Failures leave that setting as it was: output still works, only
// characters or colours may show wrong, as before.
func setup(a api, outputs []uintptr, stdinConsole bool) *State {
	s := &State{api: a, modes: map[uintptr]uint32{}, stdinConsole: stdinConsole}
	if cp, err := a.OutputCP(); err == nil && cp != 0 {
		if cp == utf8CodePage || a.SetOutputCP(utf8CodePage) == nil {
			s.outCP, s.setOut = cp, cp != utf8CodePage
		}
	}
	if cp, err := a.InputCP(); err == nil && cp != 0 {
		if cp == utf8CodePage || a.SetInputCP(utf8CodePage) == nil {
			s.inCP, s.setIn = cp, cp != utf8CodePage
		}
	}
	for _, h := range outputs {
		if _, seen := s.modes[h]; seen {
			continue
		}
		m, err := a.Mode(h)
		if err != nil {
			continue // not a console
		}
		want := m | enableVTProcessing | enableProcessedOutput
		if want != m && a.SetMode(h, want) == nil {
			s.modes[h] = m
		}
	}
	if n, err := a.Processes(); err == nil && n == 1 {
		s.own = true
	}
	return s
}

// Restore puts back the code pages and console modes Setup changed. It
// is safe to call more than once and on a nil State.
func (s *State) Restore() {
	if s == nil || s.restoredAlready {
		return
	}
	s.restoredAlready = true
	for h, m := range s.modes {
		s.api.SetMode(h, m)
	}
	if s.setOut {
		s.api.SetOutputCP(s.outCP)
	}
	if s.setIn {
		s.api.SetInputCP(s.inCP)
	}
}

// OwnConsole reports whether the console exists for this process alone
// (started by double-click, not from cmd.exe or PowerShell), so the
// window closes when the program ends.
func (s *State) OwnConsole() bool { return s != nil && s.own }

// PauseMessage is what PauseIfOwnConsole prints before waiting.
const PauseMessage = "Press Enter to close this window."

// PauseIfOwnConsole, when the console is the program's own and its input
// is that console, says how the program ended and waits for Enter (or the
// end of input) on in, so that a double-clicked hvrdoctor.exe does not
// vanish with its last message. Otherwise it returns at once.
func (s *State) PauseIfOwnConsole(in io.Reader, out io.Writer, code int) {
	if !s.OwnConsole() || !s.stdinConsole {
		return
	}
	if code == 0 {
		fmt.Fprintf(out, "\nhvrdoctor has finished. %s\n", PauseMessage)
	} else {
		fmt.Fprintf(out, "\nhvrdoctor ended with exit status %d (see the message above). %s\n", code, PauseMessage)
	}
	// One byte at a time: nothing after the line is consumed.
	var b [1]byte
	for {
		n, err := in.Read(b[:])
		if err != nil || (n == 1 && b[0] == '\n') {
			return
		}
	}
}
