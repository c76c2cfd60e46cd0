package winconsole

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// fakeConsole records the console's settings as Setup and Restore leave
// them. Handles in notConsole fail Mode, as a pipe does.
type fakeConsole struct {
	outCP, inCP uint32
	modes       map[uintptr]uint32
	procs       int
	failSetCP   bool
}

func (f *fakeConsole) OutputCP() (uint32, error) { return f.outCP, nil }
func (f *fakeConsole) InputCP() (uint32, error)  { return f.inCP, nil }
func (f *fakeConsole) SetOutputCP(cp uint32) error {
	if f.failSetCP {
		return errors.New("refused")
	}
	f.outCP = cp
	return nil
}
func (f *fakeConsole) SetInputCP(cp uint32) error {
	if f.failSetCP {
		return errors.New("refused")
	}
	f.inCP = cp
	return nil
}
func (f *fakeConsole) Mode(h uintptr) (uint32, error) {
	m, ok := f.modes[h]
	if !ok {
		return 0, errors.New("not a console")
	}
	return m, nil
}
func (f *fakeConsole) SetMode(h uintptr, m uint32) error { f.modes[h] = m; return nil }
func (f *fakeConsole) Processes() (int, error)           { return f.procs, nil }

// TestSetupSwitchesToUTF8AndVTThenRestores: an OEM console (code page
// 437, no VT) is UTF-8 with VT processing while hvrdoctor runs and as it
// was afterwards; a redirected handle is left alone.
func TestSetupSwitchesToUTF8AndVTThenRestores(t *testing.T) {
	f := &fakeConsole{outCP: 437, inCP: 850, modes: map[uintptr]uint32{1: 0x3}, procs: 2}
	s := setup(f, []uintptr{1, 2}, true)
	if f.outCP != utf8CodePage || f.inCP != utf8CodePage {
		t.Errorf("code pages during the run: out %d, in %d, want %d", f.outCP, f.inCP, utf8CodePage)
	}
	if f.modes[1] != 0x3|enableVTProcessing {
		t.Errorf("stdout mode during the run: %#x, want VT processing on", f.modes[1])
	}
	if _, touched := f.modes[2]; touched {
		t.Error("a redirected handle got a console mode")
	}
	s.Restore()
	s.Restore() // twice is harmless
	if f.outCP != 437 || f.inCP != 850 || f.modes[1] != 0x3 {
		t.Errorf("after Restore: out %d, in %d, mode %#x; want 437, 850, 0x3", f.outCP, f.inCP, f.modes[1])
	}
	if s.OwnConsole() {
		t.Error("a console shared with cmd.exe taken for our own")
	}
}

// TestSetupLeavesWhatItCannotChange: refused code-page changes are not
// "restored" to something else later.
func TestSetupLeavesWhatItCannotChange(t *testing.T) {
	f := &fakeConsole{outCP: 437, inCP: 437, modes: map[uintptr]uint32{}, procs: 1, failSetCP: true}
	s := setup(f, nil, true)
	f.failSetCP = false
	f.outCP = 1252 // changed by someone else meanwhile
	s.Restore()
	if f.outCP != 1252 {
		t.Errorf("Restore set a code page Setup never changed: %d", f.outCP)
	}
}

// TestPauseOnlyInOwnConsole: double-clicked (the only process on its
// console, input from it) the program says how it ended and waits for
// Enter; started from a shell, or with input redirected, it never waits.
func TestPauseOnlyInOwnConsole(t *testing.T) {
	for _, c := range []struct {
		procs        int
		stdinConsole bool
		code         int
		wantPause    bool
	}{
		{1, true, 0, true},
		{1, true, 2, true},
		{2, true, 0, false},
		{1, false, 0, false},
	} {
		f := &fakeConsole{modes: map[uintptr]uint32{}, procs: c.procs}
		s := setup(f, nil, c.stdinConsole)
		var out bytes.Buffer
		in := strings.NewReader("\nleft over")
		s.PauseIfOwnConsole(in, &out, c.code)
		paused := strings.Contains(out.String(), PauseMessage)
		if paused != c.wantPause {
			t.Errorf("procs %d, stdin console %v: paused %v, want %v (%q)", c.procs, c.stdinConsole, paused, c.wantPause, out.String())
		}
		if c.wantPause && c.code != 0 && !strings.Contains(out.String(), "exit status 2") {
			t.Errorf("the pause message does not say the exit status: %q", out.String())
		}
		if c.wantPause && in.Len() != len("left over") {
			t.Errorf("the pause read %d bytes past the first line", len("\nleft over")-in.Len())
		}
	}
	var nilState *State
	nilState.PauseIfOwnConsole(strings.NewReader(""), &bytes.Buffer{}, 0) // never panics
	nilState.Restore()
}
