package fileio

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

// Fifteen test runs' temporary files differ only in a directory that
// ShortenPath leaves out: each row used to read `/tmp/…/001/in.csv`.
// ShortenPaths keeps the differing directory, so that every distinct path
// stays distinct, at every width where that can fit, and every result
// fits its width.
func TestShortenPathsKeepsDistinctFilesDistinct(t *testing.T) {
	var paths []string
	for i := 0; i < 15; i++ {
		paths = append(paths, fmt.Sprintf("/tmp/TestRecordWritesPerFileAcrossRuns%010d/001/in.csv", 3954821000+i*7919))
	}
	paths = append(paths, paths[0]) // the same file for a second process stays the same
	paths = append(paths, `C:\Users\alice\AppData\Local\Temp\a\cache.db`, `C:\Users\bob\AppData\Local\Temp\a\cache.db`)
	for w := 22; w <= 120; w++ {
		got := ShortenPaths(paths, w)
		seen := map[string]string{}
		for i, s := range got {
			if n := runewidth.StringWidth(s); n > w {
				t.Fatalf("w=%d: %q is %d cells", w, s, n)
			}
			if !strings.HasSuffix(s, "in.csv") && !strings.HasSuffix(s, "cache.db") {
				t.Fatalf("w=%d: the file name must stay: %q", w, s)
			}
			if prev, ok := seen[s]; ok && prev != paths[i] {
				t.Fatalf("w=%d: %q and %q both shown as %q", w, prev, paths[i], s)
			}
			seen[s] = paths[i]
		}
		if got[0] != got[15] {
			t.Fatalf("w=%d: the same path shown two ways: %q, %q", w, got[0], got[15])
		}
	}
	// Where the whole path fits it is shown whole, as ShortenPath does.
	if got := ShortenPaths(paths[:2], 80); got[0] != paths[0] || got[1] != paths[1] {
		t.Errorf("whole paths: %q", got)
	}
	// A single shortened path is ShortenPath's.
	if got := ShortenPaths(paths[:1], 24); got[0] != ShortenPath(paths[0], 24) {
		t.Errorf("one path: %q", got)
	}
	// Before: ShortenPath alone makes them all the same.
	if ShortenPath(paths[1], 40) != ShortenPath(paths[2], 40) {
		t.Log("ShortenPath alone no longer collides on this set")
	}
}
