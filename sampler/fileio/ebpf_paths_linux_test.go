//go:build linux && (amd64 || arm64)

package fileio

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// Every way of writing a file that the backend claims to see: a real
// writer process moves known bytes with each, and the file's row must have
// the writer's PID, the path, the bytes (±2%) and the way it came.
func TestEBPFCountsEveryWritePath(t *testing.T) {
	s := openEBPFForTest(t)
	exe := testExe(t)
	dir := worldDir(t)
	cases := []struct {
		mode, via string
		size      int
	}{
		{"pwritev2", "write", 3<<20 + 17},
		{"copy_file_range", "copy_file_range", 5<<20 + 3},
		{"sendfile", "sendfile", 4<<20 + 9},
		{"splice", "splice", 2<<20 + 5},
		{"uring-write", "io_uring", 2<<20 + 11},
		{"uring-writev", "io_uring", 1<<20 + 13},
		{"uring-write-fixed", "io_uring", 1<<20 + 1},
		{"mmap", ViaMmap, 4 << 20}, // whole pages: dirtied pages are counted
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			if strings.HasPrefix(c.mode, "uring") && !strings.Contains(s.Info().Counts, "io_uring") {
				requireIntegration(t, "io_uring not counted here: %s", s.Info().Limits)
			}
			if c.mode == "mmap" && !strings.Contains(s.Info().Counts, "mmap") {
				requireIntegration(t, "mmap writes not counted here: %s", s.Info().Limits)
			}
			path := filepath.Join(dir, c.mode+".dat")
			w := startWriter(t, exe, c.mode, path, c.size, nil)
			if _, err := s.Read(context.Background()); err != nil {
				t.Fatal(err)
			}
			w.run()
			iv, err := s.Read(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			f, ok := findFile(iv, w.pid(), path)
			if !ok {
				t.Fatalf("%s: no row for writer PID %d and %s; files: %v", c.mode, w.pid(), path, iv.Files)
			}
			if !within2(f.WriteBytes, c.size) {
				t.Errorf("%s: %d bytes written to %s, want %d ±2%%", c.mode, f.WriteBytes, path, c.size)
			}
			if !strings.Contains(f.Via, c.via) {
				t.Errorf("%s: Via = %q, want it to name %q", c.mode, f.Via, c.via)
			}
			if c.mode == "copy_file_range" || c.mode == "sendfile" {
				if src, ok := findFile(iv, w.pid(), path+".src"); !ok || !within2(src.ReadBytes, c.size) {
					t.Errorf("%s: read side %+v (found %v), want %d bytes read from %s.src", c.mode, src, ok, c.size, path)
				}
			}
		})
	}
}

// A real cp(1) of 64 MiB (GNU cp uses copy_file_range): the destination
// is attributed to cp's PID with the bytes, and nothing of it to the
// parent that ran cp.
func TestEBPFSeesCpCopy(t *testing.T) {
	cp, err := exec.LookPath("cp")
	if err != nil {
		requireIntegration(t, "cp(1) is needed: %v", err)
	}
	s := openEBPFForTest(t)
	dir := worldDir(t)
	const size = 64 << 20
	src, dst := filepath.Join(dir, "source.bin"), filepath.Join(dir, "copy.bin")
	if err := os.WriteFile(src, make([]byte, size), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Read(context.Background()); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(cp, src, dst)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cp: %v: %s", err, out)
	}
	pid := int32(cmd.ProcessState.Pid())
	iv, err := s.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f, ok := findFile(iv, pid, dst)
	if !ok || !within2(f.WriteBytes, size) {
		t.Fatalf("cp PID %d: %+v (found %v), want %d bytes written to %s ±2%%; files: %v", pid, f, ok, size, dst, iv.Files)
	}
	t.Logf("cp wrote %d bytes via %s", f.WriteBytes, f.Via)
	for _, a := range iv.Files {
		if a.Key.Path == dst && a.Key.Proc.PID != pid && a.WriteBytes > 0 {
			t.Errorf("%s also attributed to PID %d (%s): %d bytes", dst, a.Key.Proc.PID, a.Name, a.WriteBytes)
		}
	}
}

