package views

import (
	"strings"
	"testing"
)

// Printable must take out what reorders a line (bidirectional controls)
// as well as what drives the terminal (ESC and other control characters).
func TestPrintableRemovesControlsAndBidi(t *testing.T) {
	in := "VM\x1b]0;x\x07\x1b[2J\u202eEVIL\u2066\u2069\u200f\u2028\x00\rok é"
	got := Printable(in)
	for _, r := range got {
		if r < 0x20 || r == 0x7f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200f || r == 0x2028 {
			t.Fatalf("U+%04X left in %q", r, got)
		}
	}
	if !strings.HasSuffix(got, "ok é") {
		t.Errorf("printable text changed: %q", got)
	}
}
