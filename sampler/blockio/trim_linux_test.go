//go:build linux && (amd64 || arm64)

package blockio

import "testing"

// Bios that never reach a request would fill the owners table; the
// periodic trim empties a table past half full, and leaves a smaller one.
func TestTrimEmptiesAFullTable(t *testing.T) {
	src := openTest(t)
	s := src.(*ebpfSource)
	m := s.objs.Owners
	// Fake keys below any kernel address (the real keys are bio
	// addresses), so the kernel's own entries are told apart.
	fake := uint64(1) << 20
	put := func(n int) {
		for i := 0; i < n; i++ {
			if err := m.Put(fake+uint64(i), bpfOwner{Kind: ownerKernel}); err != nil {
				t.Fatal(err)
			}
		}
	}
	count := func() int {
		seen := make(map[uint64]bool)
		var k uint64
		var v bpfOwner
		for it := m.Iterate(); it.Next(&k, &v); {
			if k >= fake && k < 1<<40 {
				seen[k] = true
			}
		}
		return len(seen)
	}
	put(100)
	trim(m, int(m.MaxEntries()/2))
	if n := count(); n != 100 {
		t.Errorf("a table of 100 was trimmed to %d", n)
	}
	put(int(m.MaxEntries()/2) + 10)
	trim(m, int(m.MaxEntries()/2))
	if n := count(); n != 0 {
		t.Errorf("a table past half full kept %d entries after the trim", n)
	}
}
