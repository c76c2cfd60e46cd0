package probes

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"software.sslmate.com/src/go-pkcs12"
)

// LoadedCert is the certificate hvrdoctor checks: the leaf, the other
// certificates that came with it, and its private key when the source
// holds one. The key is only used for the mutual-TLS handshake; it is never
// printed or written anywhere.
type LoadedCert struct {
	Leaf *x509.Certificate
	// Chain holds the other certificates of the source (intermediates,
	// root), in the order found.
	Chain []*x509.Certificate
	// Key is the private key, nil when absent or not exportable (a key in
	// the Windows store stays there: HasKey is set but Key is nil).
	Key    crypto.PrivateKey
	HasKey bool
	// Source says where the certificate came from: "PEM file x.pem",
	// "PFX file x.pfx", `LocalMachine\My (thumbprint ...)`.
	Source string
	// KeyNote says how the key was found or why it is missing.
	KeyNote string
}

// ErrPFXPassword means the PFX file needs a (different) password.
var ErrPFXPassword = errors.New("the PFX password is missing or wrong")

// IsThumbprint reports whether s looks like a certificate thumbprint: 40
// hex digits, optionally separated by spaces or colons (as certutil and the
// certificate dialog show them).
func IsThumbprint(s string) bool {
	_, ok := normalizeThumbprint(s)
	return ok
}

// normalizeThumbprint returns the upper-case hex form of a thumbprint.
func normalizeThumbprint(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', ':', '\u200e', '\u200f':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if len(s) != 40 {
		return "", false
	}
	if _, err := hex.DecodeString(s); err != nil {
		return "", false
	}
	return strings.ToUpper(s), true
}

// Thumbprint returns the SHA-1 thumbprint of c in upper-case hex, the form
// -CertificateThumbprint takes.
func Thumbprint(c *x509.Certificate) string {
	sum := sha1.Sum(c.Raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// LoadCertificate loads the certificate named by src: a PEM, DER or PFX
// file, or on Windows a thumbprint in LocalMachine\My. password opens a
// PFX. Errors are one line and name src.
func LoadCertificate(src, password string) (*LoadedCert, error) {
	if src == "" {
		return nil, errors.New("no certificate given: use --cert FILE or --cert THUMBPRINT")
	}
	if _, err := os.Stat(src); err != nil && IsThumbprint(src) {
		thumb, _ := normalizeThumbprint(src)
		return loadFromStore(thumb)
	}
	data, err := ReadInputFile("--cert", src, MaxCertFileSize)
	if err != nil {
		return nil, err
	}
	return LoadCertificateBytes(data, src, password)
}

// LoadCertificateBytes decodes data as PEM, DER or PFX (tried in that
// order). name is used in messages only. It never panics on bad input.
func LoadCertificateBytes(data []byte, name, password string) (lc *LoadedCert, err error) {
	defer func() {
		// Defence in depth: the decoders are third-party code fed with
		// whatever file the user points at.
		if v := recover(); v != nil {
			lc, err = nil, fmt.Errorf("certificate %s: cannot decode (%v)", name, v)
		}
	}()
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("certificate %s: file is empty", name)
	}
	if bytes.Contains(data, []byte("-----BEGIN")) {
		return loadPEM(data, name)
	}
	if certs, err := x509.ParseCertificates(data); err == nil && len(certs) > 0 {
		return &LoadedCert{
			Leaf: certs[0], Chain: certs[1:], Source: "DER file " + name,
			KeyNote: "a DER (.cer) file holds no private key",
		}, nil
	}
	return loadPFX(data, name, password)
}

func loadPEM(data []byte, name string) (*LoadedCert, error) {
	var certs []*x509.Certificate
	var key crypto.PrivateKey
	var keyErr error
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		switch {
		case block.Type == "CERTIFICATE":
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("certificate %s: bad CERTIFICATE block: %w", name, err)
			}
			certs = append(certs, c)
		case strings.HasSuffix(block.Type, "PRIVATE KEY"):
			if strings.Contains(block.Type, "ENCRYPTED") || block.Headers["Proc-Type"] != "" {
				keyErr = errors.New("the private key in the PEM file is encrypted: convert it to a PFX (with its password) or decrypt it")
				continue
			}
			k, err := parsePrivateKey(block.Bytes)
			if err != nil {
				keyErr = fmt.Errorf("bad %s block: %w", block.Type, err)
				continue
			}
			key = k
		}
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("certificate %s: no CERTIFICATE block in the PEM file", name)
	}
	lc := &LoadedCert{Source: "PEM file " + name}
	lc.Leaf, lc.Chain = pickLeaf(certs, key)
	switch {
	case key != nil && publicKeyMatches(lc.Leaf, key):
		lc.Key, lc.HasKey, lc.KeyNote = key, true, "private key in the PEM file, matching the certificate"
	case key != nil:
		lc.KeyNote = "the PEM file holds a private key that does not belong to the certificate"
	case keyErr != nil:
		lc.KeyNote = keyErr.Error()
	default:
		lc.KeyNote = "the PEM file holds no private key"
	}
	return lc, nil
}

