package cli

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
	"github.com/hvrdoctor/hvrdoctor/probes/lab/labtest"
)

// runChecked runs the binary with no proxy variables in its environment.
func runChecked(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(testutil.Binary(t), args...)
	for _, kv := range os.Environ() {
		if !strings.Contains(strings.ToUpper(strings.SplitN(kv, "=", 2)[0]), "PROXY") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return o.String(), e.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), 0
}

func TestCheckBadUsageExitsTwoWithOneLine(t *testing.T) {
	cases := []struct {
		args []string
		name string // the input the message must name
	}{
		{[]string{}, "--replica"},
		{[]string{"--replica", ""}, "--replica"},
		{[]string{"--replica", "r1", "--port", "0"}, `--port "0"`},
		{[]string{"--replica", "r1", "--port", "70000"}, `--port "70000"`},
		{[]string{"--replica", "r1", "--port", "abc"}, "-port"},
		{[]string{"--replica", "r1", "--proxy", "http//:garbage::"}, "--proxy"},
		{[]string{"--replica", "r1", "--auth", "ntlm"}, "--auth"},
		{[]string{"--replica", "r1", "--format", "xml"}, "--format"},
		{[]string{"--replica", "r1", "--timeout", "-1s"}, "--timeout"},
		{[]string{"--replica", "r1", "extra"}, "extra"},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := dispatch(append([]string{"check"}, c.args...), &out, &errb)
		msg := errb.String()
		if code != exitUsage || out.Len() != 0 || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, c.name) {
			t.Errorf("check %q: exit %d, stdout %q, stderr %q; want exit 2 and one line naming %s", c.args, code, out.String(), msg, c.name)
		}
	}
}

// TestCheckBinaryNamesTheProxyUploadLimit is the "done when": the
// same check fails naming the proxy's upload limit through squid with
// request_body_max_size 4 GB, and passes (warnings allowed) without it.
func TestCheckBinaryNamesTheProxyUploadLimit(t *testing.T) {
	origin := labtest.HTTPOrigin(t, lab.OriginOptions{})
	port := origin.Addr[strings.LastIndex(origin.Addr, ":")+1:]

	limited := labtest.Squid(t, lab.SquidOptions{RequestBodyMaxSize: "4 GB"})
	out, errOut, code := runChecked(t, "check", "--replica", "127.0.0.1", "--port", port, "--auth", "kerberos", "--proxy", limited.URL)
	if code != exitFail || !strings.Contains(out, "refuses large uploads") || !strings.Contains(out, "4 GB") || !strings.Contains(out, "413") {
		t.Fatalf("with the 4 GB limit: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "Set-VMReplication -VMName <VM> -BypassProxyServer $true") {
		t.Errorf("fix commands missing:\n%s", out)
	}

	jsonOut, _, code := runChecked(t, "check", "--replica", "127.0.0.1", "--port", port, "--proxy", limited.URL, "--format", "json", "--vm", "SQL01")
	var rep probes.Report
	if err := json.Unmarshal([]byte(jsonOut), &rep); err != nil {
		t.Fatalf("JSON output: %v\n%s", err, jsonOut)
	}
	if code != exitFail || rep.Schema != probes.ReportSchema || rep.Status != "fail" || stepStatus(rep, "proxy-large-upload") != "fail" {
		t.Errorf("JSON: exit %d schema %s status %s upload %s", code, rep.Schema, rep.Status, stepStatus(rep, "proxy-large-upload"))
	}

	open := labtest.Squid(t, lab.SquidOptions{})
	jsonOut, errOut, code = runChecked(t, "check", "--replica", "127.0.0.1", "--port", port, "--auth", "kerberos", "--proxy", open.URL, "--format", "json")
	rep = probes.Report{}
	if err := json.Unmarshal([]byte(jsonOut), &rep); err != nil {
		t.Fatalf("JSON output: %v\n%s\n%s", err, jsonOut, errOut)
	}
	if got := stepStatus(rep, "proxy-large-upload"); got != "pass" {
		t.Fatalf("without the limit the large upload should pass, got %s\n%s", got, jsonOut)
	}
	if code != exitOK {
		// Name the steps that broke the exit status: with no Kerberos
		// inputs given (no --kdc, --keytab, --ldap), later steps must skip,
		// not fail or error.
		var bad []string
		for _, s := range rep.Steps {
			if s.Status == "fail" || s.Status == "error" {
				bad = append(bad, s.ID+" ("+s.Status+": "+s.Summary+")")
			}
		}
		t.Errorf("without the limit: exit %d, want 0; failing steps: %s", code, strings.Join(bad, "; "))
	}
}

// TestCheckBinaryNamesHTTPSInspection: certificate auth through mitmproxy
// fails naming HTTPS inspection; through squid's plain CONNECT it does not.
func TestCheckBinaryNamesHTTPSInspection(t *testing.T) {
	origin := labtest.TLSOrigin(t, lab.OriginOptions{})
	port := origin.Addr[strings.LastIndex(origin.Addr, ":")+1:]
	mitm := labtest.Mitmproxy(t)
	out, errOut, code := runChecked(t, "check", "--replica", "127.0.0.1", "--port", port, "--auth", "certificate", "--proxy", mitm.URL, "--format", "markdown")
	if code != exitFail || !strings.Contains(out, "inspects HTTPS") || !strings.Contains(out, "0x00002EF3") || !strings.Contains(out, "## FAIL: HTTPS inspection") {
		t.Fatalf("through mitmproxy: exit %d\n%s\n%s", code, out, errOut)
	}
	squid := labtest.Squid(t, lab.SquidOptions{})
	jsonOut, _, _ := runChecked(t, "check", "--replica", "127.0.0.1", "--port", port, "--auth", "certificate", "--proxy", squid.URL, "--format", "json")
	var rep probes.Report
	if err := json.Unmarshal([]byte(jsonOut), &rep); err != nil {
		t.Fatalf("JSON output: %v\n%s", err, jsonOut)
	}
	if got := stepStatus(rep, "https-inspection"); got != "pass" {
		t.Errorf("plain CONNECT proxy flagged: https-inspection = %s\n%s", got, jsonOut)
	}
}

func TestCheckBinaryClosedPortRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close() // nothing listens there now
	out, _, code := runChecked(t, "check", "--replica", "127.0.0.1", "--port", port, "--timeout", "2s", "--bypass-proxy")
	if code != exitFail || !strings.Contains(out, "refused") || !strings.Contains(out, "Enable-NetFirewallRule") {
		t.Fatalf("closed port: exit %d\n%s", code, out)
	}
}

func stepStatus(r probes.Report, id string) string {
	for _, s := range r.Steps {
		if s.ID == id {
			return s.Status
		}
	}
	return "missing"
}
