package lab

import (
	"fmt"
	"os"
	"time"
)

// workDir is the directory a component keeps its files in: the one the
// caller named, or a new temporary one that the component owns and removes
// when it stops.
type workDir struct {
	path  string
	owned bool
}

// newWorkDir returns the caller's directory given, or a new temporary
// directory named after prefix when given is empty.
func newWorkDir(name, given, prefix string) (workDir, error) {
	if given != "" {
		return workDir{path: given}, nil
	}
	d, err := os.MkdirTemp("", prefix)
	if err != nil {
		return workDir{}, fmt.Errorf("lab %s: temp dir: %w", name, err)
	}
	return workDir{path: d, owned: true}, nil
}

// remove deletes the directory when the component owns it.
func (w workDir) remove() {
	if w.owned {
		os.RemoveAll(w.path)
	}
}

// ownedPath is the path for startDaemon to remove at stop: the directory
// when the component owns it, "" when it is the caller's.
func (w workDir) ownedPath() string {
	if w.owned {
		return w.path
	}
	return ""
}

// orDefault returns d, or def when d is not positive (an option left zero).
func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
