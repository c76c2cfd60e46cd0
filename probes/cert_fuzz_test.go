package probes_test

import (
	"testing"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
)

// FuzzLoadCertificateBytes feeds arbitrary bytes to the PEM/DER/PFX
// loader: it must return a certificate or an error, never panic, and never
// claim a key it does not have.
func FuzzLoadCertificateBytes(f *testing.F) {
	ca, err := lab.NewCA(lab.CAOptions{KeyBits: 1024})
	if err != nil {
		f.Fatal(err)
	}
	leaf, err := ca.Issue(lab.LeafSpec{CommonName: "fuzz.lab.test", KeyBits: 1024, ServerAuth: true})
	if err != nil {
		f.Fatal(err)
	}
	pfx, err := leaf.PFX("pw")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(leaf.PEM(), "")
	f.Add(leaf.CertPEM(), "")
	f.Add(leaf.DER(), "")
	f.Add(pfx, "pw")
	f.Add(pfx, "")
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), "")
	f.Add([]byte{0x30, 0x82, 0xff, 0xff}, "")
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		lc, err := probes.LoadCertificateBytes(data, "fuzz", password)
		if err != nil {
			if lc != nil {
				t.Fatal("error with a certificate")
			}
			return
		}
		if lc.Leaf == nil {
			t.Fatal("no error and no certificate")
		}
		if lc.HasKey && lc.Key == nil {
			t.Fatal("HasKey without a key from a file")
		}
		_ = probes.Thumbprint(lc.Leaf)
	})
}

// FuzzPFXNeedsPassword must not panic either: the command line calls it
// on whatever file --cert names before asking for a password.
func FuzzPFXNeedsPassword(f *testing.F) {
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x03})
	f.Add([]byte("not a pfx"))
	f.Fuzz(func(t *testing.T, data []byte) {
		probes.PFXNeedsPassword(data)
	})
}
