package probes_test

import (
	"context"
	"crypto/x509"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
	"github.com/hvrdoctor/hvrdoctor/probes/lab/labtest"
)

// certRun runs every certificate rule for t and returns the results by ID.
func certRun(t *testing.T, tg *probes.Target) map[string]probes.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out := map[string]probes.Result{}
	for _, c := range probes.CertificateChecks() {
		res := c.Run(ctx, tg)
		out[c.ID()] = res
		for _, ev := range res.Evidence {
			if strings.Contains(ev, "PRIVATE KEY") || strings.Contains(ev, "s3cret") {
				t.Errorf("%s evidence leaks a secret: %q", c.ID(), ev)
			}
		}
	}
	return out
}

func fixCommands(r probes.Result) string {
	var b strings.Builder
	for _, f := range r.Fixes {
		b.WriteString(f.Text + "\n" + f.Command + "\n")
	}
	return b.String()
}

// TestCertificateMatrix runs the certificate rules and a real mutual-TLS
// handshake (against a loopback listener that requires client certificates)
// for each certificate of the lab matrix.
func TestCertificateMatrix(t *testing.T) {
	m, srv := labtest.CertMatrixServer(t, "replica.lab.test")
	dir := testutil.TempDir(t)
	rootFile := filepath.Join(dir, "root.pem")
	if err := lab.WriteFile(rootFile, m.Root.CertPEM()); err != nil {
		t.Fatal(err)
	}
	host, port := splitHostPort(t, srv.Addr)

	P, W, F, S := probes.StatusPass, probes.StatusWarn, probes.StatusFail, probes.StatusSkip
	type want struct {
		status map[string]probes.Status
		codes  map[string]string // id -> code that must be listed
		fixes  map[string]string // id -> text that must appear in the fixes
	}
	allPass := func(over map[string]probes.Status) map[string]probes.Status {
		s := map[string]probes.Status{}
		for _, c := range probes.CertificateChecks() {
			s[c.ID()] = P
		}
		for k, v := range over {
			s[k] = v
		}
		return s
	}
	cases := map[string]want{
		lab.CaseGood: {status: allPass(nil)},
		lab.CaseServerEKUOnly: {status: allPass(map[string]probes.Status{probes.IDCertEKU: F, probes.IDCertMutualTLS: F}),
			fixes: map[string]string{probes.IDCertEKU: "1.3.6.1.5.5.7.3.1,1.3.6.1.5.5.7.3.2"}},
		lab.CaseClientEKUOnly: {status: allPass(map[string]probes.Status{probes.IDCertEKU: F}),
			fixes: map[string]string{probes.IDCertEKU: `New-SelfSignedCertificate -DnsName 'replica.lab.test'`}},
		lab.CaseCNMismatchSAN: {status: allPass(nil)},
		lab.CaseWildcard:      {status: allPass(nil)},
		lab.CaseExpired: {status: allPass(map[string]probes.Status{probes.IDCertValidity: F, probes.IDCertMutualTLS: F}),
			codes: map[string]string{probes.IDCertValidity: "0x800B0101"},
			fixes: map[string]string{probes.IDCertValidity: "Set-VMReplicationServer -CertificateThumbprint"}},
		lab.CaseNotYetValid: {status: allPass(map[string]probes.Status{probes.IDCertValidity: F, probes.IDCertMutualTLS: F}),
			fixes: map[string]string{probes.IDCertValidity: "w32tm"}},
		lab.CaseExpiresIn10Days: {status: allPass(map[string]probes.Status{probes.IDCertValidity: W})},
		lab.CaseUntrustedRoot: {status: allPass(map[string]probes.Status{probes.IDCertChain: F, probes.IDCertRevocation: W, probes.IDCertMutualTLS: F}),
			codes: map[string]string{probes.IDCertChain: "0x800B0109", probes.IDCertMutualTLS: "0x800B0109"},
			fixes: map[string]string{probes.IDCertChain: "certutil -addstore -f Root", probes.IDCertMutualTLS: "certutil -addstore -f Root"}},
		lab.CaseRSA1024: {status: allPass(map[string]probes.Status{probes.IDCertKeySize: W}),
			fixes: map[string]string{probes.IDCertKeySize: "-KeyLength 2048"}},
		lab.CaseNoPrivateKey: {status: allPass(map[string]probes.Status{probes.IDCertPrivateKey: F, probes.IDCertMutualTLS: S}),
			fixes: map[string]string{probes.IDCertPrivateKey: "Import-PfxCertificate"}},
		lab.CaseCRLClosedPort: {status: allPass(map[string]probes.Status{probes.IDCertRevocation: F}),
			codes: map[string]string{probes.IDCertRevocation: "0x80092013"},
			fixes: map[string]string{probes.IDCertRevocation: `reg add "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Virtualization\Replication" /v DisableCertRevocationCheck /t REG_DWORD /d 1 /f`}},
	}
	for _, mc := range m.Cases {
		w, ok := cases[mc.Name]
		if !ok {
			t.Errorf("matrix case %s has no expectation", mc.Name)
			continue
		}
		t.Run(mc.Name, func(t *testing.T) {
			file := filepath.Join(dir, mc.Name+".pem")
			data := mc.Leaf.PEM()
			if mc.NoKey {
				data = mc.Leaf.CertPEM()
			}
			if err := lab.WriteFile(file, data); err != nil {
				t.Fatal(err)
			}
			tg := &probes.Target{Replica: host, Port: port, Auth: probes.AuthCertificate, Timeout: 3 * time.Second,
				CertSource: file, CABundle: rootFile, CertName: "replica.lab.test"}
			got := certRun(t, tg)
			for id, st := range w.status {
				if got[id].Status != st {
					t.Errorf("%s: status %s, want %s: %s %v", id, got[id].Status, st, got[id].Summary, got[id].Evidence)
				}
			}
			for id, code := range w.codes {
				if !strings.Contains(strings.Join(got[id].Codes, " "), code) {
					t.Errorf("%s: codes %v, want %s", id, got[id].Codes, code)
				}
			}
			for id, text := range w.fixes {
				if !strings.Contains(fixCommands(got[id]), text) {
					t.Errorf("%s: fixes lack %q:\n%s", id, text, fixCommands(got[id]))
				}
			}
		})
	}
}

