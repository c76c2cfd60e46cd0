package train

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
)

// labPrimaryFQDN is the name the primary's certificate must carry.
const labPrimaryFQDN = "primary.lab.test"

// certVariant says how the lab breaks the primary's certificate.
type certVariant int

const (
	certNoClientEKU certVariant = iota
	certWrongName
	certCRLUnreachable
)

func init() {
	certSteps := []string{probes.IDCertValidity, probes.IDCertEKU, probes.IDCertName, probes.IDCertChain, probes.IDCertRevocation, probes.IDCertMutualTLS}
	vars := append([]string{"cert_dir", "crl_url", "cert_name"}, commonVars...)
	for name, v := range map[string]certVariant{"cert-no-client-eku": certNoClientEKU, "cert-wrong-name": certWrongName, "cert-crl-unreachable": certCRLUnreachable} {
		v := v
		labKinds[name] = labKind{
			auth:        "certificate",
			about:       "a certificate (HTTPS) listener that requires client certificates from the lab CA, and the primary's certificate files",
			vars:        vars,
			verifySteps: certSteps,
			available:   func() error { return nil },
			start:       func(ctx context.Context, dir string) (running, error) { return startCertLab(dir, v) },
		}
	}
}

// certLab is a mutual-TLS listener (the replica) trusting the lab CA, the
// CA's CRL served on loopback, and the primary's certificate in
// cert_dir/primary.pem (certificate and key), broken one way. The CA's key
// is in cert_dir so the learner can reissue with openssl.
type certLab struct {
	dir    string
	srv    *lab.MutualTLSServer
	crl    *lab.HTTPFileServer
	crlURL string
	broken []byte
}

func startCertLab(dir string, v certVariant) (running, error) {
	cdir := filepath.Join(dir, "certs")
	if err := os.MkdirAll(cdir, 0o700); err != nil {
		return nil, fmt.Errorf("lab certificates: %w", err)
	}
	now := time.Now()
	ca, err := lab.NewCA(lab.CAOptions{Name: "hvrdoctor Lab Root CA", Now: now})
	if err != nil {
		return nil, err
	}
	crlDER, err := ca.CRL(now)
	if err != nil {
		return nil, err
	}
	crl, err := lab.StartHTTPFileServer(map[string][]byte{"/lab.crl": crlDER})
	if err != nil {
		return nil, err
	}
	l := &certLab{dir: cdir, crl: crl, crlURL: crl.URL + "/lab.crl"}
	fail := func(err error) (running, error) {
		l.stop()
		return nil, err
	}
	replica, err := ca.Issue(lab.LeafSpec{CommonName: labReplicaFQDN, DNSNames: []string{labReplicaFQDN}, ServerAuth: true, ClientAuth: true, CRLURLs: []string{l.crlURL}})
	if err != nil {
		return fail(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca.Cert)
	if l.srv, err = lab.StartMutualTLS(replica, roots); err != nil {
		return fail(err)
	}
	spec := lab.LeafSpec{CommonName: labPrimaryFQDN, DNSNames: []string{labPrimaryFQDN}, ServerAuth: true, ClientAuth: true, CRLURLs: []string{l.crlURL}}
	switch v {
	case certNoClientEKU:
		spec.ClientAuth = false
	case certWrongName:
		spec.CommonName, spec.DNSNames = "hv-old.lab.test", []string{"hv-old.lab.test"}
	case certCRLUnreachable:
		closed, err := lab.ClosedPort()
		if err != nil {
			return fail(err)
		}
		spec.CRLURLs = []string{"http://" + closed + "/lab.crl"}
	}
	primary, err := ca.Issue(spec)
	if err != nil {
		return fail(err)
	}
	l.broken = primary.PEM()
	caKey := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(ca.Key)})
	for name, data := range map[string][]byte{
		"ca.pem": ca.CertPEM(), "ca.key": caKey, "primary.key": primary.KeyPEM(), "primary.pem": l.broken,
	} {
		if err := lab.WriteFile(filepath.Join(cdir, name), data); err != nil {
			return fail(err)
		}
	}
	return l, nil
}

func (l *certLab) info() labInfo {
	return labInfo{
		targets: Targets{Replica: "127.0.0.1", Port: portOf(l.srv.Addr), Auth: "certificate",
			Cert: filepath.Join(l.dir, "primary.pem"), CA: filepath.Join(l.dir, "ca.pem"), CertName: labPrimaryFQDN},
		vars: map[string]string{"cert_dir": l.dir, "crl_url": l.crlURL, "cert_name": labPrimaryFQDN},
	}
}

// breakLab puts the broken primary.pem back.
func (l *certLab) breakLab(context.Context) error {
	return lab.WriteFile(filepath.Join(l.dir, "primary.pem"), l.broken)
}

func (l *certLab) reload(context.Context) error { return nil }

func (l *certLab) stop() error {
	if l.srv != nil {
		l.srv.Close()
	}
	if l.crl != nil {
		l.crl.Close()
	}
	return nil
}
