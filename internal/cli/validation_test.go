package cli

import (
	"bytes"
	"encoding/asn1"
	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
	"github.com/hvrdoctor/hvrdoctor/tui"
)

// TestUsageErrorsNameTheFlagAndExitTwo is issue 13's list of inputs that
// were accepted, mis-named or exited with the wrong code: each is now a
// usage error (exit 2) on one line that names the flag and the problem,
// never repeats a long value whole and never a URL's password.
func TestUsageErrorsNameTheFlagAndExitTwo(t *testing.T) {
	dir := testutil.TempDir(t)
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o600)
	binary := filepath.Join(dir, "binary")
	os.WriteFile(binary, bytes.Repeat([]byte{0, 1, 2, 0xff}, 1000), 0o600)
	long := strings.Repeat("x", 100<<10)
	cases := []struct {
		args []string
		want []string // in the message, in this order
	}{
		{[]string{"check", "--replica", "r1", "--ccache", dir}, []string{"--ccache", "directory"}},
		{[]string{"check", "--replica", "r1", "--ccache", binary}, []string{"--ccache", "not a Kerberos credential cache"}},
		{[]string{"check", "--replica", "r1", "--ccache", empty}, []string{"--ccache", "empty"}},
		{[]string{"check", "--replica", "r1", "--realm", "LAB\nTEST"}, []string{"--realm", "only ASCII"}},
		{[]string{"check", "--replica", "r1", "--realm", "ЛАБ.TEST"}, []string{"--realm", "only ASCII"}},
		{[]string{"check", "--replica", "r1", "--realm", long}, []string{"--realm", "longer than 255"}},
		{[]string{"check", "--replica", "r1", "--principal", long}, []string{"--principal", "longer than"}},
		{[]string{"check", "--replica", "r1", "--vm", long}, []string{"--vm", "longer than 100"}},
		{[]string{"check", "--replica", long}, []string{"--replica", "longer than 253"}},
		{[]string{"check", "--replica", "r1", "--kdc", ""}, []string{"--kdc", "empty"}},
		{[]string{"check", "--replica", "r1", "--kdc", "http://kdc"}, []string{"--kdc", "without a scheme"}},
		{[]string{"check", "--replica", "r1", "--proxy", "http://"}, []string{"--proxy", "empty"}},
		{[]string{"check", "--replica", "r1", "--cert-name", ""}, []string{"--cert-name", "empty"}},
		{[]string{"check", "--replica", "r1", "--port", "http"}, []string{"--port", "not a number"}},
		{[]string{"check", "--replica", "r1", "--timeout", "5"}, []string{"--timeout", "unit"}},
		{[]string{"check", "--replica", "r1", "--proxy", "http://hvr:Pr0xy-Secret@proxy:99999"}, []string{"--proxy", "***@proxy", "between 1 and 65535"}},
		{[]string{"check", "--replica", "r1", "--ldap", "ldap://cn=admin:Ld4p-Secret@dc01"}, []string{"--ldap", "***@dc01", "--ldap-user"}},
		{[]string{"check", "--replica", "r1", "--" + long}, []string{"not defined"}},
		{[]string{"explain", "--port", "-1", "12019"}, []string{"--port", "between 1 and 65535"}},
		{[]string{"explain", "--port", "0", "12019"}, []string{"--port", "between 1 and 65535"}},
		{[]string{"explain", "--vm", "a\nb", "12019"}, []string{"--vm", "line breaks"}},
		{[]string{"analyze", "--format", long, "x"}, []string{"--format"}},
		{[]string{"analyze", "--interval", long, "x"}, []string{"--interval"}},
		{[]string{"analyze", "--link", long, "x"}, []string{"link"}},
		{[]string{"record", "--files", long}, []string{"--files"}},
		{[]string{"record", "--interval", long}, []string{"-interval"}},
		{[]string{"record", long}, []string{"unexpected argument"}},
		{[]string{"ui", "--files", long}, []string{"--files"}},
		{[]string{"ui", long}, []string{"unexpected argument"}},
		{[]string{long}, []string{"unknown command"}},
		// Without --replica the UI's flags fill its form: still checked.
		{[]string{"--proxy", "socks5://x"}, []string{"--proxy", "not supported"}},
		{[]string{"--kdc", "http://kdc"}, []string{"--kdc", "without a scheme"}},
		{[]string{"--ca", dir}, []string{"--ca", "directory"}},
		// Not a terminal (the one-shot table): a valid target flag would be
		// silently ignored.
		{[]string{"--proxy", "http://proxy:3128"}, []string{"--proxy", "needs a terminal", "hvrdoctor check"}},
		{[]string{"ui", "--replica", "r1"}, []string{"--replica", "needs a terminal"}},
	}
	if runtime.GOOS != "windows" {
		fifo := filepath.Join(dir, "fifo")
		if err := mkfifo(fifo); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, []struct {
			args []string
			want []string
		}{
			{[]string{"check", "--replica", "r1", "--ccache", fifo}, []string{"--ccache", "FIFO"}},
			{[]string{"check", "--replica", "r1", "--ca", "/dev/zero"}, []string{"--ca", "device"}},
			{[]string{"check", "--replica", "r1", "--keytab", "/dev/zero"}, []string{"--keytab", "device"}},
			{[]string{"check", "--replica", "r1", "--cert", fifo}, []string{"--cert", "FIFO"}},
		}...)
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := dispatch(c.args, &out, &errb)
		msg := errb.String()
		shown := c.args
		if len(strings.Join(c.args, " ")) > 200 {
			shown = []string{c.args[0], "(long value)"}
		}
		if code != exitUsage || strings.Count(msg, "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %.300q; want exit 2 and one line", shown, code, msg)
			continue
		}
		rest := msg
		for _, w := range c.want {
			i := strings.Index(rest, w)
			if i < 0 {
				t.Errorf("%q: message %q lacks %q (in order %q)", shown, msg, w, c.want)
				break
			}
			rest = rest[i+len(w):]
		}
		if len(msg) > 400 {
			t.Errorf("%q: message is %d bytes: long values must be cut", shown, len(msg))
		}
		for _, secret := range []string{"Pr0xy-Secret", "Ld4p-Secret"} {
			if strings.Contains(msg+out.String(), secret) {
				t.Errorf("%q: output repeats the password %q: %q", shown, secret, msg)
			}
		}
	}
}