// TestCertificateFormats loads the same certificate as PEM, DER and a
// password-protected PFX.
func TestCertificateFormats(t *testing.T) {
	ca, err := lab.NewCA(lab.CAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Issue(lab.LeafSpec{CommonName: "replica.lab.test", DNSNames: []string{"replica.lab.test"}, ServerAuth: true, ClientAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	dir := testutil.TempDir(t)
	pfx, err := leaf.PFX("s3cret")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"c.pem": leaf.PEM(), "c.cer": leaf.DER(), "c.pfx": pfx}
	for name, data := range files {
		if err := lab.WriteFile(filepath.Join(dir, name), data); err != nil {
			t.Fatal(err)
		}
	}
	for name, wantKey := range map[string]bool{"c.pem": true, "c.cer": false, "c.pfx": true} {
		lc, err := probes.LoadCertificate(filepath.Join(dir, name), "s3cret")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if probes.Thumbprint(lc.Leaf) != leaf.Thumbprint() || lc.HasKey != wantKey {
			t.Errorf("%s: thumbprint %s key %v, want %s key %v", name, probes.Thumbprint(lc.Leaf), lc.HasKey, leaf.Thumbprint(), wantKey)
		}
	}
	if len(filesChain(t, filepath.Join(dir, "c.pfx"))) != 1 {
		t.Error("PFX chain should hold the lab root")
	}
	_, err = probes.LoadCertificate(filepath.Join(dir, "c.pfx"), "hunter2x")
	if err == nil || !strings.Contains(err.Error(), "password") || strings.Contains(err.Error(), "hunter2x") {
		t.Errorf("wrong PFX password: %v (must name the password problem, never echo it)", err)
	}
	if !probes.PFXNeedsPassword(pfx) || probes.PFXNeedsPassword(leaf.PEM()) {
		t.Error("PFXNeedsPassword: want true for the protected PFX, false for PEM")
	}
	garbage := filepath.Join(dir, "garbage.pem")
	lab.WriteFile(garbage, []byte("hello, not a certificate"))
	for _, src := range []string{garbage, filepath.Join(dir, "missing.pem")} {
		_, err := probes.LoadCertificate(src, "")
		if err == nil || !strings.Contains(err.Error(), src) || strings.Contains(err.Error(), "\n") {
			t.Errorf("LoadCertificate(%s) = %v: want a one-line error naming the file", src, err)
		}
	}
}

func filesChain(t *testing.T, path string) []*x509.Certificate {
	lc, err := probes.LoadCertificate(path, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	return lc.Chain
}
