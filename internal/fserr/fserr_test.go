package fserr

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestNeutral(t *testing.T) {
	_, err := os.Open(filepath.Join(os.TempDir(), "no-such-dir-fserr", "x"))
	if got := Neutral(err); got == nil || got.Error() != "open "+filepath.Join(os.TempDir(), "no-such-dir-fserr", "x")+": no such file or directory" {
		t.Errorf("missing file: %v", got)
	}
	if !errors.Is(Reason(err), ErrNoSuchFile) {
		t.Errorf("Reason: %v", Reason(err))
	}
	other := errors.New("disk on fire")
	if Neutral(other) != other || Reason(nil) != nil {
		t.Error("other errors must pass unchanged")
	}
}
