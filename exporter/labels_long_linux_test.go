//go:build linux

package exporter

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// Any local user can write a file with a 2,000-byte path (eight nested
// directories of 250 bytes). Its path became the label value of
// hvrdoctor_file_written_bytes unbounded, and a Prometheus server that
// sets label_value_length_limit (as shared servers do) treats the whole
// scrape as failed: every metric of the target lost while the file is
// listed. With a real Prometheus (limit 512) scraping the real serve while
// a real writer writes such a file, the target stays up and the file's
// series is there, its path cut to MaxLabelBytes keeping the file name.
func TestLongFilePathKeepsScrapeUp(t *testing.T) {
	needTool(t, "prometheus")
	dir := testutil.BlockBackedDir(t)
	long := dir
	for i := range 8 {
		long = filepath.Join(long, fmt.Sprintf("%d%s", i, strings.Repeat("d", 249)))
	}
	if err := os.MkdirAll(long, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(long, "target.bin")
	serveAddr := startServe(t, "--interval", "1s", "--files", "on")
	base := startPrometheus(t, fmt.Sprintf("  - job_name: hvrdoctor\n    label_value_length_limit: 512\n    static_configs:\n      - targets: [%q]\n", serveAddr))
	waitQuery(t, base, `up{job="hvrdoctor"}`, 30*time.Second, func(r []promVector) bool { return len(r) == 1 && value(r[0]) == 1 })

	// Written by this process, which keeps the file open so the per-file
	// source names it by its open descriptor: the whole path.
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	for range 16 {
		if _, err := f.Write(buf); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	res := waitQuery(t, base, `hvrdoctor_file_written_bytes{path=~".*/target.bin",path=~"/.*"}`, 20*time.Second, func(r []promVector) bool { return len(r) >= 1 })
	got := res[0].Metric["path"]
	if len(got) > MaxLabelBytes || !strings.HasSuffix(got, "/target.bin") || !strings.HasPrefix(got, dir[:20]) {
		t.Errorf("path label %q (%d bytes), want at most %d bytes with its start and the file name", got, len(got), MaxLabelBytes)
	}
	// Still up after the series was scraped.
	time.Sleep(2 * time.Second)
	waitQuery(t, base, `up{job="hvrdoctor"}`, 5*time.Second, func(r []promVector) bool { return len(r) == 1 && value(r[0]) == 1 })
}
