package probes

import (
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"os"
	"strings"
	"testing"
)

// TestCertNameWithoutFlagLooksNothingUp: without --cert-name the name check
// looked this machine's host name up in DNS (a name the user never gave).
// Now it uses the host name only when the system already knows it as an
// FQDN, and otherwise says to pass --cert-name.
func TestCertNameWithoutFlagLooksNothingUp(t *testing.T) {
	h, err := os.Hostname()
	if err != nil {
		t.Skip("no host name here")
	}
	lc := &LoadedCert{Leaf: &x509.Certificate{Subject: pkix.Name{CommonName: "replica.lab.test"}, DNSNames: []string{"replica.lab.test"}}}
	res := checkName(context.Background(), &Target{}, lc)
	if strings.Contains(strings.TrimSuffix(h, "."), ".") {
		if !strings.Contains(strings.Join(res.Evidence, " "), strings.ToLower(h)) {
			t.Errorf("host name %s is an FQDN but the check does not use it: %v", h, res.Evidence)
		}
		return
	}
	if res.Status != StatusSkip || !strings.Contains(res.Summary, "--cert-name") || !strings.Contains(strings.Join(res.Evidence, " "), "not looked up") {
		t.Errorf("short host name %q: %s %q %v; want a skip asking for --cert-name", h, res.Status, res.Summary, res.Evidence)
	}
	if fixes := fixesNewCert(&Target{}, lc); !strings.Contains(fixes[1].Command, "<FQDN of this server>") {
		t.Errorf("the fix names a guessed FQDN: %s", fixes[1].Command)
	}
}
