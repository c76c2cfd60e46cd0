package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
	"github.com/hvrdoctor/hvrdoctor/probes/lab/labtest"
)

// TestCheckKerberosNamesTheMissingSPN is issue 5's "done when" for
// Kerberos: against a real KDC that lacks the replica's SPNs, `hvrdoctor
// check --auth kerberos` fails, names the missing SPN and prints the setspn
// fix with the real host names; with the SPNs registered the step passes.
func TestCheckKerberosNamesTheMissingSPN(t *testing.T) {
	k := labtest.KDC(t, lab.KDCOptions{Realm: "LAB.TEST"})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := k.AddPrincipal(ctx, "hvradmin", ""); err != nil {
		t.Fatal(err)
	}
	kt := filepath.Join(testutil.TempDir(t), "hvradmin.keytab")
	if err := k.Keytab(ctx, "hvradmin", kt); err != nil {
		t.Fatal(err)
	}
	args := []string{"check", "--replica", "hv-dr01.lab.test", "--auth", "kerberos", "--timeout", "2s",
		"--kdc", k.Addr, "--realm", "LAB.TEST", "--keytab", kt, "--principal", "hvradmin"}

	out, errOut, code := runChecked(t, args...)
	if code != exitFail {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		`"Hyper-V Replica Service/HV-DR01"`,
		"0x80090303",
		`setspn -S 'Hyper-V Replica Service/hv-dr01.lab.test' 'HV-DR01'`,
		"setspn -L 'HV-DR01'",
		"Restart-Service vmms",
		"14050",
		"method: Kerberos service-ticket requests to KDC " + k.Addr,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	for _, spn := range []string{"Hyper-V Replica Service/HV-DR01", "Hyper-V Replica Service/hv-dr01.lab.test"} {
		if err := k.AddPrincipal(ctx, spn, ""); err != nil {
			t.Fatal(err)
		}
	}
	jsonOut, errOut, _ := runChecked(t, append(args, "--format", "json")...)
	var rep probes.Report
	if err := json.Unmarshal([]byte(jsonOut), &rep); err != nil {
		t.Fatalf("JSON: %v\n%s\n%s", err, jsonOut, errOut)
	}
	if got := stepStatus(rep, probes.IDSPN); got != "pass" {
		t.Errorf("with the SPNs registered the spn step is %s, want pass\n%s", got, jsonOut)
	}
	if got := stepStatus(rep, probes.IDClockSkew); got != "pass" {
		t.Errorf("clock-skew against the local KDC is %s, want pass\n%s", got, jsonOut)
	}
}

// TestCheckCertificateNamesEachBrokenRule is issue 5's "done when" for
// certificates: `--auth certificate --cert bad.pem` names each broken rule.
func TestCheckCertificateNamesEachBrokenRule(t *testing.T) {
	m, srv := labtest.CertMatrixServer(t, "replica.lab.test")
	good, _ := m.Case(lab.CaseGood)
	port := srv.Addr[strings.LastIndex(srv.Addr, ":")+1:]
	closed, err := lab.ClosedPort()
	if err != nil {
		t.Fatal(err)
	}
	// One certificate broken five ways: expired, Server Authentication
	// only, named for another host, 1024-bit key, CRL on a closed port.
	now := time.Now()
	bad, err := m.Root.Issue(lab.LeafSpec{CommonName: "other.lab.test", DNSNames: []string{"other.lab.test"}, ServerAuth: true,
		NotBefore: now.Add(-400 * 24 * time.Hour), NotAfter: now.Add(-2 * 24 * time.Hour), KeyBits: 1024,
		CRLURLs: []string{"http://" + closed + "/root.crl"}})
	if err != nil {
		t.Fatal(err)
	}
	dir := testutil.TempDir(t)
	badFile, rootFile := filepath.Join(dir, "bad.pem"), filepath.Join(dir, "root.pem")
	lab.WriteFile(badFile, bad.PEM())
	lab.WriteFile(rootFile, m.Root.CertPEM())

	out, errOut, code := runChecked(t, "check", "--replica", "127.0.0.1", "--port", port, "--auth", "certificate", "--timeout", "2s",
		"--cert", badFile, "--ca", rootFile, "--cert-name", "replica.lab.test", "--format", "json")
	var rep probes.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("JSON: %v\n%s\n%s", err, out, errOut)
	}
	if code != exitFail {
		t.Errorf("exit %d, want 1", code)
	}
	for id, want := range map[string]string{
		probes.IDCertLoad:       "pass",
		probes.IDCertPrivateKey: "pass",
		probes.IDCertValidity:   "fail",
		probes.IDCertEKU:        "fail",
		probes.IDCertName:       "fail",
		probes.IDCertChain:      "pass",
		probes.IDCertKeySize:    "warn",
		probes.IDCertRevocation: "fail",
		probes.IDCertMutualTLS:  "fail",
	} {
		if got := stepStatus(rep, id); got != want {
			t.Errorf("step %s: %s, want %s", id, got, want)
		}
	}
	text, _, _ := runChecked(t, "check", "--replica", "127.0.0.1", "--port", port, "--auth", "certificate", "--timeout", "2s",
		"--cert", badFile, "--ca", rootFile, "--cert-name", "replica.lab.test")
	for _, want := range []string{"expired", "Client Authentication", "replica.lab.test", "1024", "DisableCertRevocationCheck", "New-SelfSignedCertificate"} {
		if !strings.Contains(text, want) {
			t.Errorf("text output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "PRIVATE KEY") {
		t.Error("the private key appears in the output")
	}

	// The good certificate, as a PFX whose password comes on stdin, passes
	// every rule including the mutual-TLS handshake.
	pfx, err := good.Leaf.PFX("Pfx-Secret-1")
	if err != nil {
		t.Fatal(err)
	}
	pfxFile := filepath.Join(dir, "good.pfx")
	lab.WriteFile(pfxFile, pfx)
	cmd := exec.Command(testutil.Binary(t), "check", "--replica", "127.0.0.1", "--port", port, "--auth", "certificate", "--timeout", "2s",
		"--cert", pfxFile, "--cert-password-stdin", "--ca", rootFile, "--cert-name", "replica.lab.test", "--format", "json")
	cmd.Stdin = strings.NewReader("Pfx-Secret-1\n")
	cmd.Env = noProxyEnv()
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	cmd.Run()
	rep = probes.Report{}
	if err := json.Unmarshal(o.Bytes(), &rep); err != nil {
		t.Fatalf("JSON: %v\n%s\n%s", err, o.String(), e.String())
	}
	for _, c := range probes.CertificateChecks() {
		if got := stepStatus(rep, c.ID()); got != "pass" {
			t.Errorf("good PFX: step %s is %s, want pass", c.ID(), got)
		}
	}
	if strings.Contains(o.String()+e.String(), "Pfx-Secret-1") {
		t.Error("the PFX password appears in the output")
	}
}

func noProxyEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.Contains(strings.ToUpper(strings.SplitN(kv, "=", 2)[0]), "PROXY") {
			env = append(env, kv)
		}
	}
	return env
}

