package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
	"github.com/hvrdoctor/hvrdoctor/tui"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// Piped output gets a one-shot table of the top writers from the live
// sampler, not the full-screen UI, and exits 0.
func TestUIOneShotWhenNotATerminal(t *testing.T) {
	var out, errb bytes.Buffer
	code := dispatch([]string{"--interval", "250ms"}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d, stderr: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if !strings.HasPrefix(lines[0], "hvrdoctor: top writers on ") || !strings.Contains(lines[0], " over ") {
		t.Errorf("heading: %q", lines[0])
	}
	head := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "IMAGE") {
			head = i
		}
	}
	if head < 0 {
		if !strings.HasPrefix(lines[len(lines)-1], "no process wrote during the ") {
			t.Fatalf("neither a table nor the reason why none:\n%s", out.String())
		}
		return
	}
	for _, col := range []string{"PID", "CLASS", "WRITE/S", "READ/S", "WRITTEN"} {
		if !strings.Contains(lines[head], col) {
			t.Errorf("table heading lacks %s: %q", col, lines[head])
		}
	}
	if rows := len(lines) - head - 1; rows < 1 || rows > uiTopWriters {
		t.Errorf("%d rows, want 1..%d", rows, uiTopWriters)
	}
	if strings.Contains(out.String(), "\x1b[") {
		t.Errorf("piped output must carry no escape sequences")
	}
}

func TestUIFlagsRejectBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"ui", "--interval", "10ms"},
		{"ui", "--interval", "soon"},
		{"ui", "extra"},
		{"ui", "--rules", "/nonexistent/rules.txt"},
		{"ui", "--report-dir", "/nonexistent/reports"},
		{"ui", "--replica", "http://replica/"},
		{"ui", "--replica", "r1", "--proxy", "http//:garbage::"},
		{"ui", "--port", "0"},
		{"ui", "--kdc", "bad host"},
		{"ui", "--auth", "ntlm", "--replica", "r1"},
		{"ui", "--files", "maybe"},
	} {
		var out, errb bytes.Buffer
		if code := dispatch(args, &out, &errb); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
		msg := strings.TrimSpace(errb.String())
		if msg == "" || strings.Contains(msg, "\n") {
			t.Errorf("%v: want one line on stderr, got %q", args, msg)
		}
	}
}

// The wizard's form is validated by probes' one validator, as check's
// flags are: values land where --replica, --port, --kdc... put them, the
// timeout is kept from the command line, a field left empty is not given,
// and bad values are one-line errors naming the flag.
func TestFormParserUsesCheckFlags(t *testing.T) {
	base := probes.Target{Principal: "hvradmin", CertSource: "/old.pem", KDC: "old-dc:88"}
	parse := formParser(base, 2*time.Second, "")
	tg, err := parse(tui.TargetFields{Replica: "replica1.contoso.com", Port: "8080", Auth: "kerberos", Proxy: "http://proxy.contoso.com:3128",
		Bypass: "yes", KDC: "dc1.contoso.com", Realm: "contoso.com", VM: "SQL01", Principal: "hvradmin@CONTOSO.COM",
		LDAP: "ldap://dc1.contoso.com"})
	if err != nil {
		t.Fatal(err)
	}
	if tg.Replica != "replica1.contoso.com" || tg.Port != 8080 || tg.Auth != probes.AuthKerberos || tg.Proxy == nil ||
		tg.Proxy.Host != "proxy.contoso.com:3128" || !tg.BypassProxy || tg.KDC != "dc1.contoso.com:88" || tg.Realm != "CONTOSO.COM" ||
		tg.VMName != "SQL01" || tg.Timeout != 2*time.Second || tg.Principal == "" || tg.LDAPURL == "" {
		t.Errorf("target: %+v", tg)
	}
	if tg.CertSource != "" {
		t.Errorf("a certificate cleared in the form should be gone, got %q", tg.CertSource)
	}

	leaf, err := func() (*lab.Leaf, error) {
		ca, err := lab.NewCA(lab.CAOptions{})
		if err != nil {
			return nil, err
		}
		return ca.Issue(lab.LeafSpec{CommonName: "hv1.contoso.com"})
	}()
	if err != nil {
		t.Fatal(err)
	}
	pfx, err := leaf.PFX("secret")
	if err != nil {
		t.Fatal(err)
	}
	pfxPath := filepath.Join(testutil.TempDir(t), "hv1.pfx")
	if err := os.WriteFile(pfxPath, pfx, 0o600); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		f    tui.TargetFields
		want string
	}{
		{tui.TargetFields{}, "--replica"},
		{tui.TargetFields{Replica: "r1", Port: "0"}, `--port "0"`},
		{tui.TargetFields{Replica: "r1", Port: "http"}, "-port"},
		{tui.TargetFields{Replica: "r1", KDC: "bad host"}, "-kdc"},
		{tui.TargetFields{Replica: "r1", Realm: "a b"}, "-realm"},
		{tui.TargetFields{Replica: "r1", Cert: "/nonexistent/cert.pem"}, "-cert"},
		{tui.TargetFields{Replica: "r1", Auth: "certificate", CA: "/nonexistent/ca.pem"}, "--ca"},
		{tui.TargetFields{Replica: "r1", LDAP: "http://dc1"}, "--ldap"},
		{tui.TargetFields{Replica: "r1", Keytab: "/nonexistent/k.keytab"}, "--keytab"},
		{tui.TargetFields{Replica: "r1", Bypass: "perhaps"}, "--bypass-proxy"},
		{tui.TargetFields{Replica: "r1", VM: "a\"b"}, "--vm"},
	} {
		_, err := parse(c.f)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: error %v, want one line naming %s", c.f, err, c.want)
		}
	}
	// With the password from the command line, the same PFX is accepted.
	withPW := formParser(probes.Target{CertSource: pfxPath, CertPassword: "secret"}, time.Second, "")
	if tg, err := withPW(tui.TargetFields{Replica: "r1", Auth: "certificate", Cert: pfxPath}); err != nil || tg.CertPassword != "secret" {
		t.Errorf("PFX with the password given at start: %v", err)
	}
}

