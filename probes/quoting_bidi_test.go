package probes

import (
	"strings"
	"testing"
)

// A bidirectional override in a value (a VM name from saved files) made a
// copied fix command read in another order than it runs: it stayed raw
// inside the single quotes. It must be a [char] code like ESC.
func TestPSQuoteWritesBidiControlsAsCodes(t *testing.T) {
	for _, r := range []rune{'\u202e', '\u202a', '\u2066', '\u2069', '\u200f', '\u061c', '\u2028', '\x1b', '\x00'} {
		in := "VM" + string(r) + "'; Remove-Item C:\\ #"
		got := PSQuote(in)
		if strings.ContainsRune(got, r) {
			t.Errorf("U+%04X stays raw in %q", r, got)
		}
		if !strings.HasPrefix(got, "('VM'+[char]") || !strings.Contains(got, "'''; Remove-Item C:\\ #'") {
			t.Errorf("U+%04X: %q is not one quoted argument with a [char] code", r, got)
		}
	}
	if got := PSQuote("héllo wörld"); got != "'héllo wörld'" {
		t.Errorf("printable text changed: %q", got)
	}
}