// When the per-file map is full, the (process, file) pairs that do not fit
// are counted as dropped and their bytes go to the process's "other
// files" row: the process's total stays exact.
func TestEBPFFullMapKeepsProcessTotals(t *testing.T) {
	countsLimit = 8
	defer func() { countsLimit = 0 }()
	s := openEBPFForTest(t)
	dir := worldDir(t)
	if _, err := s.Read(context.Background()); err != nil {
		t.Fatal(err)
	}
	const files, each = 40, 64 << 10
	// A name of its own (comm is the link's name), so other "head"
	// processes on the machine do not count.
	head, err := exec.LookPath("head")
	if err != nil {
		t.Fatal(err)
	}
	const name = "fullmaphead"
	if err := os.Symlink(head, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", "for i in $(seq 1 40); do "+dir+"/"+name+" -c 65536 /dev/zero > "+dir+"/f$i; done")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sh: %v: %s", err, out)
	}
	iv, err := s.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if iv.Dropped == 0 {
		t.Errorf("Dropped = 0 after %d files through an 8-entry map", files)
	}
	var perFile, other, proc uint64
	for _, f := range iv.Files {
		if f.Name != name {
			continue
		}
		if f.Key.Path == OtherFilesPath {
			other += f.WriteBytes
		} else if strings.HasPrefix(f.Key.Path, dir) {
			perFile += f.WriteBytes
		}
	}
	for _, p := range iv.Processes {
		if p.Name == name {
			proc += p.WriteBytes
		}
	}
	if perFile+other != files*each || proc != files*each || other == 0 {
		t.Errorf("head processes wrote %d bytes: %d in their files' rows, %d in %q rows, %d in their process totals; want all %d in the totals, the part that did not fit in the other-files rows",
			files*each, perFile, other, OtherFilesPath, proc, files*each)
	}
}

// Per-file rows are about files that can reach a disk: a read of /proc is
// left out (unless AllFiles), a file on tmpfs is kept but marked memory, a
// file on the disk is disk.
func TestEBPFRowsOnlyForFilesThatCanReachADisk(t *testing.T) {
	dir := testutil.BlockBackedDir(t)
	for _, all := range []bool{false, true} {
		t.Run(fmt.Sprintf("AllFiles=%v", all), func(t *testing.T) {
			src, err := Open(Options{Backend: BackendEBPF, AllFiles: all})
			if err != nil {
				requireIntegration(t, "eBPF backend unavailable: %v", err)
			}
			defer src.Close()
			ctx := context.Background()
			if _, err := src.Read(ctx); err != nil {
				t.Fatal(err)
			}
			shm := filepath.Join("/dev/shm", fmt.Sprintf("hvrdoctor-medium-%d", os.Getpid()))
			defer os.Remove(shm)
			disk := filepath.Join(dir, "medium.dat")
			sh := exec.Command("sh", "-c", "cat /proc/self/status > "+disk+"; head -c 5000 /dev/zero > "+shm)
			if out, err := sh.CombinedOutput(); err != nil {
				t.Fatalf("sh: %v: %s", err, out)
			}
			iv, err := src.Read(ctx)
			if err != nil {
				t.Fatal(err)
			}
			media := map[string]string{}
			procRows := 0
			for _, f := range iv.Files {
				if f.Name != "cat" && f.Name != "head" {
					continue
				}
				switch {
				case f.Key.Path == disk || f.Key.Path == shm:
					media[f.Key.Path] = f.Medium
				case strings.HasPrefix(f.Key.Path, "/proc/"):
					procRows++
					if f.Medium != MediumNone {
						t.Errorf("%s: Medium %q, want %q", f.Key.Path, f.Medium, MediumNone)
					}
				}
			}
			if media[disk] != MediumDisk || media[shm] != MediumMemory {
				t.Errorf("media %v, want %s on %s and %s on %s", media, MediumDisk, disk, MediumMemory, shm)
			}
			if all && procRows == 0 {
				t.Error("AllFiles: cat's read of /proc/self/status is missing")
			}
			if !all && procRows > 0 {
				t.Errorf("%d rows of /proc files by default, want none (their bytes never reach a disk)", procRows)
			}
		})
	}
}

// A temp file written and deleted within the interval is marked Deleted
// (its bytes may never reach the disk); a file that stays is not.
func TestEBPFMarksFilesDeletedAfterWriting(t *testing.T) {
	s := openEBPFForTest(t)
	dir := testutil.BlockBackedDir(t)
	if _, err := s.Read(context.Background()); err != nil {
		t.Fatal(err)
	}
	tmp, kept := filepath.Join(dir, "temp.dat"), filepath.Join(dir, "kept.dat")
	sh := exec.Command("sh", "-c", "head -c 1000000 /dev/zero > "+tmp+"; head -c 1000000 /dev/zero > "+kept+"; rm "+tmp)
	if out, err := sh.CombinedOutput(); err != nil {
		t.Fatalf("sh: %v: %s", err, out)
	}
	iv, err := s.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	seen := map[string]bool{}
	for _, f := range iv.Files {
		if f.Key.Path == tmp || f.Key.Path == kept {
			got[f.Key.Path], seen[f.Key.Path] = f.Deleted, true
		}
	}
	if !seen[tmp] || !seen[kept] || !got[tmp] || got[kept] {
		t.Errorf("Deleted: %v (rows seen %v), want %s deleted and %s not", got, seen, tmp, kept)
	}
}