// The proxy placeholder says what an empty field will use, without the
// password a proxy URL may carry.
func TestProxyHintHidesThePassword(t *testing.T) {
	env := map[string]string{"HTTPS_PROXY": "http://alice:s3cret@proxy.contoso.com:3128"}
	got := proxyHint(func(k string) string { return env[k] })
	if strings.Contains(got, "s3cret") || !strings.Contains(got, "proxy.contoso.com:3128") || !strings.Contains(got, "HTTPS_PROXY") {
		t.Errorf("hint %q", got)
	}
}

// Commands copied in the UI are printed after it closes.
func TestPrintCopied(t *testing.T) {
	var b bytes.Buffer
	printCopied(&b, nil)
	if b.Len() != 0 {
		t.Errorf("nothing copied, nothing printed: %q", b.String())
	}
	printCopied(&b, []string{"Set-VMReplication -VMName SQL01 -BypassProxyServer $true"})
	if !strings.Contains(b.String(), "\n  Set-VMReplication -VMName SQL01 -BypassProxyServer $true\n") {
		t.Errorf("printed %q", b.String())
	}
}

// --files has record's meaning: off says so in the Files tab, auto shows
// why no backend could run, on refuses to start without one.
func TestUIFilesModes(t *testing.T) {
	env := testEnv(io.Discard, io.Discard)
	env.OpenFileSource = func(bool) (fileio.Source, error) {
		return nil, errors.New("per-file activity: no backend works: eBPF: operation not permitted")
	}
	env.OpenFileSourceAsync = nil // the synchronous path; TestUIFilesAutoLoadsInBackground has the other
	src, note, err := openUIFiles(env, filesFlags{mode: filesOff})
	if src != nil || err != nil || !strings.Contains(note, "--files off") {
		t.Errorf("off: %v %q %v", src, note, err)
	}
	src, note, err = openUIFiles(env, filesFlags{mode: filesAuto})
	if src != nil || err != nil || !strings.Contains(note, "no backend works: eBPF: operation not permitted") {
		t.Errorf("auto without a backend: %v %q %v", src, note, err)
	}
	_, _, err = openUIFiles(env, filesFlags{mode: filesOn})
	if err == nil || !strings.Contains(err.Error(), "--files on: ") || !strings.Contains(err.Error(), "use --files off") {
		t.Errorf("on without a backend: %v", err)
	}
	if uiFileSource(nil) != nil {
		t.Errorf("no source must be a nil interface, not a typed nil")
	}
}

// As root on Linux, auto opens a real backend (eBPF here) for the Files
// tab.
func TestUIFilesAutoOpensARealBackend(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("opens the Linux eBPF backend; on Windows (and wine) TestUIFilesAutoLoadsInBackground covers the ETW path")
	}
	if os.Geteuid() != 0 {
		testutil.SkipOrFail(t, "opening a per-file backend for every process needs root on Linux")
	}
	src, note, err := openUIFiles(testEnv(io.Discard, io.Discard), filesFlags{mode: filesAuto})
	if err != nil || src == nil {
		t.Fatalf("auto as root: %v %q %v", src, note, err)
	}
	defer src.Close()
	if b := src.Info().Backend; b == "" || note != "" {
		t.Errorf("backend %q, note %q", b, note)
	}
}

// With --files auto the UI does not wait for the per-file backend: the
// source says it is loading, then is the backend Open would give.
func TestUIFilesAutoLoadsInBackground(t *testing.T) {
	src, note, err := openUIFiles(testEnv(io.Discard, io.Discard), filesFlags{mode: filesAuto})
	if err != nil || note != "" || src == nil {
		t.Fatalf("auto: %v %q %v, want a source at once", src, note, err)
	}
	defer src.Close()
	deadline := time.Now().Add(10 * time.Second)
	for src.Info().Backend == fileio.LoadingBackend && time.Now().Before(deadline) {
		iv, err := src.Read(context.Background())
		if err != nil || iv.Elapsed != 0 || len(iv.Files) != 0 {
			t.Fatalf("while loading: Read = %+v, %v; want an empty baseline", iv, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if b := src.Info().Backend; b == "" && testutil.UnderWine() {
		// Wine refuses ETW sessions: the source must say so, not stay loading.
		if r := src.Info().Reason; !strings.Contains(r, "ETW") {
			t.Errorf("under wine: Info() = %+v, want the ETW refusal as the reason", src.Info())
		}
	} else if b == fileio.LoadingBackend || b == "" {
		t.Errorf("after loading: Info().Backend = %q (%s), want the backend Open picks", b, src.Info().Reason)
	}
}
