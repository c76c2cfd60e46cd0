package probes

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// badInputDir makes the hostile file inputs: a directory, an empty file, a
// binary file, and on Unix a FIFO (nobody ever writes to it: reading it
// would block forever).
func badInputDir(t *testing.T) map[string]string {
	t.Helper()
	dir := testutil.TempDir(t)
	files := map[string]string{"dir": dir}
	files["empty"] = filepath.Join(dir, "empty")
	os.WriteFile(files["empty"], nil, 0o600)
	files["binary"] = filepath.Join(dir, "binary")
	os.WriteFile(files["binary"], []byte("\x00\x01\x02garbage\xff\xfe"), 0o600)
	if runtime.GOOS != "windows" {
		files["fifo"] = filepath.Join(dir, "fifo")
		if err := mkfifo(files["fifo"]); err != nil {
			t.Fatal(err)
		}
		files["zero"] = "/dev/zero"
	}
	return files
}

// TestTargetInputEveryFieldNamesItsFlag: each field of TargetInput, given a
// bad value, is refused with one line that names the flag and the problem,
// without repeating a long value whole.
func TestTargetInputEveryFieldNamesItsFlag(t *testing.T) {
	f := badInputDir(t)
	long := strings.Repeat("x", 128<<10)
	given := func(names ...string) map[string]bool {
		m := map[string]bool{}
		for _, n := range names {
			m[n] = true
		}
		return m
	}
	type tc struct {
		name    string
		in      TargetInput
		flag    string
		problem string
	}
	cases := []tc{
		{"replica empty", TargetInput{Replica: " "}, "--replica", "empty"},
		{"replica long", TargetInput{Replica: long}, "--replica", "longer than 253"},
		{"port text", TargetInput{PortText: "http"}, "--port", "not a number"},
		{"port zero", TargetInput{PortText: "0"}, "--port", "between 1 and 65535"},
		{"port negative", TargetInput{PortText: "-1"}, "--port", "between 1 and 65535"},
		{"port empty given", TargetInput{Given: given("port")}, "--port", "empty"},
		{"auth", TargetInput{Auth: "ntlm"}, "--auth", "kerberos or certificate"},
		{"timeout no unit", TargetInput{TimeoutText: "5"}, "--timeout", "unit"},
		{"timeout zero", TargetInput{TimeoutText: "0s"}, "--timeout", "positive"},
		{"timeout huge", TargetInput{TimeoutText: "9999h"}, "--timeout", "at most"},
		{"vm newline", TargetInput{VMName: "SQL01\nRestart-Computer"}, "--vm", "line breaks"},
		{"vm long", TargetInput{VMName: long}, "--vm", "longer than 100"},
		{"vm empty given", TargetInput{Given: given("vm")}, "--vm", "empty"},
		{"proxy no host", TargetInput{ProxyURL: "http://"}, "--proxy", "empty"},
		{"proxy socks", TargetInput{ProxyURL: "socks5://x"}, "--proxy", "not supported"},
		{"proxy empty given", TargetInput{Given: given("proxy")}, "--proxy", "empty"},
		{"ca missing", TargetInput{CABundle: filepath.Join(f["dir"], "nope.pem")}, "--ca", "no such file"},
		{"ca dir", TargetInput{CABundle: f["dir"]}, "--ca", "directory"},
		{"ca empty", TargetInput{CABundle: f["empty"]}, "--ca", "empty"},
		{"ca binary", TargetInput{CABundle: f["binary"]}, "--ca", "no PEM or DER"},
		{"cert missing", TargetInput{CertSource: filepath.Join(f["dir"], "nope.pem")}, "--cert", "not a 40-digit thumbprint"},
		{"cert dir", TargetInput{CertSource: f["dir"]}, "--cert", "directory"},
		{"cert binary", TargetInput{CertSource: f["binary"]}, "--cert", ""},
		{"cert empty given", TargetInput{Given: given("cert")}, "--cert", "empty"},
		{"cert-name empty", TargetInput{Given: given("cert-name")}, "--cert-name", "empty"},
		{"cert-name short", TargetInput{CertName: "replica"}, "--cert-name", "FQDN"},
		{"kdc empty", TargetInput{Given: given("kdc")}, "--kdc", "empty"},
		{"kdc url", TargetInput{KDC: "http://kdc"}, "--kdc", "without a scheme"},
		{"kdc port", TargetInput{KDC: "kdc:99999"}, "--kdc", "between 1 and 65535"},
		{"kdc space", TargetInput{KDC: "dc 01"}, "--kdc", "not a host name"},
		{"realm newline", TargetInput{Realm: "LAB\nTEST"}, "--realm", "only ASCII"},
		{"realm non-ascii", TargetInput{Realm: "LÄB.TEST"}, "--realm", "only ASCII"},
		{"realm long", TargetInput{Realm: long}, "--realm", "longer than 255"},
		{"realm empty given", TargetInput{Given: given("realm")}, "--realm", "empty"},
		{"principal space", TargetInput{Principal: "a b"}, "--principal", "spaces"},
		{"principal long", TargetInput{Principal: long}, "--principal", "longer than"},
		{"principal bad realm", TargetInput{Principal: "a@B\nC"}, "--principal", "control"},
		{"keytab missing", TargetInput{Keytab: filepath.Join(f["dir"], "nope")}, "--keytab", "no such file"},
		{"keytab dir", TargetInput{Keytab: f["dir"]}, "--keytab", "directory"},
		{"keytab empty", TargetInput{Keytab: f["empty"]}, "--keytab", "empty"},
		{"keytab binary", TargetInput{Keytab: f["binary"]}, "--keytab", "not a keytab"},
		{"ccache missing", TargetInput{CCache: filepath.Join(f["dir"], "nope")}, "--ccache", "run kinit"},
		{"ccache dir", TargetInput{CCache: "FILE:" + f["dir"]}, "--ccache", "directory"},
		{"ccache empty", TargetInput{CCache: f["empty"]}, "--ccache", "empty"},
		{"ccache binary", TargetInput{CCache: f["binary"]}, "--ccache", "not a Kerberos credential cache"},
		{"ccache kcm", TargetInput{CCache: "KCM:1000"}, "--ccache", "FILE:"},
		{"ldap http", TargetInput{LDAPURL: "http://dc01"}, "--ldap", "ldap://HOST"},
		{"ldap no host", TargetInput{LDAPURL: "ldap://"}, "--ldap", "empty"},
		{"ldap creds", TargetInput{LDAPURL: "ldap://admin:S3cret-Pw@dc01"}, "--ldap", "--ldap-user"},
		{"ldap path", TargetInput{LDAPURL: "ldap://dc01/dc=x"}, "--ldap", "without a path"},
		{"ldap-user empty", TargetInput{Given: given("ldap-user")}, "--ldap-user", "empty"},
		{"ldap-user control", TargetInput{LDAPUser: "cn=a\x1b[2J"}, "--ldap-user", "control"},
	}
	if f["fifo"] != "" {
		cases = append(cases,
			tc{"ca fifo", TargetInput{CABundle: f["fifo"]}, "--ca", "FIFO"},
			tc{"ca zero", TargetInput{CABundle: f["zero"]}, "--ca", "device"},
			tc{"keytab zero", TargetInput{Keytab: f["zero"]}, "--keytab", "device"},
			tc{"keytab fifo", TargetInput{Keytab: f["fifo"]}, "--keytab", "FIFO"},
			tc{"ccache fifo", TargetInput{CCache: f["fifo"]}, "--ccache", "FIFO"},
			tc{"ccache zero", TargetInput{CCache: "FILE:/dev/zero"}, "--ccache", "device"},
			tc{"cert fifo", TargetInput{CertSource: f["fifo"]}, "--cert", "FIFO"},
			tc{"cert zero", TargetInput{CertSource: f["zero"]}, "--cert", "device"},
		)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			if in.Replica == "" && c.flag != "--replica" {
				in.Replica = "r1"
			}
			in.Env, in.WinHTTP = noEnv, noWinHTTP
			_, err := ParseTarget(in)
			if err == nil {
				t.Fatalf("accepted %+v", c.in)
			}
			var ie *InputError
			msg := err.Error()
			if !errors.As(err, &ie) || ie.Flag != c.flag {
				t.Fatalf("error %q is not an InputError naming %s", msg, c.flag)
			}
			if !strings.HasPrefix(msg, c.flag) || !strings.Contains(msg, c.problem) || strings.ContainsAny(msg, "\n\r\x1b") {
				t.Errorf("error %q: want one line starting with %s saying %q", msg, c.flag, c.problem)
			}
			if len(msg) > 400 {
				t.Errorf("error is %d bytes long: long values must be cut: %.200q", len(msg), msg)
			}
			if strings.Contains(msg, "S3cret-Pw") {
				t.Errorf("error %q repeats the password in the URL", msg)
			}
			// Validate (the form without a replica) gives the same error.
			if c.flag != "--replica" {
				in.Replica = ""
				if verr := in.Validate(); verr == nil || verr.Error() != msg {
					t.Errorf("Validate() = %v, want %q", verr, msg)
				}
			}
		})
	}
}

