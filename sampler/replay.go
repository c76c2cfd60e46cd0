package sampler

import (
	"context"
	"io"
	"sync"
)

// replaySource returns recorded snapshots in order, then io.EOF.
type replaySource struct {
	mu    sync.Mutex
	snaps []Snapshot
	next  int
	info  SourceInfo
}

// NewReplaySource returns a Source that gives snaps in order and then
// io.EOF. Tests use it with hand-made counters; its Info says "replay".
func NewReplaySource(snaps []Snapshot) Source {
	return NewReplaySourceInfo(snaps, SourceInfo{Name: "replay", WriteLabel: "recorded counters", Privileged: true})
}

// NewReplaySourceInfo is NewReplaySource with the given Info, for replays of
// a source whose labels should be kept.
func NewReplaySourceInfo(snaps []Snapshot, info SourceInfo) Source {
	return &replaySource{snaps: snaps, info: info}
}

func (r *replaySource) Snapshot(ctx context.Context) (Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return Snapshot{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.next >= len(r.snaps) {
		return Snapshot{}, io.EOF
	}
	s := r.snaps[r.next]
	r.next++
	return s, nil
}

func (r *replaySource) Info() SourceInfo { return r.info }
