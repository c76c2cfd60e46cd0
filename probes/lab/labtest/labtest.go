// Package labtest adapts the lab components to Go tests: each helper starts
// a component, stops it when the test ends, and skips the test when the
// component cannot run here, or fails it when HVRDOCTOR_REQUIRE_INTEGRATION=1.
package labtest

import (
	"context"
	"crypto/x509"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
)

// RequireIntegration reports whether missing components must fail tests.
func RequireIntegration() bool { return testutil.RequireIntegration() }

// SkipUnless skips t (or fails it under HVRDOCTOR_REQUIRE_INTEGRATION=1)
// when err says a component is unavailable.
func SkipUnless(t testing.TB, err error) {
	t.Helper()
	testutil.SkipUnless(t, err)
}

// KDC starts an MIT Kerberos KDC for the test.
func KDC(t testing.TB, opt lab.KDCOptions) *lab.KDC {
	t.Helper()
	return start(t, "kdc", lab.KDCAvailable(), func(ctx context.Context) (*lab.KDC, error) { return lab.StartKDC(ctx, opt) })
}

// Slapd starts an OpenLDAP directory shaped like AD for the test.
func Slapd(t testing.TB, opt lab.SlapdOptions) *lab.Slapd {
	t.Helper()
	return start(t, "slapd", lab.SlapdAvailable(), func(ctx context.Context) (*lab.Slapd, error) { return lab.StartSlapd(ctx, opt) })
}

// CertMatrixServer builds the lab certificate matrix for host and starts a
// listener that serves the matrix's good certificate and requires client
// certificates from the matrix's root; both end with the test.
func CertMatrixServer(t testing.TB, host string) (*lab.CertMatrix, *lab.MutualTLSServer) {
	t.Helper()
	m, err := lab.BuildCertMatrix(lab.MatrixOptions{Host: host})
	if err != nil {
		t.Fatalf("certificate matrix: %v", err)
	}
	t.Cleanup(m.Close)
	good, _ := m.Case(lab.CaseGood)
	roots := x509.NewCertPool()
	roots.AddCert(m.Root.Cert)
	srv, err := lab.StartMutualTLS(good.Leaf, roots)
	if err != nil {
		t.Fatalf("start mutual TLS listener: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	return m, srv
}

// stopper is a lab component that ends with Stop.
type stopper interface{ Stop() error }

// start starts a lab component for the test: it skips (or fails) the test
// when available says the component cannot run here, gives startFn a minute,
// and stops the component when the test ends.
func start[C stopper](t testing.TB, name string, available error, startFn func(context.Context) (C, error)) C {
	t.Helper()
	SkipUnless(t, available)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := startFn(ctx)
	if err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Errorf("stop %s: %v", name, err)
		}
	})
	return c
}

// Squid starts squid for the test.
func Squid(t testing.TB, opt lab.SquidOptions) *lab.Squid {
	t.Helper()
	return start(t, "squid", lab.SquidAvailable(), func(ctx context.Context) (*lab.Squid, error) { return lab.StartSquid(ctx, opt) })
}

// Mitmproxy starts mitmdump for the test.
func Mitmproxy(t testing.TB) *lab.Mitmproxy {
	t.Helper()
	return start(t, "mitmproxy", lab.MitmproxyAvailable(), func(ctx context.Context) (*lab.Mitmproxy, error) {
		return lab.StartMitmproxy(ctx, lab.MitmproxyOptions{})
	})
}

// HTTPOrigin starts a plain HTTP replica stand-in for the test.
func HTTPOrigin(t testing.TB, opt lab.OriginOptions) *lab.Origin {
	t.Helper()
	o, err := lab.StartHTTPOrigin(opt)
	if err != nil {
		t.Fatalf("start origin: %v", err)
	}
	t.Cleanup(func() { o.Stop() })
	return o
}

// TLSOrigin starts an HTTPS replica stand-in for the test.
func TLSOrigin(t testing.TB, opt lab.OriginOptions) *lab.Origin {
	t.Helper()
	o, err := lab.StartTLSOrigin(opt)
	if err != nil {
		t.Fatalf("start tls origin: %v", err)
	}
	t.Cleanup(func() { o.Stop() })
	return o
}
