package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestServeFlagErrors: every bad flag value is exit 2 with one line naming
// the flag, before anything is sampled or listened on.
func TestServeFlagErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--interval", "10ms"}, "--interval 10ms is out of range"},
		{[]string{"--files", "maybe"}, `--files "maybe" is not auto, on or off`},
		{[]string{"--top-files", "5000"}, "--top-files 5000 is out of range"},
		{[]string{"--top-pids", "-1"}, "--top-pids -1 is out of range"},
		{[]string{"--max-process-series", "1"}, "--max-process-series 1 is out of range"},
		{[]string{"--probe.concurrency", "0"}, "--probe.concurrency 0 is out of range"},
		{[]string{"--listen", "9183"}, `--listen "9183" is not HOST:PORT`},
		{[]string{"--link-rate", "100"}, "--link-rate: link"},
		{[]string{"--replication-interval", "1m"}, "--replication-interval 1m0s: Hyper-V Replica sends every 30s, 5m or 15m"},
		{[]string{"--vm-disk-size", "500"}, `--vm-disk-size: size "500": give a number and a unit`},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"--replication-read-interval", "1s"}, "--replication-read-interval 1s is out of range"},
		{[]string{"--replication-from", ""}, `-replication-from: empty: give a directory or a file`},
		{[]string{"--replication-from", "/nonexistent/hv", "--files", "off"}, `--replication-from "/nonexistent/hv": cannot read`},
		{[]string{"--replication-from", "cmd_serve_test.go", "--files", "off"}, `--replication-from "cmd_serve_test.go"`},
		{[]string{"--web.config.file", "/nonexistent/web.yml"}, "--web.config.file /nonexistent/web.yml: open"},
		{[]string{"--probe.config.file", "/nonexistent/p.yml", "--files", "off"}, "--probe.config.file: open /nonexistent/p.yml"},
	} {
		var out, errb bytes.Buffer
		code := dispatch(append([]string{"serve"}, c.args...), &out, &errb)
		msg := strings.TrimSpace(errb.String())
		if code != exitUsage || !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
			t.Errorf("serve %v: exit %d, stderr %q; want exit 2 and one line with %q", c.args, code, msg, c.want)
		}
	}
}

func TestServeHelp(t *testing.T) {
	var out, errb bytes.Buffer
	if code := dispatch([]string{"serve", "-h"}, &out, &errb); code != exitOK {
		t.Fatalf("serve -h: exit %d", code)
	}
	for _, want := range []string{"--listen", "127.0.0.1:9183", "-web.config.file", "-probe.config.file"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("serve -h lacks %q:\n%s", want, out.String())
		}
	}
}
