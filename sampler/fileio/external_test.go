package fileio

import (
	"reflect"
	"slices"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// The interval's per-process sums are the engine's ExternalActivity
// already: ExternalActivity passes every field through and attaches the
// exits, to the same process or as a row of its own.
func TestExternalActivityCarriesEveryFieldAndTheExits(t *testing.T) {
	a := sampler.ProcKey{PID: 10, Start: 1}
	b := sampler.ProcKey{PID: 11, Start: 2}
	gone := sampler.ProcKey{PID: 12, Start: 3}
	iv := Interval{
		Processes: []sampler.ExternalActivity{
			{Key: a, Name: "dd", WriteBytes: 4096, ReadBytes: 1, WriteTotal: 8192, ReadTotal: 2, PPID: 9},
			{Key: b, Name: "cp", WriteBytes: 512, PPID: 9},
		},
		Exits: []ProcessExit{
			{Key: b, Name: "cp", PPID: 9, Counters: sampler.ExitCounters{OwnWrite: 512, Complete: true}},
			{Key: gone, Name: "rm", PPID: 9, Counters: sampler.ExitCounters{OwnWrite: 0, FullWrite: 7}},
		},
	}
	got := ExternalActivity(iv)
	if len(got) != 3 {
		t.Fatalf("got %d activities, want 3: %+v", len(got), got)
	}
	if want := iv.Processes[0]; !reflect.DeepEqual(got[0], want) {
		t.Errorf("a process without an exit: %+v, want %+v", got[0], want)
	}
	if got[1].Exit == nil || *got[1].Exit != iv.Exits[0].Counters || got[1].WriteBytes != 512 {
		t.Errorf("an exit of a process with file bytes goes on its row: %+v", got[1])
	}
	if got[2].Key != gone || got[2].Exit == nil || got[2].Exit.FullWrite != 7 || got[2].WriteBytes != 0 {
		t.Errorf("an exit without file bytes gets a row of its own: %+v", got[2])
	}
	if iv.Processes[1].Exit != nil {
		t.Errorf("ExternalActivity changed the interval: %+v", iv.Processes[1])
	}
}

// Files and directory groups are ordered by one comparator: bytes moved,
// then PID, then path.
func TestFilesAndDirectoriesShareTheOrder(t *testing.T) {
	p := func(pid int32) sampler.ProcKey { return sampler.ProcKey{PID: pid, Start: 1} }
	files := []FileActivity{
		{Key: FileKey{Proc: p(2), Path: "/b/x"}, WriteBytes: 10},
		{Key: FileKey{Proc: p(1), Path: "/c/x"}, WriteBytes: 5, ReadBytes: 5},
		{Key: FileKey{Proc: p(1), Path: "/a/x"}, ReadBytes: 10},
		{Key: FileKey{Proc: p(1), Path: "/d/x"}, WriteBytes: 30},
	}
	sortFiles(files)
	var order []string
	for _, f := range files {
		order = append(order, f.Key.Path)
	}
	if want := []string{"/d/x", "/a/x", "/c/x", "/b/x"}; !slices.Equal(order, want) {
		t.Errorf("files in order %v, want %v", order, want)
	}
	order = order[:0]
	for _, d := range GroupByDir(files, true) {
		order = append(order, d.Key.Path)
	}
	if want := []string{"/d", "/a", "/c", "/b"}; !slices.Equal(order, want) {
		t.Errorf("directories in order %v, want %v", order, want)
	}
}
