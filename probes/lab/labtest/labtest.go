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
	SkipUnless(t, lab.KDCAvailable())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	k, err := lab.StartKDC(ctx, opt)
	if err != nil {
		t.Fatalf("start kdc: %v", err)
	}
	t.Cleanup(func() {
		if err := k.Stop(); err != nil {
			t.Errorf("stop kdc: %v", err)
		}
	})
	return k
}

// Slapd starts an OpenLDAP directory shaped like AD for the test.
func Slapd(t testing.TB, opt lab.SlapdOptions) *lab.Slapd {
	t.Helper()
	SkipUnless(t, lab.SlapdAvailable())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := lab.StartSlapd(ctx, opt)
	if err != nil {
		t.Fatalf("start slapd: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("stop slapd: %v", err)
		}
	})
	return s
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

// Squid starts squid for the test.
func Squid(t testing.TB, opt lab.SquidOptions) *lab.Squid {
	t.Helper()
	SkipUnless(t, lab.SquidAvailable())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := lab.StartSquid(ctx, opt)
	if err != nil {
		t.Fatalf("start squid: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("stop squid: %v", err)
		}
	})
	return s
}

// Mitmproxy starts mitmdump for the test.
func Mitmproxy(t testing.TB) *lab.Mitmproxy {
	t.Helper()
	SkipUnless(t, lab.MitmproxyAvailable())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	m, err := lab.StartMitmproxy(ctx, lab.MitmproxyOptions{})
	if err != nil {
		t.Fatalf("start mitmproxy: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Stop(); err != nil {
			t.Errorf("stop mitmproxy: %v", err)
		}
	})
	return m
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
