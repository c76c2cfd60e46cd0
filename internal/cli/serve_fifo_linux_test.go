package cli

import (
	"bytes"
	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO given as the web or probe configuration is refused with one line
// before it is opened: opening a FIFO waits for a writer, so serve hung at
// start.
func TestServeRefusesFIFOConfigFiles(t *testing.T) {
	fifo := filepath.Join(testutil.TempDir(t), "config.yml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, flagName := range []string{"--web.config.file", "--probe.config.file"} {
		done := make(chan struct{})
		var code int
		var errb bytes.Buffer
		go func() {
			defer close(done)
			var out bytes.Buffer
			code = dispatch([]string{"serve", flagName, fifo, "--files", "off"}, &out, &errb)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("serve %s FIFO: still waiting after 5 s (it opened the FIFO)", flagName)
		}
		msg := strings.TrimSpace(errb.String())
		if code != exitUsage || !strings.Contains(msg, flagName) || !strings.Contains(msg, "FIFO") || strings.Contains(msg, "\n") {
			t.Errorf("serve %s FIFO: exit %d, stderr %q; want exit 2 and one line naming the flag and the FIFO", flagName, code, msg)
		}
	}
}