func loadPFX(data []byte, name, password string) (*LoadedCert, error) {
	if err := checkPFXIterations(data); err != nil {
		return nil, fmt.Errorf("certificate %s: %w", name, err)
	}
	key, leaf, cas, err := pkcs12.DecodeChain(data, password)
	if err == nil {
		lc := &LoadedCert{Leaf: leaf, Chain: cas, Source: "PFX file " + name}
		if publicKeyMatches(leaf, key) {
			lc.Key, lc.HasKey, lc.KeyNote = key, true, "private key in the PFX file, matching the certificate"
		} else {
			lc.KeyNote = "the PFX file's private key does not belong to its certificate"
		}
		return lc, nil
	}
	if errors.Is(err, pkcs12.ErrIncorrectPassword) {
		return nil, fmt.Errorf("certificate %s: %w (give it with --cert-password-stdin)", name, ErrPFXPassword)
	}
	// A PFX with certificates but no key (an exported trust store).
	if certs, terr := pkcs12.DecodeTrustStore(data, password); terr == nil && len(certs) > 0 {
		return &LoadedCert{Leaf: certs[0], Chain: certs[1:], Source: "PFX file " + name,
			KeyNote: "the PFX file holds no private key (exported without it)"}, nil
	} else if errors.Is(terr, pkcs12.ErrIncorrectPassword) {
		return nil, fmt.Errorf("certificate %s: %w (give it with --cert-password-stdin)", name, ErrPFXPassword)
	}
	return nil, fmt.Errorf("certificate %s: not a PEM, DER or PFX certificate", name)
}

// PFXNeedsPassword reports whether data is a PFX that does not open with
// the empty password, so that the command line knows to ask for one.
func PFXNeedsPassword(data []byte) bool {
	if bytes.Contains(data, []byte("-----BEGIN")) {
		return false
	}
	if _, err := x509.ParseCertificates(data); err == nil {
		return false
	}
	_, err := LoadCertificateBytes(data, "", "")
	return errors.Is(err, ErrPFXPassword)
}

func parsePrivateKey(der []byte) (crypto.PrivateKey, error) {
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	return nil, errors.New("not a PKCS#8, PKCS#1 or EC private key")
}

// pickLeaf chooses the certificate the key belongs to (else the first
// non-CA certificate, else the first) and returns it with the others.
func pickLeaf(certs []*x509.Certificate, key crypto.PrivateKey) (*x509.Certificate, []*x509.Certificate) {
	idx := -1
	if key != nil {
		for i, c := range certs {
			if publicKeyMatches(c, key) {
				idx = i
				break
			}
		}
	}
	if idx < 0 {
		for i, c := range certs {
			if !c.IsCA {
				idx = i
				break
			}
		}
	}
	if idx < 0 {
		idx = 0
	}
	rest := make([]*x509.Certificate, 0, len(certs)-1)
	rest = append(rest, certs[:idx]...)
	rest = append(rest, certs[idx+1:]...)
	return certs[idx], rest
}

// publicKeyMatches reports whether key is the private half of c's key.
func publicKeyMatches(c *x509.Certificate, key crypto.PrivateKey) bool {
	if c == nil || key == nil {
		return false
	}
	type publicKeyer interface{ Public() crypto.PublicKey }
	pk, ok := key.(publicKeyer)
	if !ok {
		return false
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	switch pub := pk.Public().(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
		return pub.(equaler).Equal(c.PublicKey)
	}
	return false
}

// keyDescription names the certificate's public key: "RSA 2048-bit".
func keyDescription(c *x509.Certificate) (string, int) {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d-bit", k.N.BitLen()), k.N.BitLen()
	case *ecdsa.PublicKey:
		return fmt.Sprintf("ECDSA %s", k.Curve.Params().Name), k.Curve.Params().BitSize
	case ed25519.PublicKey:
		return "Ed25519", 256
	}
	return c.PublicKeyAlgorithm.String(), 0
}

// unwrapPathErr drops the path from an *os.PathError (the caller names it)
// and words the common causes the same on every OS (see osNeutralPathErr).
func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return osNeutralPathErr(pe.Err)
	}
	return osNeutralPathErr(err)
}
