//go:build linux

package fileio

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// otherMoves are the writer modes beyond plain read/write calls (see
// writerMain): the other ways a process can put bytes into a file.
var otherMoves = map[string]func(fd, total int, buf []byte) error{
	"pwritev2":          movePwritev2,
	"rewrite":           moveRewrite,
	"copy_file_range":   func(fd, total int, _ []byte) error { return moveFromSource(fd, total, "copy_file_range") },
	"sendfile":          func(fd, total int, _ []byte) error { return moveFromSource(fd, total, "sendfile") },
	"splice":            moveSplice,
	"mmap":              moveMmap,
	"uring-write":       func(fd, total int, buf []byte) error { return moveUring(fd, total, buf, uringWrite) },
	"uring-writev":      func(fd, total int, buf []byte) error { return moveUring(fd, total, buf, uringWritev) },
	"uring-write-fixed": func(fd, total int, buf []byte) error { return moveUring(fd, total, buf, uringWriteFixed) },
}

func movePwritev2(fd, total int, buf []byte) error {
	var off int64
	for left := total; left > 0; {
		n := min(left, 4096)
		iov := [][]byte{buf[:min(n, 1000)], buf[min(n, 1000):min(n, 3000)], buf[min(n, 3000):n]}
		got, err := unix.Pwritev2(fd, iov, off, 0)
		if err != nil {
			return fmt.Errorf("pwritev2: %w", err)
		}
		if got != n {
			return fmt.Errorf("pwritev2: short write %d of %d", got, n)
		}
		off += int64(n)
		left -= n
	}
	return nil
}

// moveFromSource copies PATH.src (found through /proc/self/fd) into fd.
func moveFromSource(fd, total int, how string) error {
	dst, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
	if err != nil {
		return err
	}
	src, err := unix.Open(dst+".src", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(src)
	for left := total; left > 0; {
		n := min(left, 64<<10)
		var got int
		if how == "sendfile" {
			got, err = unix.Sendfile(fd, src, nil, n)
		} else {
			got, err = unix.CopyFileRange(src, nil, fd, nil, n, 0)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", how, err)
		}
		if got <= 0 {
			return fmt.Errorf("%s: copied %d", how, got)
		}
		left -= got
	}
	return nil
}

func moveSplice(fd, total int, buf []byte) error {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		return err
	}
	defer unix.Close(p[0])
	defer unix.Close(p[1])
	for left := total; left > 0; {
		n := min(left, len(buf))
		if _, err := unix.Write(p[1], buf[:n]); err != nil {
			return err
		}
		for moved := 0; moved < n; {
			got, err := unix.Splice(p[0], nil, fd, nil, n-moved, 0)
			if err != nil {
				return fmt.Errorf("splice: %w", err)
			}
			moved += int(got)
		}
		left -= n
	}
	return nil
}

func moveMmap(fd, total int, buf []byte) error {
	if err := unix.Ftruncate(fd, int64(total)); err != nil {
		return err
	}
	m, err := unix.Mmap(fd, 0, total, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return err
	}
	for off := 0; off < total; off += len(buf) {
		copy(m[off:], buf)
	}
	if err := unix.Msync(m, unix.MS_SYNC); err != nil {
		return fmt.Errorf("msync: %w", err)
	}
	return unix.Munmap(m)
}

// moveRewrite writes total bytes at offset 0 four times: 4 x total bytes
// pass through write calls, but the page cache is dirtied for total bytes
// only (storage-layer writes).
func moveRewrite(fd, total int, buf []byte) error {
	for round := 0; round < 4; round++ {
		for off := 0; off < total; off += len(buf) {
			n := min(len(buf), total-off)
			if _, err := unix.Pwrite(fd, buf[:n], int64(off)); err != nil {
				return fmt.Errorf("rewrite: %w", err)
			}
		}
	}
	return nil
}
