package sampler

import "testing"

// A name or path cell never starts like a spreadsheet formula, and reads
// back as it was written, also when the name itself starts with a quote.
func TestGuardCellRoundTrip(t *testing.T) {
	for in, want := range map[string]string{
		"sqlservr":           "sqlservr",
		"=cmd|' /C calc'!A0": "'=cmd|' /C calc'!A0",
		"+SUM(1)":            "'+SUM(1)",
		"-2+3":               "'-2+3",
		"@SUM(A1)":           "'@SUM(A1)",
		"'quoted":            "''quoted",
		"'=x":                "''=x",
		"/var/tmp/=x":        "/var/tmp/=x",
		`C:\=x`:              `C:\=x`,
		"":                   "",
	} {
		got := GuardCell(in)
		if got != want {
			t.Errorf("GuardCell(%q) = %q, want %q", in, got, want)
		}
		if back := UnguardCell(got); back != in {
			t.Errorf("UnguardCell(%q) = %q, want %q", got, back, in)
		}
		if back := string(UnguardCellBytes([]byte(got))); back != in {
			t.Errorf("UnguardCellBytes(%q) = %q, want %q", got, back, in)
		}
	}
	// A recording from before the rule: a quote before a letter stays.
	if got := UnguardCell("'abc"); got != "'abc" {
		t.Errorf("UnguardCell('abc) = %q", got)
	}
}
