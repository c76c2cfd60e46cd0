package lab

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"time"
)

// Names of the certificate matrix cases.
const (
	CaseGood            = "good"
	CaseServerEKUOnly   = "server-eku-only"
	CaseClientEKUOnly   = "client-eku-only"
	CaseCNMismatchSAN   = "cn-mismatch-san-match"
	CaseWildcard        = "wildcard"
	CaseExpired         = "expired"
	CaseNotYetValid     = "not-yet-valid"
	CaseUntrustedRoot   = "untrusted-root"
	CaseRSA1024         = "rsa-1024"
	CaseNoPrivateKey    = "no-private-key"
	CaseCRLClosedPort   = "crl-closed-port"
	CaseExpiresIn10Days = "expires-in-10-days"
)

// MatrixCase is one certificate of the matrix. NoKey marks the case whose
// file must be written without its private key.
type MatrixCase struct {
	Name  string
	Leaf  *Leaf
	NoKey bool
	// What says in a few words what is wrong (or right) with it.
	What string
}

// CertMatrix is a set of certificates for one host name, each broken in
// one way, issued by a trusted lab root (except the untrusted case), with
// a CRL distribution point served on loopback.
type CertMatrix struct {
	// Host is the FQDN the certificates are for (for example
	// replica.lab.test); Domain is its parent (lab.test).
	Host, Domain string
	// Root is the trusted lab root; Other is a root nobody trusts.
	Root, Other *CA
	// CRL serves Root's CRL at /root.crl; CRLURL is its address.
	CRL    *HTTPFileServer
	CRLURL string
	Cases  []MatrixCase
}

// MatrixOptions configure BuildCertMatrix.
type MatrixOptions struct {
	// Host defaults to replica.lab.test.
	Host string
	// Now is the reference time (default time.Now()).
	Now time.Time
}

// BuildCertMatrix generates the matrix and starts the CRL server. Call
// Close to stop it.
func BuildCertMatrix(opt MatrixOptions) (*CertMatrix, error) {
	if opt.Host == "" {
		opt.Host = "replica.lab.test"
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	domain := opt.Host
	for i := 0; i < len(opt.Host); i++ {
		if opt.Host[i] == '.' {
			domain = opt.Host[i+1:]
			break
		}
	}
	m := &CertMatrix{Host: opt.Host, Domain: domain}
	var err error
	if m.Root, err = NewCA(CAOptions{Name: "hvrdoctor Lab Root CA", Now: opt.Now}); err != nil {
		return nil, err
	}
	if m.Other, err = NewCA(CAOptions{Name: "Untrusted Lab Root CA", Now: opt.Now}); err != nil {
		return nil, err
	}
	crl, err := m.Root.CRL(opt.Now)
	if err != nil {
		return nil, err
	}
	if m.CRL, err = StartHTTPFileServer(map[string][]byte{"/root.crl": crl}); err != nil {
		return nil, err
	}
	m.CRLURL = m.CRL.URL + "/root.crl"
	closed, err := ClosedPort()
	if err != nil {
		m.Close()
		return nil, err
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		m.Close()
		return nil, fmt.Errorf("lab matrix: key: %w", err)
	}
	day := 24 * time.Hour
	both := func(s LeafSpec) LeafSpec {
		s.ServerAuth, s.ClientAuth = true, true
		if s.Key == nil && s.KeyBits == 0 {
			s.Key = key
		}
		if s.NotBefore.IsZero() {
			s.NotBefore = opt.Now.Add(-day)
		}
		if s.NotAfter.IsZero() {
			s.NotAfter = opt.Now.Add(365 * day)
		}
		if s.CRLURLs == nil {
			s.CRLURLs = []string{m.CRLURL}
		}
		return s
	}
	specs := []struct {
		name, what string
		ca         *CA
		spec       LeafSpec
		noKey      bool
	}{
		{CaseGood, "both EKUs, CN and SAN match, trusted root, reachable CRL", m.Root,
			both(LeafSpec{CommonName: opt.Host, DNSNames: []string{opt.Host}}), false},
		{CaseServerEKUOnly, "Server Authentication EKU only", m.Root,
			LeafSpec{CommonName: opt.Host, DNSNames: []string{opt.Host}, ServerAuth: true, Key: key, CRLURLs: []string{m.CRLURL}}, false},
		{CaseClientEKUOnly, "Client Authentication EKU only", m.Root,
			LeafSpec{CommonName: opt.Host, DNSNames: []string{opt.Host}, ClientAuth: true, Key: key, CRLURLs: []string{m.CRLURL}}, false},
		{CaseCNMismatchSAN, "CN names another host, a SAN names this one", m.Root,
			both(LeafSpec{CommonName: "other." + domain, DNSNames: []string{"other." + domain, opt.Host}}), false},
		{CaseWildcard, "wildcard *." + domain, m.Root,
			both(LeafSpec{CommonName: "*." + domain, DNSNames: []string{"*." + domain}}), false},
		{CaseExpired, "expired ten days ago", m.Root,
			both(LeafSpec{CommonName: opt.Host, DNSNames: []string{opt.Host}, NotBefore: opt.Now.Add(-400 * day), NotAfter: opt.Now.Add(-10 * day)}), false},
		{CaseNotYetValid, "valid only from ten days ahead", m.Root,
			both(LeafSpec{CommonName: opt.Host, DNSNames: []string{opt.Host}, NotBefore: opt.Now.Add(10 * day), NotAfter: opt.Now.Add(400 * day)}), false},
		{CaseExpiresIn10Days, "expires in ten days", m.Root,
			both(LeafSpec{CommonName: opt.Host, DNSNames: []string{opt.Host}, NotAfter: opt.Now.Add(10 * day)}), false},
		{CaseUntrustedRoot, "issued by a root the peer does not trust", m.Other,
			both(LeafSpec{CommonName: opt.Host, DNSNames: []string{opt.Host}, CRLURLs: []string{}}), false},
		{CaseRSA1024, "1024-bit RSA key", m.Root,
			both(LeafSpec{CommonName: opt.Host, DNSNames: []string{opt.Host}, KeyBits: 1024}), false},
		{CaseNoPrivateKey, "certificate file without its private key", m.Root,
			both(LeafSpec{CommonName: opt.Host, DNSNames: []string{opt.Host}}), true},
		{CaseCRLClosedPort, "CRL distribution point on a closed port", m.Root,
			both(LeafSpec{CommonName: opt.Host, DNSNames: []string{opt.Host}, CRLURLs: []string{"http://" + closed + "/root.crl"}}), false},
	}
	for _, s := range specs {
		leaf, err := s.ca.Issue(s.spec)
		if err != nil {
			m.Close()
			return nil, err
		}
		m.Cases = append(m.Cases, MatrixCase{Name: s.name, Leaf: leaf, NoKey: s.noKey, What: s.what})
	}
	return m, nil
}

// Case returns the case with the given name.
func (m *CertMatrix) Case(name string) (MatrixCase, bool) {
	for _, c := range m.Cases {
		if c.Name == name {
			return c, true
		}
	}
	return MatrixCase{}, false
}

// Close stops the CRL server.
func (m *CertMatrix) Close() {
	if m.CRL != nil {
		m.CRL.Close()
	}
}
