package exporter

import "testing"

func TestParseSize(t *testing.T) {
	for in, want := range map[string]float64{"500GiB": 500 << 30, "2 TB": 2e12, "127gb": 127e9, "1.5TiB": 1.5 * (1 << 40)} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "500", "GiB", "-5GB", "0GB", "5 parsecs", "1e400TB"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) accepted", in)
		}
	}
}
