package main

import (
	"bytes"
	"strings"
	"testing"
)

// The admin's values given after the code, in the order one types them
// (hvrdoctor explain 12019 --replica hv-dr01 --vm SQL01), fill the fixes and
// the suggested check; with none given the placeholders stay.
func TestExplainFlagsAfterTheCodeFillTheCommands(t *testing.T) {
	for _, args := range [][]string{
		{"12019", "--replica", "hv-dr01.contoso.com", "--vm", "SQL01"},
		{"--replica=hv-dr01.contoso.com", "12019", "--vm", "SQL01"},
	} {
		var stdout, stderr bytes.Buffer
		if code := runExplain(args, &stdout, &stderr); code != exitOK {
			t.Fatalf("explain %q: exit %d, %s", args, code, stderr.String())
		}
		out := stdout.String()
		for _, want := range []string{
			"read as decimal 12019",
			"hvrdoctor check --replica hv-dr01.contoso.com --auth certificate",
			"Set-VMReplication -VMName SQL01 -BypassProxyServer $true",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("explain %q lacks %q:\n%s", args, want, out)
			}
		}
		if strings.Contains(out, "<replica>") || strings.Contains(out, "<VM>") {
			t.Errorf("explain %q keeps placeholders for values given:\n%s", args, out)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := runExplain([]string{"12019"}, &stdout, &stderr); code != exitOK || !strings.Contains(stdout.String(), "check --replica <replica>") {
		t.Errorf("without --replica the placeholder stays: exit %d\n%s", code, stdout.String())
	}
}
