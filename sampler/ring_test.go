package sampler

import "testing"

func TestRingKeepsNewestInOrder(t *testing.T) {
	r := NewRing[int](3)
	if _, ok := r.Last(); ok || r.Len() != 0 {
		t.Fatal("new ring not empty")
	}
	for i := 1; i <= 5; i++ {
		r.Push(i)
	}
	if got := r.Slice(); len(got) != 3 || got[0] != 3 || got[1] != 4 || got[2] != 5 {
		t.Fatalf("Slice = %v, want [3 4 5]", got)
	}
	if v, _ := r.Last(); v != 5 || r.At(0) != 3 {
		t.Errorf("Last %d At(0) %d", v, r.At(0))
	}
	if r.Len() != 3 || r.Cap() != 3 {
		t.Errorf("Len %d Cap %d", r.Len(), r.Cap())
	}
}

func TestRingMemoryFlatOnceFull(t *testing.T) {
	const capacity = 3600
	r := NewRing[float64](capacity)
	for i := 0; i < capacity; i++ {
		r.Push(float64(i))
	}
	storage := cap(r.buf)
	allocs := testing.AllocsPerRun(10000, func() { r.Push(1) })
	if allocs != 0 {
		t.Errorf("Push on a full ring allocates %.1f times, want 0", allocs)
	}
	for i := 0; i < 5*capacity; i++ {
		r.Push(float64(i))
	}
	if cap(r.buf) != storage || r.Len() != capacity {
		t.Errorf("storage grew from %d to %d (len %d)", storage, cap(r.buf), r.Len())
	}
	if v, _ := r.Last(); v != float64(5*capacity-1) || r.At(0) != float64(4*capacity) {
		t.Errorf("oldest %v newest %v", r.At(0), v)
	}
}

func TestRingGrowsLazily(t *testing.T) {
	r := NewRing[float64](3600)
	r.Push(1)
	r.Push(2)
	if cap(r.buf) > 16 {
		t.Errorf("a ring holding 2 values has storage for %d: it must grow with use, not allocate its capacity up front", cap(r.buf))
	}
}

func TestRingResize(t *testing.T) {
	r := NewRing[int](4)
	for i := 1; i <= 6; i++ {
		r.Push(i) // holds 3 4 5 6, head in the middle
	}
	r.Resize(2)
	if got := r.Slice(); len(got) != 2 || got[0] != 5 || got[1] != 6 {
		t.Fatalf("after Resize(2): %v, want [5 6]", got)
	}
	r.Resize(5)
	r.Push(7)
	if got := r.Slice(); len(got) != 3 || got[2] != 7 || r.Cap() != 5 {
		t.Fatalf("after Resize(5)+Push: %v cap %d", got, r.Cap())
	}
	r.Reset()
	if r.Len() != 0 {
		t.Error("Reset left values")
	}
}

func TestRingAtOutOfRangePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("At(1) on a one-value ring did not panic")
		}
	}()
	r := NewRing[int](2)
	r.Push(1)
	r.At(1)
}

func BenchmarkRingPush(b *testing.B) {
	r := NewRing[float64](3600)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r.Push(float64(i))
	}
}
