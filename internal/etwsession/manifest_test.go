package etwsession

import (
	"slices"
	"testing"
)

// The keyword masks are typed from the Microsoft-Windows-Kernel-File
// manifest (no Windows here to ask): Close carries only FILEIO, RenamePath
// only RENAME_SETLINK_PATH, so asking for them by ID with other keywords
// gets nothing.
func TestUndeliveredKernelFileEvents(t *testing.T) {
	p := Provider{GUID: KernelFileGUID, Keywords: KernelFileKeywordFileName | KernelFileKeywordCreate | KernelFileKeywordWrite,
		IDs: []uint16{10, 12, 14, 16, 27}}
	if got := Undelivered(p); !slices.Equal(got, []uint16{14, 27}) {
		t.Errorf("Undelivered = %v, want [14 27] (Close needs FILEIO 0x20, RenamePath RENAME_SETLINK_PATH 0x800)", got)
	}
	p.Keywords |= KernelFileKeywordFileIO | KernelFileKeywordRenameSetLinkPath
	if got := Undelivered(p); got != nil {
		t.Errorf("with FILEIO and RENAME_SETLINK_PATH: Undelivered = %v, want none", got)
	}
	// MatchAnyKeyword 0: every event of a manifest provider (EnableTraceEx2).
	if got := Undelivered(Provider{GUID: KernelFileGUID, IDs: []uint16{14, 27}}); got != nil {
		t.Errorf("keywords 0: Undelivered = %v, want none", got)
	}
}

// Two subscribers of one provider: the one enable call must deliver what
// each asked for. Keywords 0 means every event (EnableTraceEx2, manifest
// providers), so OR-ing it with another subscriber's bits would narrow it.
func TestMergeEnableKeepsEverySubscribersEvents(t *testing.T) {
	for _, c := range []struct {
		name   string
		subs   []Provider
		wantKW uint64
		wantID []uint16
	}{
		{"union", []Provider{{Keywords: 0x10, IDs: []uint16{12, 10}}, {Keywords: 0x80, IDs: []uint16{12, 14}}}, 0x90, []uint16{10, 12, 14}},
		{"all keywords wins", []Provider{{Keywords: 0, IDs: []uint16{10, 11}}, {Keywords: 0x80, IDs: []uint16{12}}}, 0, []uint16{10, 11, 12}},
		{"all IDs wins", []Provider{{Keywords: 0x10}, {Keywords: 0x80, IDs: []uint16{12}}}, 0x90, nil},
	} {
		kw, ids := MergeEnable(c.subs)
		if kw != c.wantKW || !slices.Equal(ids, c.wantID) {
			t.Errorf("%s: MergeEnable = %#x %v, want %#x %v", c.name, kw, ids, c.wantKW, c.wantID)
		}
	}
}
