package testutil

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// BlockBackedDir returns a directory on a file system backed by a block
// device, so that writes there reach write_bytes and the disk: the test's
// temp dir, or else a new directory under /var/tmp removed by the test's
// cleanup. When neither is (both tmpfs), it skips the test, or fails it
// under HVRDOCTOR_REQUIRE_INTEGRATION=1.
func BlockBackedDir(t testing.TB) string {
	t.Helper()
	for _, d := range []string{t.TempDir(), "/var/tmp"} {
		var st unix.Statfs_t
		if err := unix.Statfs(d, &st); err != nil {
			continue
		}
		switch st.Type {
		case unix.TMPFS_MAGIC, unix.RAMFS_MAGIC:
			continue
		}
		if d == "/var/tmp" {
			sub, err := os.MkdirTemp(d, "hvrdoctor-test-")
			if err != nil {
				continue
			}
			t.Cleanup(func() { os.RemoveAll(sub) })
			return sub
		}
		return d
	}
	SkipOrFail(t, "no block-backed directory (temp dir and /var/tmp are tmpfs)")
	return ""
}
