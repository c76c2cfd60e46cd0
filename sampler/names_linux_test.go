//go:build linux

package sampler

import (
	"bufio"
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// A process may name itself with escape sequences and bytes that are not
// UTF-8 (comm is any 15 bytes) and put them in its command line. The name
// reached the one-shot table, record's summary and CSV, the TUI and the
// exporter raw (the exporter's scrape then failed on the label); the live
// source now gives it with those replaced.
func TestLiveSourceCleansHostileNames(t *testing.T) {
	cmd := testutil.HelperCommand("", evilNameHelperName, "arg\x1b]0;title\x07")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { in.Close(); cmd.Wait() }()
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "named\n" {
		t.Fatalf("helper said %q", line)
	}
	snap, err := NewLiveSource().Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range snap.Processes {
		if p.Key.PID != int32(cmd.Process.Pid) {
			continue
		}
		for what, s := range map[string]string{"name": p.Name, "command line": p.Cmdline} {
			if !utf8.ValidString(s) || strings.ContainsAny(s, "\x1b\x07") {
				t.Errorf("%s %q keeps raw bytes", what, s)
			}
		}
		if !strings.Contains(p.Name, "EVIL") {
			t.Errorf("name %q lost its printable part", p.Name)
		}
		return
	}
	t.Fatalf("PID %d not in the snapshot", cmd.Process.Pid)
}
