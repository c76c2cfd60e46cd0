//go:build linux

package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// hostileMaxRSS is issue 13's memory bound for every hostile input.
const hostileMaxRSS = 64 << 20

// TestHostileFileInputsBoundedMemory runs the binary on the file inputs
// issue 13 measured (`--ca /dev/zero` 4.3 GB, `--keytab /dev/zero` 2.7 GB,
// a 200 MB --ca 422 MB, FIFOs that never end) and asserts from the child's
// own rusage that each is refused with one line and exit 2, with a peak RSS
// under 64 MiB. It prints the figures for docs/hardening.md with -v.
func TestHostileFileInputsBoundedMemory(t *testing.T) {
	dir := testutil.TempDir(t)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.pem")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("-----BEGIN CERTIFICATE-----\n")
	if err := f.Truncate(200 << 20); err != nil { // sparse: no 200 MB on disk
		t.Fatal(err)
	}
	f.Close()
	cases := []struct {
		name string
		args []string
		env  []string
		want string
	}{
		{"--ca /dev/zero", []string{"--ca", "/dev/zero"}, nil, "--ca"},
		{"--keytab /dev/zero", []string{"--keytab", "/dev/zero"}, nil, "--keytab"},
		{"--ccache /dev/zero", []string{"--ccache", "/dev/zero"}, nil, "--ccache"},
		{"--cert /dev/zero", []string{"--cert", "/dev/zero"}, nil, "--cert"},
		{"--ca 200 MB file", []string{"--ca", big}, nil, "--ca"},
		{"--cert 200 MB file", []string{"--cert", big}, nil, "--cert"},
		{"--keytab 200 MB file", []string{"--keytab", big}, nil, "--keytab"},
		{"--ca FIFO", []string{"--ca", fifo}, nil, "--ca"},
		{"--keytab FIFO", []string{"--keytab", fifo}, nil, "--keytab"},
		{"--ccache FIFO", []string{"--ccache", fifo}, nil, "--ccache"},
		{"--cert FIFO", []string{"--cert", fifo}, nil, "--cert"},
		{"KRB5_CONFIG FIFO", []string{"--realm", "LAB.TEST"}, []string{"KRB5_CONFIG=" + fifo}, "KRB5_CONFIG"},
		{"analyze FIFO", []string{"analyze", fifo}, nil, "regular file"},
		{"analyze /dev/zero", []string{"analyze", "/dev/zero"}, nil, "regular file"},
		{"record --rules FIFO", []string{"record", "--rules", fifo, "--out", dir, "--duration", "1s"}, nil, "--rules"},
		{"ui --rules /dev/zero", []string{"ui", "--rules", "/dev/zero"}, nil, "--rules"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"check", "--replica", "127.0.0.1", "--port", "9", "--timeout", "1s", "--format", "json"}, c.args...)
			if c.args[0] == "analyze" || c.args[0] == "record" || c.args[0] == "ui" {
				args = c.args
			}
			cmd := exec.Command(testutil.Binary(t), args...)
			cmd.Env = append(noProxyEnv(), c.env...)
			var o, e bytes.Buffer
			cmd.Stdout, cmd.Stderr = &o, &e
			start := time.Now()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			timer := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
			err := cmd.Wait()
			timer.Stop()
			took := time.Since(start)
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			}
			rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
			t.Logf("%s: exit %d, peak RSS %.1f MiB, %s", c.name, code, float64(rss)/(1<<20), took.Round(time.Millisecond))
			if rss > hostileMaxRSS {
				t.Errorf("peak RSS %d MiB, over the 64 MiB bound", rss>>20)
			}
			out := o.String() + e.String()
			if c.env == nil {
				// Flags are usage errors: refused before anything runs.
				if code != exitUsage || strings.Count(e.String(), "\n") != 1 || !strings.Contains(e.String(), c.want) {
					t.Errorf("exit %d, stderr %q; want exit 2 and one line naming %s", code, e.String(), c.want)
				}
			} else if !strings.Contains(out, c.want) {
				// KRB5_CONFIG is read by the step, which names it.
				t.Errorf("exit %d, output lacks %s:\n%s", code, c.want, out)
			}
		})
	}
}
