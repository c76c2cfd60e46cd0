package fileio

import (
	"context"
	"sync"
	"time"
)

// LoadingBackend is Info().Backend of a source from OpenAsync while the
// backend is still being opened.
const LoadingBackend = "loading"

// asyncSource opens the backend in the background, so a caller can show
// its first screen without waiting for it (the eBPF backend's programs
// take a few hundred milliseconds to verify). Until the backend is open,
// Read returns empty readings with no elapsed time (baselines); the first
// reading after that is a baseline too, so every interval it reports is
// whole.
type asyncSource struct {
	done chan struct{}
	now  func() time.Time

	mu       sync.Mutex
	src      Source
	err      error
	baseline bool // the next Read of src only starts its interval
	closed   bool
}

// OpenAsync is Open in the background: it returns at once with a Source
// whose Info says LoadingBackend until the backend is open, and whose Read
// fails with Open's error if it could not be opened.
func OpenAsync(opts Options) Source {
	a := &asyncSource{done: make(chan struct{}), now: opts.clock().Now, baseline: true}
	go func() {
		defer close(a.done)
		src, err := Open(opts)
		a.mu.Lock()
		defer a.mu.Unlock()
		if a.closed {
			if src != nil {
				src.Close()
			}
			return
		}
		a.src, a.err = src, err
	}()
	return a
}

func (a *asyncSource) Info() Info {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case a.src != nil:
		return a.src.Info()
	case a.err != nil:
		return Info{Reason: a.err.Error()}
	}
	return Info{Backend: LoadingBackend, Counts: "nothing yet: the per-file backend is loading",
		Limits: "everything until the per-file backend has loaded", Reason: "loading"}
}

func (a *asyncSource) Read(ctx context.Context) (Interval, error) {
	a.mu.Lock()
	src, err := a.src, a.err
	first := a.baseline && src != nil
	if first {
		a.baseline = false
	}
	a.mu.Unlock()
	if err != nil {
		return Interval{}, err
	}
	if src == nil {
		return Interval{Time: a.now()}, nil
	}
	iv, err := src.Read(ctx)
	if first && err == nil {
		return Interval{Time: iv.Time}, nil
	}
	return iv, err
}

func (a *asyncSource) Close() error {
	a.mu.Lock()
	a.closed = true
	src := a.src
	a.src = nil
	a.mu.Unlock()
	if src != nil {
		return src.Close()
	}
	return nil
}
