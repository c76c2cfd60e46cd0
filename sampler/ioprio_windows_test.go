package sampler

import (
	"os"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// TestReadIOPriorityOfThisProcess: a process started normally has the
// normal I/O priority hint. Wine may not implement ProcessIoPriority: an
// error naming the call is accepted there only.
func TestReadIOPriorityOfThisProcess(t *testing.T) {
	p, err := ReadIOPriority(int32(os.Getpid()))
	if err != nil {
		if testutil.UnderWine() {
			t.Logf("under wine: %v", err)
			return
		}
		t.Fatal(err)
	}
	if p.String() != "normal" || p.Source != "NtQueryInformationProcess" {
		t.Errorf("this process's I/O priority = %q from %s, want normal", p, p.Source)
	}
}