// TestCheckAuthFlagsRejectBadInput: each bad value is a usage error (exit
// 2) on one line naming the flag.
func TestCheckAuthFlagsRejectBadInput(t *testing.T) {
	dir := testutil.TempDir(t)
	garbage := filepath.Join(dir, "garbage.pem")
	os.WriteFile(garbage, []byte("not a certificate"), 0o600)
	cases := []struct {
		args []string
		flag string
	}{
		{[]string{"--cert", filepath.Join(dir, "missing.pem")}, "-cert"},
		{[]string{"--cert", garbage}, "-cert"},
		{[]string{"--ca", filepath.Join(dir, "missing.pem")}, "-ca"},
		{[]string{"--ca", garbage}, "-ca"},
		{[]string{"--kdc", "dc 01"}, "-kdc"},
		{[]string{"--kdc", "dc01:99999"}, "-kdc"},
		{[]string{"--realm", "LAB TEST"}, "-realm"},
		{[]string{"--keytab", garbage}, "-keytab"},
		{[]string{"--principal", "a b"}, "-principal"},
		{[]string{"--ccache", filepath.Join(dir, "nocache")}, "-ccache"},
		{[]string{"--ldap", "http://dc01"}, "-ldap"},
		{[]string{"--ldap", "ldap://"}, "-ldap"},
		{[]string{"--cert-name", "10.0.0.1"}, "-cert-name"},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := dispatch(append([]string{"check", "--replica", "r1"}, c.args...), &out, &errb)
		msg := errb.String()
		if code != exitUsage || out.Len() != 0 || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, c.flag) {
			t.Errorf("check %q: exit %d, stderr %q; want exit 2 and one line naming %s", c.args, code, msg, c.flag)
		}
	}
}

// TestReadSecretLine: the *-stdin flags read one line each.
func TestReadSecretLine(t *testing.T) {
	r := strings.NewReader("first\r\nsecond\nthird")
	for _, want := range []string{"first", "second", "third"} {
		got, err := readSecretLine(r)
		if err != nil || got != want {
			t.Fatalf("got %q, %v; want %q", got, err, want)
		}
	}
	if _, err := readSecretLine(r); err == nil {
		t.Error("empty stdin must be an error")
	}
}
