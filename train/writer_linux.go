package train

import (
	"os"

	"golang.org/x/sys/unix"
)

// dropCache asks the kernel to drop a file range from the page cache
// (n 0: to the end of the file), so that the next read of it reaches the
// disk.
func dropCache(f *os.File, off, n int64) {
	unix.Fadvise(int(f.Fd()), off, n, unix.FADV_DONTNEED)
}