// TestHostilePFXRefusedInCheckAndForm: a PFX whose MAC iteration count is
// 2^31 kept a core busy for minutes in check and in the wizard's form; both
// now refuse it at once with one line.
func TestHostilePFXRefusedInCheckAndForm(t *testing.T) {
	ca, err := lab.NewCA(lab.CAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Issue(lab.LeafSpec{CommonName: "replica.lab.test", ServerAuth: true, ClientAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	good, err := pkcs12.Modern.Encode(leaf.Key, leaf.Cert, leaf.Chain, "pw")
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Version  int
		AuthSafe asn1.RawValue
		MacData  struct {
			Mac        asn1.RawValue
			MacSalt    []byte
			Iterations int64
		}
	}
	if _, err := asn1.Unmarshal(good, &p); err != nil {
		t.Fatal(err)
	}
	p.MacData.Iterations = 1 << 31
	hostile, err := asn1.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(testutil.TempDir(t), "hostile.pfx")
	os.WriteFile(path, hostile, 0o600)

	var out, errb bytes.Buffer
	if code := dispatch([]string{"check", "--replica", "r1", "--auth", "certificate", "--cert", path}, &out, &errb); code != exitUsage ||
		!strings.Contains(errb.String(), "--cert") || !strings.Contains(errb.String(), "iterations") {
		t.Errorf("check: exit %d, %q; want exit 2 naming --cert and the iterations", code, errb.String())
	}
	parse := formParser(probes.Target{}, time.Second, "")
	if _, err := parse(tui.TargetFields{Replica: "r1", Auth: "certificate", Cert: path}); err == nil || !strings.Contains(err.Error(), "iterations") {
		t.Errorf("form: %v; want the iteration bound", err)
	}
}
