package cli

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
)

// TestURLSecretsNeverShown: a password in a proxy URL (--proxy,
// HTTP_PROXY, HTTPS_PROXY) or a directory URL (--ldap) appears in no
// message, report (text, JSON, Markdown) or wizard form field.
func TestURLSecretsNeverShown(t *testing.T) {
	closed, err := lab.ClosedPort()
	if err != nil {
		t.Fatal(err)
	}
	const secret = "Url-Secret-77"
	runs := []struct {
		args []string
		env  []string
	}{
		{[]string{"--proxy", "http://hvr:" + secret + "@" + closed}, nil},
		{[]string{"--proxy", "hvr:" + secret + "@" + closed}, nil},
		{[]string{"--proxy", "http://hvr:" + secret + "@" + closed + "/path"}, nil},
		{[]string{"--proxy", "socks5://hvr:" + secret + "@" + closed}, nil},
		{nil, []string{"HTTP_PROXY=http://hvr:" + secret + "@" + closed}},
		{nil, []string{"HTTP_PROXY=ftp://hvr:" + secret + "@" + closed}},
		{[]string{"--auth", "certificate"}, []string{"HTTPS_PROXY=http://hvr:" + secret + "@" + closed}},
		{[]string{"--ldap", "ldap://hvr:" + secret + "@" + closed}, nil},
	}
	for _, r := range runs {
		for _, format := range []string{"text", "json", "markdown"} {
			args := append([]string{"check", "--replica", "127.0.0.1", "--port", strings.Split(closed, ":")[1], "--timeout", "500ms", "--format", format}, r.args...)
			cmd := exec.Command(testutil.Binary(t), args...)
			cmd.Env = append(noProxyEnv(), r.env...)
			var o, e bytes.Buffer
			cmd.Stdout, cmd.Stderr = &o, &e
			cmd.Run()
			if out := o.String() + e.String(); strings.Contains(out, secret) || out == "" {
				t.Errorf("%v %v: the password appears (or no output):\n%s", r.args, r.env, out)
			}
		}
	}

	// The wizard's form: the proxy field shows no password, and the
	// parser puts it back when the field is left as shown.
	o, code, ok := parseUI([]string{"--proxy", "http://hvr:" + secret + "@proxy.lab.test:3128"}, &bytes.Buffer{}, &bytes.Buffer{})
	if !ok || code != exitOK {
		t.Fatalf("parse: %d", code)
	}
	f := o.target.fields()
	if strings.Contains(f.Proxy, secret) || !strings.Contains(f.Proxy, "proxy.lab.test:3128") {
		t.Errorf("form proxy field %q", f.Proxy)
	}
	f.Replica = "r1"
	tg, err := formParser(*o.target.t, 0, o.target.in.ProxyURL)(f)
	if err != nil {
		t.Fatal(err)
	}
	if pw, _ := tg.Proxy.User.Password(); pw != secret {
		t.Errorf("the form parser lost the proxy password")
	}
	if h := proxyHint(func(k string) string {
		if k == "HTTPS_PROXY" {
			return "hvr:" + secret + "@proxy:3128"
		}
		return ""
	}); strings.Contains(h, secret) {
		t.Errorf("proxy hint shows the password: %s", h)
	}
}
