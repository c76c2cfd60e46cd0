package probes_test

import (
	"encoding/asn1"
	"errors"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
)

// setPFXMacIterations re-encodes a PFX with another MAC iteration count
// (the MAC no longer verifies, which the bound check never gets to).
func setPFXMacIterations(t *testing.T, pfx []byte, n int64) []byte {
	t.Helper()
	var p struct {
		Version  int
		AuthSafe asn1.RawValue
		MacData  struct {
			Mac        asn1.RawValue
			MacSalt    []byte
			Iterations int64
		}
	}
	if _, err := asn1.Unmarshal(pfx, &p); err != nil {
		t.Fatal(err)
	}
	p.MacData.Iterations = n
	out, err := asn1.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPFXIterationBound: a PFX whose MAC or PBKDF2 iteration count was set
// to 2^31 kept a core busy for minutes, in check and in the TUI form. It is
// now refused before any key is derived; ordinary exports still load.
func TestPFXIterationBound(t *testing.T) {
	ca, err := lab.NewCA(lab.CAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Issue(lab.LeafSpec{CommonName: "replica.lab.test", DNSNames: []string{"replica.lab.test"}, ServerAuth: true, ClientAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	good, err := pkcs12.Modern.WithIterations(2048).Encode(leaf.Key, leaf.Cert, leaf.Chain, "pw")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := probes.LoadCertificateBytes(good, "good.pfx", "pw"); err != nil {
		t.Fatalf("an ordinary PFX (2048 iterations) is refused: %v", err)
	}
	legacy, err := pkcs12.LegacyDES.Encode(leaf.Key, leaf.Cert, leaf.Chain, "pw")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := probes.LoadCertificateBytes(legacy, "legacy.pfx", "pw"); err != nil {
		t.Fatalf("a legacy 3DES PFX is refused: %v", err)
	}

	heavy, err := pkcs12.Modern.WithIterations(probes.MaxPFXIterations+1).Encode(leaf.Key, leaf.Cert, leaf.Chain, "pw")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		pfx  []byte
		want string
	}{
		"MAC 2^31":          {setPFXMacIterations(t, good, 1<<31), "MAC 2147483648 iterations"},
		"MAC 2^62":          {setPFXMacIterations(t, good, 1<<62), "MAC"},
		"PBKDF2 over bound": {setPFXMacIterations(t, heavy, 1), "PBKDF2 1000001 iterations"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := probes.LoadCertificateBytes(c.pfx, "hostile.pfx", "pw")
			if !errors.Is(err, probes.ErrPFXIterations) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v; want one line with ErrPFXIterations saying %q", err, c.want)
			}
			if probes.PFXNeedsPassword(c.pfx) {
				t.Error("PFXNeedsPassword derives keys for a hostile PFX (and would prompt)")
			}
			// Not a performance figure: the unbounded case takes minutes.
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("refusing took %s", d)
			}
		})
	}
}
