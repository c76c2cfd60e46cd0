package blockio

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// Helpers the workload tests run as child processes (so their PIDs are
// known and each is a process of its own).
var helpers = map[string]testutil.HelperFunc{
	// "pwrite-fdatasync path n size [hold]": n x pwrite of size bytes,
	// each followed by fdatasync, cycling through a file of 16 MiB; with
	// hold it then prints "done" and waits for its stdin to close.
	"pwrite-fdatasync": func(args []string) int {
		n, _ := strconv.Atoi(args[1])
		size, _ := strconv.Atoi(args[2])
		f, err := os.OpenFile(args[0], os.O_WRONLY, 0)
		if err != nil {
			return 1
		}
		buf := make([]byte, size)
		for i := range buf {
			buf[i] = byte(i)
		}
		span := int64(16 << 20)
		for i := 0; i < n; i++ {
			if _, err := f.WriteAt(buf, (int64(i)*int64(size))%span); err != nil {
				return 1
			}
			if err := fdatasync(f); err != nil {
				return 1
			}
		}
		if len(args) > 3 && args[3] == "hold" {
			fmt.Println("done")
			io.Copy(io.Discard, os.Stdin)
		}
		return 0
	},
	// "smallfiles dir prefix n": n files of 4 KiB, buffered, no sync.
	"smallfiles": func(args []string) int {
		n, _ := strconv.Atoi(args[2])
		buf := make([]byte, 4096)
		for i := range buf {
			buf[i] = byte(i * 3)
		}
		for i := 0; i < n; i++ {
			if err := os.WriteFile(fmt.Sprintf("%s/%s%d", args[0], args[1], i), buf, 0o644); err != nil {
				return 1
			}
		}
		return 0
	},
	// "dirty path offset size": buffered writes of size bytes at offset,
	// no sync (background writeback writes them out).
	"dirty": func(args []string) int {
		off, _ := strconv.ParseInt(args[1], 10, 64)
		size, _ := strconv.ParseInt(args[2], 10, 64)
		f, err := os.OpenFile(args[0], os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			return 1
		}
		buf := make([]byte, 1<<20)
		for i := range buf {
			buf[i] = byte(i * 7)
		}
		for done := int64(0); done < size; done += int64(len(buf)) {
			if _, err := f.WriteAt(buf[:min(int64(len(buf)), size-done)], off+done); err != nil {
				return 1
			}
		}
		return 0
	},
}
