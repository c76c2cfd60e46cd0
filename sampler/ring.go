package sampler

// Ring is a bounded FIFO of the most recent values: once it holds Cap
// values, each Push drops the oldest. Its backing storage grows with use up
// to Cap and never beyond, so a series that only ever saw a few points stays
// small and a full one stays flat. The zero Ring has capacity 0 and ignores
// pushes; use NewRing. A Ring is not safe for concurrent use.
type Ring[T any] struct {
	buf   []T // len(buf) grows up to limit, then stays
	head  int // index of the oldest value once buf is full
	limit int
}

// NewRing returns an empty ring that keeps at most capacity values.
// A capacity below 1 is treated as 1.
func NewRing[T any](capacity int) *Ring[T] {
	if capacity < 1 {
		capacity = 1
	}
	return &Ring[T]{limit: capacity}
}

// Push appends v, dropping the oldest value when the ring is full.
func (r *Ring[T]) Push(v T) {
	if r.limit == 0 {
		return
	}
	if len(r.buf) < r.limit {
		r.buf = append(r.buf, v)
		return
	}
	r.buf[r.head] = v
	r.head++
	if r.head == r.limit {
		r.head = 0
	}
}

// Len is the number of values held.
func (r *Ring[T]) Len() int { return len(r.buf) }

// Cap is the most values the ring keeps.
func (r *Ring[T]) Cap() int { return r.limit }

// At returns the i-th value, 0 being the oldest. It panics when i is out of
// range, like a slice index.
func (r *Ring[T]) At(i int) T {
	if i < 0 || i >= len(r.buf) {
		panic("sampler: Ring index out of range")
	}
	j := r.head + i
	if j >= len(r.buf) {
		j -= len(r.buf)
	}
	return r.buf[j]
}

// Last returns the newest value and true, or the zero value and false when
// the ring is empty.
func (r *Ring[T]) Last() (T, bool) {
	var zero T
	if len(r.buf) == 0 {
		return zero, false
	}
	return r.At(len(r.buf) - 1), true
}

// AppendTo appends the values, oldest first, to dst and returns it.
func (r *Ring[T]) AppendTo(dst []T) []T {
	dst = append(dst, r.buf[r.head:]...)
	return append(dst, r.buf[:r.head]...)
}

// Slice returns a new slice of the values, oldest first.
func (r *Ring[T]) Slice() []T {
	return r.AppendTo(make([]T, 0, len(r.buf)))
}

// Resize changes the capacity, keeping the newest values that fit.
func (r *Ring[T]) Resize(capacity int) {
	if capacity < 1 {
		capacity = 1
	}
	vals := r.Slice()
	if len(vals) > capacity {
		vals = vals[len(vals)-capacity:]
	}
	r.buf = vals
	r.head = 0
	r.limit = capacity
}

// Reset empties the ring and releases its storage.
func (r *Ring[T]) Reset() {
	r.buf = nil
	r.head = 0
}

// SetLast replaces the newest value; it does nothing on an empty ring.
func (r *Ring[T]) SetLast(v T) {
	if n := len(r.buf); n > 0 {
		j := r.head + n - 1
		if j >= n {
			j -= n
		}
		r.buf[j] = v
	}
}
