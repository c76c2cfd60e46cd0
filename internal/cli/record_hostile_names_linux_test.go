//go:build linux

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// Any local user can name a file with escape sequences: record printed
// the path raw in its summary ("top file: ...") and wrote it raw into
// FileStats. With the real binary and a real writer to such a file, the
// path must appear escaped (\x1b) in FileStats, and raw nowhere (the
// summary names the top file, which on a shared machine may be another).
func TestRecordEscapesHostileFileNames(t *testing.T) {
	dir := testutil.TempDir(t)
	out := filepath.Join(dir, "rec")
	os.MkdirAll(out, 0o755)
	rec := startRecorder(t, "--out", out, "--interval", "500ms", "--files", "on")
	path := filepath.Join(dir, "evil\x1b]0;PWN\x07\x1b[2Jfile.dat")
	escaped := filepath.Join(dir, `evil\x1b]0;PWN\x07\x1b[2Jfile.dat`)
	stopWriting := make(chan struct{})
	go func() {
		f, err := os.Create(path)
		if err != nil {
			return
		}
		defer f.Close()
		buf := make([]byte, 1<<20)
		for {
			select {
			case <-stopWriting:
				return
			default:
			}
			f.Write(buf)
			f.Sync()
			time.Sleep(50 * time.Millisecond)
		}
	}()
	defer close(stopWriting)
	fileStats := filepath.Join(out, "FileStats-1.csv")
	deadline := time.Now().Add(20 * time.Second)
	for {
		data, _ := os.ReadFile(fileStats)
		if strings.Contains(string(data), escaped) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("FileStats has no row for %q after 20 s:\n%s", escaped, data)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := rec.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	rec.wait(t)
	data, _ := os.ReadFile(fileStats)
	for name, text := range map[string]string{"FileStats": string(data), "stderr": rec.errText(), "stdout": rec.stdout.String()} {
		if strings.ContainsAny(text, "\x1b\x07") {
			t.Errorf("%s holds a raw escape sequence", name)
		}
	}
}
