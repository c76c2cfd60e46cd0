package cli

import (
	"bytes"
	"strings"
	"testing"
)

// A mistyped flag is one line on stderr naming it, exit 2, like the other
// commands (it printed the 35-line usage); -h goes to stdout, so that
// 'hvrdoctor analyze -h | less' shows it.
func TestAnalyzeBadFlagIsOneLineAndHelpGoesToStdout(t *testing.T) {
	for _, args := range [][]string{{"--bogus", "rec"}, {"rec", "--compression", "abc"}} {
		var stdout, stderr bytes.Buffer
		code := runCmd("analyze", args, &stdout, &stderr)
		msg := stderr.String()
		if code != exitUsage || strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "hvrdoctor analyze: ") ||
			!strings.Contains(msg, "analyze -h") || stdout.Len() != 0 {
			t.Errorf("analyze %q: exit %d, stdout %d bytes, stderr %q; want exit 2 and one line", args, code, stdout.Len(), msg)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := runCmd("analyze", []string{"-h"}, &stdout, &stderr); code != exitOK || stderr.Len() != 0 ||
		!strings.HasPrefix(stdout.String(), "Usage: hvrdoctor analyze") || !strings.Contains(stdout.String(), "-spike-factor") {
		t.Errorf("analyze -h: exit %d, stderr %q, stdout:\n%s", code, stderr.String(), stdout.String())
	}
}
