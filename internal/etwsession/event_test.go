package etwsession

import "testing"

// HighResResponseTime as golang-etw formats a manifest UInt64 (decimal or
// 0x hex); the values are typed, not captured from a machine.
func TestResponseNanos(t *testing.T) {
	for _, c := range []struct {
		props map[string]string
		freq  uint64
		want  uint64
		ok    bool
	}{
		{map[string]string{"HighResResponseTime": "1520"}, 10_000_000, 152_000, true},
		{map[string]string{"HighResResponseTime": "0x5F0"}, 10_000_000, 152_000, true},
		// a day of ticks at 3 GHz: ticks*1e9 would overflow uint64
		{map[string]string{"HighResResponseTime": "259200000000000"}, 3_000_000_000, 86_400 * 1e9, true},
		{map[string]string{"HighResResponseTime": "1520"}, 0, 0, false},
		{map[string]string{"TransferSize": "4096"}, 10_000_000, 0, false},
		{map[string]string{"HighResResponseTime": "n/a"}, 10_000_000, 0, false},
	} {
		got, ok := ResponseNanos(c.props, c.freq)
		if got != c.want || ok != c.ok {
			t.Errorf("ResponseNanos(%v, %d) = %d, %v; want %d, %v", c.props, c.freq, got, ok, c.want, c.ok)
		}
	}
}
