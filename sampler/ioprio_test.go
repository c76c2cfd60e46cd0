package sampler

import "testing"

func TestDecodeIOPriority(t *testing.T) {
	for _, c := range []struct {
		v, nice int
		want    string
	}{
		{2<<13 | 4, 0, "best-effort 4"},
		{1 << 13, 0, "realtime 0"},
		{3 << 13, 0, "idle"},
		{0, 0, "none (best-effort 4 from nice 0)"},
		{0, 19, "none (best-effort 7 from nice 19)"},
		{0, -20, "none (best-effort 0 from nice -20)"},
	} {
		if got := DecodeLinuxIOPriority(c.v, c.nice).String(); got != c.want {
			t.Errorf("ioprio %#x nice %d = %q, want %q", c.v, c.nice, got, c.want)
		}
	}
	// IO_PRIORITY_HINT (wdm.h): IoPriorityVeryLow = 0 ... IoPriorityCritical = 4.
	for hint, want := range []string{"very low", "low", "normal", "high", "critical", "hint 5"} {
		if got := DecodeWindowsIOPriority(uint32(hint)).String(); got != want {
			t.Errorf("hint %d = %q, want %q", hint, got, want)
		}
	}
}

// Short fits the Files tab's 7-cell column and names the class as iotop
// does; a level derived from nice is marked "~".
func TestIOPriorityShort(t *testing.T) {
	for _, c := range []struct {
		p    IOPriority
		want string
	}{
		{DecodeLinuxIOPriority(2<<13|4, 0), "be/4"},
		{DecodeLinuxIOPriority(1<<13, 0), "rt/0"},
		{DecodeLinuxIOPriority(3<<13, 0), "idle"},
		{DecodeLinuxIOPriority(0, 19), "~be/7"},
		{DecodeWindowsIOPriority(0), "v.low"},
		{DecodeWindowsIOPriority(2), "normal"},
		{DecodeWindowsIOPriority(4), "crit"},
		{DecodeWindowsIOPriority(123456), "hint 12"},
	} {
		got := c.p.Short()
		if got != c.want || len(got) > 7 {
			t.Errorf("%s: Short = %q, want %q (at most 7 cells)", c.p, got, c.want)
		}
	}
}