// TestShowValueCutsAndRedacts: the form every message shows a value in.
func TestShowValueCutsAndRedacts(t *testing.T) {
	for in, want := range map[string]string{
		"http://user:pw@proxy:3128":     `"http://***@proxy:3128"`,
		"user:pw@proxy:3128":            `"***@proxy:3128"`,
		"ldaps://CN=a,DC=b:pw@dc01:636": `"ldaps://***@dc01:636"`,
		"http://proxy:3128/a@b":         `"http://proxy:3128/a@b"`,
		"a\nb":                          `"a\nb"`,
		strings.Repeat("é", 100):        `"` + strings.Repeat("é", MaxShownValue) + `"... (200 bytes)`,
	} {
		if got := ShowValue(in); got != want {
			t.Errorf("ShowValue(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestApplyToKeepsUngivenAuthFields: the wizard's form gives only some
// fields; the keytab, principal and password from the command line stay.
func TestApplyToKeepsUngivenAuthFields(t *testing.T) {
	tg := &Target{Principal: "hvradmin", Password: "pw", LDAPURL: "ldaps://dc01"}
	if err := (TargetInput{Replica: "r1", KDC: "dc01", Realm: "lab.test", Env: noEnv, WinHTTP: noWinHTTP}).ApplyTo(tg); err != nil {
		t.Fatal(err)
	}
	if tg.Principal != "hvradmin" || tg.Password != "pw" || tg.LDAPURL != "ldaps://dc01" || tg.KDC != "dc01:88" || tg.Realm != "LAB.TEST" {
		t.Errorf("ApplyTo lost or did not set fields: %+v", tg)
	}
}
