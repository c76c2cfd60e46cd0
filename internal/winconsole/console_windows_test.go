package winconsole

import "testing"

// TestRealConsoleRestored runs Setup and Restore on this process's real
// console (under wine in scripts/test-windows.sh): the output code page is
// UTF-8 in between and the original one afterwards.
func TestRealConsoleRestored(t *testing.T) {
	before, err := winAPI{}.OutputCP()
	if err != nil || before == 0 {
		t.Skipf("no console attached to this test process (GetConsoleOutputCP: %d, %v)", before, err)
	}
	s := Setup()
	during, _ := winAPI{}.OutputCP()
	s.Restore()
	after, _ := winAPI{}.OutputCP()
	if during != utf8CodePage {
		t.Errorf("output code page after Setup: %d, want %d", during, utf8CodePage)
	}
	if after != before {
		t.Errorf("output code page after Restore: %d, want %d as before", after, before)
	}
	if n, err := (winAPI{}).Processes(); err != nil || n < 1 {
		t.Errorf("GetConsoleProcessList: %d, %v", n, err)
	}
}
