//go:build linux

package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// TestRecordExitsOneWhenFileStatsCannotBeWritten: issue 13 saw `record`
// exit 0 after FileStats hit "no space left on device". --out is a 64 KiB
// tmpfs and this test writes many long-named files, so FileStats (rows per
// file) fills it first while HVRStats' short rows still fit in the page it
// already has; the recording must then exit 1.
func TestRecordExitsOneWhenFileStatsCannotBeWritten(t *testing.T) {
	if os.Geteuid() != 0 {
		testutil.SkipOrFail(t, "mounting a small tmpfs needs root")
	}
	out := filepath.Join(testutil.TempDir(t), "full")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", out, "tmpfs", 0, "size=64k"); err != nil {
		testutil.SkipOrFail(t, "mount a 64 KiB tmpfs: %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(out, syscall.MNT_DETACH) })

	// File activity with long names, in a block-backed directory so that
	// every per-file backend sees it.
	work := testutil.BlockBackedDir(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		buf := make([]byte, 4096)
		for i := 0; ctx.Err() == nil; i++ {
			name := filepath.Join(work, fmt.Sprintf("%s-%d", strings.Repeat("long-file-name-", 12), i%400))
			os.WriteFile(name, buf, 0o600)
			if i%400 == 399 {
				time.Sleep(20 * time.Millisecond)
			}
		}
	}()

	cmd := exec.Command(testutil.Binary(t), "record", "--out", out, "--files", "on", "--interval", "250ms", "--duration", "3s")
	o, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	code := 0
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	text := string(o)
	if strings.Contains(text, "--files on:") {
		testutil.SkipOrFail(t, "no per-file backend here: %s", text)
	}
	if !strings.Contains(text, "no space left on device") {
		t.Skipf("the 64 KiB tmpfs did not fill during the recording:\n%s", text)
	}
	if code != exitFail {
		t.Errorf("exit %d after a file could not be written, want 1:\n%s", code, text)
	}
}
