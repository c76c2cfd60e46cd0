package sampler

import (
	"math"
	"testing"
	"time"
)

func TestRateWindowAveragesOverTheWholeWindow(t *testing.T) {
	w := NewRateWindow[string](time.Minute)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// 60 one-second intervals: "a" writes 6000 B in the first 10 only,
	// "b" reads 100 B in each.
	for i := 1; i <= 60; i++ {
		b := map[string][2]float64{"b": {0, 100}}
		if i <= 10 {
			b["a"] = [2]float64{600, 0}
		}
		w.Add(t0.Add(time.Duration(i)*time.Second), time.Second, b)
	}
	if wr, _ := w.Rates("a"); math.Abs(wr-100) > 1e-9 {
		t.Errorf("a = %v B/s, want 6000 B over 60 s = 100", wr)
	}
	if _, rd := w.Rates("b"); math.Abs(rd-100) > 1e-9 {
		t.Errorf("b = %v B/s read, want 100", rd)
	}
	// Ten more idle seconds push a's writes out of the window.
	for i := 61; i <= 70; i++ {
		w.Add(t0.Add(time.Duration(i)*time.Second), time.Second, nil)
	}
	if wr, _ := w.Rates("a"); wr != 0 {
		t.Errorf("a = %v B/s after its writes left the window, want 0", wr)
	}
	if w.Span() != time.Minute {
		t.Errorf("span = %v, want 1m", w.Span())
	}
	if _, rd := w.Rates("b"); math.Abs(rd-5000/60.0) > 1e-9 {
		t.Errorf("b = %v B/s, want 5000 B (reads in 50 of the last 60 s) / 60 s", rd)
	}
}
