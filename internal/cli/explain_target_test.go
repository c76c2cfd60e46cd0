package cli

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
		if code := runCmd("explain", args, &stdout, &stderr); code != exitOK {
			t.Fatalf("explain %q: exit %d, %s", args, code, stderr.String())
		}
		out := stdout.String()
		for _, want := range []string{
			"read as decimal 12019",
			"hvrdoctor check --replica 'hv-dr01.contoso.com' --auth certificate",
			"Set-VMReplication -VMName 'SQL01' -BypassProxyServer $true",
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
	if code := runCmd("explain", []string{"12019"}, &stdout, &stderr); code != exitOK || !strings.Contains(stdout.String(), "check --replica <replica>") {
		t.Errorf("without --replica the placeholder stays: exit %d\n%s", code, stdout.String())
	}
}

// Issue 12: --proxy fills <proxy:port>, and every flag reads the same
// before and after the code.
func TestExplainProxyFlagBeforeOrAfterTheCode(t *testing.T) {
	var outs []string
	for _, args := range [][]string{
		{"12019", "--proxy", "http://proxy.contoso.com:3128", "--replica", "hv-dr01.contoso.com", "--port", "443", "--vm", "SQL01"},
		{"--proxy=http://proxy.contoso.com:3128", "--replica", "hv-dr01.contoso.com", "--port", "443", "--vm", "SQL01", "12019"},
		{"--vm", "SQL01", "12019", "--port=443", "--proxy", "http://proxy.contoso.com:3128", "--replica=hv-dr01.contoso.com"},
	} {
		var stdout, stderr bytes.Buffer
		if code := runCmd("explain", args, &stdout, &stderr); code != exitOK {
			t.Fatalf("explain %q: exit %d, %s", args, code, stderr.String())
		}
		out := stdout.String()
		if strings.Contains(out, "<proxy:port>") || !strings.Contains(out, "proxy-server='proxy.contoso.com:3128'") {
			t.Errorf("explain %q: the proxy should fill the WinHTTP fix:\n%s", args, out)
		}
		if !strings.Contains(out, "--proxy 'http://proxy.contoso.com:3128'") {
			t.Errorf("explain %q: the suggested check should name the proxy:\n%s", args, out)
		}
		outs = append(outs, out)
	}
	if outs[0] != outs[1] || outs[1] != outs[2] {
		t.Errorf("flags before and after the code give different output:\n%s\n----\n%s", outs[0], outs[1])
	}
	var stdout, stderr bytes.Buffer
	if code := runCmd("explain", []string{"12019", "--proxy", "ftp://x"}, &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), "proxy") {
		t.Errorf("a bad --proxy after the code is a usage error naming it: exit %d %q", code, stderr.String())
	}
}

// Issue 13: a VM name cannot inject PowerShell into the fixes.
func TestExplainQuotesInjectedVMName(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runCmd("explain", []string{"--vm", "SQL01|Restart-Computer", "12019"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(out, "Set-VMReplication -VMName 'SQL01|Restart-Computer' -BypassProxyServer $true") || strings.Contains(out, "-VMName SQL01|") {
		t.Errorf("the VM name should stay inside single quotes:\n%s", out)
	}
}
