package lab

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"strings"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// Object identifiers of the two extended key usages Hyper-V Replica
// certificates need.
const (
	OIDServerAuth = "1.3.6.1.5.5.7.3.1"
	OIDClientAuth = "1.3.6.1.5.5.7.3.2"
)

// CA is a lab certificate authority: a self-signed root that issues leaf
// certificates and signs CRLs. Generated with crypto/x509, no openssl.
type CA struct {
	Cert *x509.Certificate
	Key  *rsa.PrivateKey
}

// CAOptions configure NewCA. Zero values get defaults.
type CAOptions struct {
	// Name is the root's common name (default "hvrdoctor Lab Root CA").
	Name string
	// Now is the reference time (default time.Now()); the root is valid
	// from five years before to ten years after.
	Now time.Time
	// KeyBits defaults to 2048.
	KeyBits int
}

// NewCA creates a self-signed root certificate authority.
func NewCA(opt CAOptions) (*CA, error) {
	if opt.Name == "" {
		opt.Name = "hvrdoctor Lab Root CA"
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.KeyBits == 0 {
		opt.KeyBits = 2048
	}
	key, err := rsa.GenerateKey(rand.Reader, opt.KeyBits)
	if err != nil {
		return nil, fmt.Errorf("lab ca %q: key: %w", opt.Name, err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: opt.Name, Organization: []string{"hvrdoctor lab"}},
		NotBefore:             opt.Now.Add(-5 * 365 * 24 * time.Hour),
		NotAfter:              opt.Now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("lab ca %q: %w", opt.Name, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("lab ca %q: %w", opt.Name, err)
	}
	return &CA{Cert: cert, Key: key}, nil
}

// LeafSpec describes one leaf certificate. Zero values get defaults that
// make a certificate Hyper-V Replica accepts, except the EKUs, which are
// given explicitly.
type LeafSpec struct {
	CommonName string
	DNSNames   []string
	// ServerAuth and ClientAuth add the two EKUs.
	ServerAuth bool
	ClientAuth bool
	// NotBefore and NotAfter default to a day ago and a year from now.
	NotBefore time.Time
	NotAfter  time.Time
	// Key is reused when set (generating RSA keys is slow); otherwise a
	// new key of KeyBits (default 2048) is generated.
	Key     *rsa.PrivateKey
	KeyBits int
	// CRLURLs and OCSPURLs are the revocation endpoints written into the
	// certificate (CRL distribution points, authority information access).
	CRLURLs  []string
	OCSPURLs []string
}

// Leaf is an issued certificate with its private key and issuer chain.
type Leaf struct {
	Cert *x509.Certificate
	Key  *rsa.PrivateKey
	// Chain is the issuer chain up to and including the root.
	Chain []*x509.Certificate
}

// Issue signs a leaf certificate for spec.
func (ca *CA) Issue(spec LeafSpec) (*Leaf, error) {
	now := time.Now()
	if spec.NotBefore.IsZero() {
		spec.NotBefore = now.Add(-24 * time.Hour)
	}
	if spec.NotAfter.IsZero() {
		spec.NotAfter = now.Add(365 * 24 * time.Hour)
	}
	key := spec.Key
	if key == nil {
		bits := spec.KeyBits
		if bits == 0 {
			bits = 2048
		}
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			return nil, fmt.Errorf("lab leaf %q: key: %w", spec.CommonName, err)
		}
		key = k
	}
	tmpl := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: spec.CommonName, Organization: []string{"hvrdoctor lab"}},
		DNSNames:              spec.DNSNames,
		NotBefore:             spec.NotBefore,
		NotAfter:              spec.NotAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
		CRLDistributionPoints: spec.CRLURLs,
		OCSPServer:            spec.OCSPURLs,
	}
	if spec.ServerAuth {
		tmpl.ExtKeyUsage = append(tmpl.ExtKeyUsage, x509.ExtKeyUsageServerAuth)
	}
	if spec.ClientAuth {
		tmpl.ExtKeyUsage = append(tmpl.ExtKeyUsage, x509.ExtKeyUsageClientAuth)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		return nil, fmt.Errorf("lab leaf %q: %w", spec.CommonName, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("lab leaf %q: %w", spec.CommonName, err)
	}
	return &Leaf{Cert: cert, Key: key, Chain: []*x509.Certificate{ca.Cert}}, nil
}

// CRL returns an empty DER certificate revocation list signed by ca, valid
// for a day from now.
func (ca *CA) CRL(now time.Time) ([]byte, error) {
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number:     big.NewInt(now.Unix()),
		ThisUpdate: now.Add(-time.Hour),
		NextUpdate: now.Add(24 * time.Hour),
	}, ca.Cert, ca.Key)
	if err != nil {
		return nil, fmt.Errorf("lab ca %q: crl: %w", ca.Cert.Subject.CommonName, err)
	}
	return der, nil
}

// CertPEM returns the root certificate as PEM (what `certutil -addstore
// Root` imports, and what --ca reads).
func (ca *CA) CertPEM() []byte { return certPEM(ca.Cert) }

// CertPEM returns the leaf certificate alone, as PEM.
func (l *Leaf) CertPEM() []byte { return certPEM(l.Cert) }

// KeyPEM returns the private key as PKCS#1 PEM ("RSA PRIVATE KEY").
func (l *Leaf) KeyPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(l.Key)})
}

// PEM returns the leaf certificate followed by its private key, the way
// many tools write a combined PEM file.
func (l *Leaf) PEM() []byte { return append(l.CertPEM(), l.KeyPEM()...) }

// DER returns the leaf certificate in DER form (a .cer file).
func (l *Leaf) DER() []byte { return l.Cert.Raw }

// PFX returns a PKCS#12 file holding the key, the leaf and its chain,
// encrypted with password (modern AES algorithms).
func (l *Leaf) PFX(password string) ([]byte, error) {
	pfx, err := pkcs12.Modern.Encode(l.Key, l.Cert, l.Chain, password)
	if err != nil {
		return nil, fmt.Errorf("lab leaf %q: pfx: %w", l.Cert.Subject.CommonName, err)
	}
	return pfx, nil
}

// TLSCertificate returns the leaf for a crypto/tls server or client.
func (l *Leaf) TLSCertificate() tls.Certificate {
	raw := [][]byte{l.Cert.Raw}
	for _, c := range l.Chain {
		raw = append(raw, c.Raw)
	}
	return tls.Certificate{Certificate: raw, PrivateKey: crypto.Signer(l.Key), Leaf: l.Cert}
}

// Thumbprint is the certificate's SHA-1 hash in upper-case hex, as Windows
// shows it and -CertificateThumbprint takes it.
func (l *Leaf) Thumbprint() string {
	sum := sha1.Sum(l.Cert.Raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// WriteFile writes data to path readable by the owner only (it may hold a
// private key).
func WriteFile(path string, data []byte) error {
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("lab: write %s: %w", path, err)
	}
	return nil
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func randomSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return n.Add(n, big.NewInt(1))
}
