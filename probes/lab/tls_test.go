package lab

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestMutualTLSServerRequiresATrustedClientCertificate(t *testing.T) {
	m, err := BuildCertMatrix(MatrixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	good, _ := m.Case(CaseGood)
	untrusted, _ := m.Case(CaseUntrustedRoot)
	roots := x509.NewCertPool()
	roots.AddCert(m.Root.Cert)
	srv, err := StartMutualTLS(good.Leaf, roots)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	get := func(client *Leaf) error {
		cfg := &tls.Config{RootCAs: roots, ServerName: m.Host}
		if client != nil {
			cfg.Certificates = []tls.Certificate{client.TLSCertificate()}
		}
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
		defer c.CloseIdleConnections()
		resp, err := c.Get("https://" + srv.Addr + "/")
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, err = io.ReadAll(resp.Body)
		return err
	}
	if err := get(good.Leaf); err != nil {
		t.Fatalf("trusted client certificate refused: %v", err)
	}
	if got := srv.Accepted(); len(got) != 1 || !strings.Contains(got[0], m.Host) {
		t.Fatalf("accepted = %v, want the good certificate's subject", got)
	}
	if err := get(untrusted.Leaf); err == nil {
		t.Fatal("client certificate from an untrusted root was accepted")
	}
	if err := get(nil); err == nil {
		t.Fatal("connection without a client certificate was accepted")
	}

	// The CRL distribution point of the matrix answers with a parsable CRL.
	resp, err := http.Get(m.CRLURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if _, err := x509.ParseRevocationList(body); err != nil {
		t.Fatalf("CRL at %s: %v", m.CRLURL, err)
	}
	for _, c := range m.Cases {
		if c.Leaf == nil || c.Leaf.Cert == nil {
			t.Errorf("case %s has no certificate", c.Name)
		}
	}
}

func TestLeafPFXRoundTrip(t *testing.T) {
	ca, err := NewCA(CAOptions{KeyBits: 2048})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Issue(LeafSpec{CommonName: "h.lab.test", ServerAuth: true, ClientAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	pfx, err := leaf.PFX("pw")
	if err != nil {
		t.Fatal(err)
	}
	if len(pfx) == 0 || len(leaf.Thumbprint()) != 40 {
		t.Fatalf("pfx %d bytes, thumbprint %q", len(pfx), leaf.Thumbprint())
	}
}
