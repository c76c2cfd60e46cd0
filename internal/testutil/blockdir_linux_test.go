package testutil

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

func TestBlockBackedDirIsNotInMemory(t *testing.T) {
	dir := BlockBackedDir(t)
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	if st.Type == unix.TMPFS_MAGIC || st.Type == unix.RAMFS_MAGIC {
		t.Errorf("%s is on tmpfs/ramfs", dir)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Errorf("%s: %v", dir, err)
	}
}
