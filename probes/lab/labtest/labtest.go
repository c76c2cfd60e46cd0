// Package labtest adapts the lab components to Go tests: each helper starts
// a component, stops it when the test ends, and skips the test when the
// component cannot run here, or fails it when HVRDOCTOR_REQUIRE_INTEGRATION=1.
package labtest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes/lab"
)

// RequireIntegration reports whether missing components must fail tests.
func RequireIntegration() bool { return os.Getenv("HVRDOCTOR_REQUIRE_INTEGRATION") == "1" }

// SkipUnless skips t (or fails it under HVRDOCTOR_REQUIRE_INTEGRATION=1)
// when err says a component is unavailable.
func SkipUnless(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if RequireIntegration() {
		t.Fatalf("integration component missing (HVRDOCTOR_REQUIRE_INTEGRATION=1): %v", err)
	}
	t.Skipf("skipping: %v (set HVRDOCTOR_REQUIRE_INTEGRATION=1 to fail instead)", err)
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
