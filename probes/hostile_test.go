package probes

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes/lab"
)

// Hostile servers on loopback (probes/lab.Hostile): every read of the
// probes must stop at a size limit and a deadline. Each case asserts the
// bound: heap bytes allocated by the whole process while the probe ran
// (runtime/metrics /gc/heap/allocs:bytes, cumulative, so it bounds the
// peak too) under 64 MiB, and wall time at most the timeout plus 1 s.

const (
	hostileTimeout  = time.Second
	hostileMemBound = 64 << 20
)

func startHostile(t *testing.T, behaviour string, smallOK bool) *lab.Hostile {
	t.Helper()
	h, err := lab.StartHostile(lab.HostileOptions{Behaviour: behaviour, SmallOK: smallOK})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop() })
	return h
}

func heapAllocs() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// bounded runs f and fails the test when it allocated 64 MiB or more or
// took longer than limit.
func bounded(t *testing.T, limit time.Duration, f func() Result) Result {
	t.Helper()
	runtime.GC()
	before := heapAllocs()
	start := time.Now()
	res := f()
	took := time.Since(start)
	alloc := heapAllocs() - before
	if alloc >= hostileMemBound {
		t.Errorf("allocated %d MiB while the probe ran, bound 64 MiB", alloc>>20)
	}
	if took > limit {
		t.Errorf("took %s, bound %s", took.Round(time.Millisecond), limit)
	}
	t.Logf("%s in %s, %d KiB allocated: %s", res.Status, took.Round(time.Millisecond), alloc>>10, res.Summary)
	return res
}

func hostileTarget(t *testing.T, addr, auth, proxy string) *Target {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	tg, err := ParseTarget(TargetInput{Replica: host, Port: p, Auth: auth, ProxyURL: proxy, Timeout: hostileTimeout, Env: noEnv, WinHTTP: noWinHTTP})
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// closedAddr is a loopback address where nothing listens, so the
// listener step goes through the proxy.
func closedAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a := ln.Addr().String()
	ln.Close()
	return a
}

var httpHostiles = []string{lab.EndlessHead, lab.EndlessStatus, lab.EndlessBody, lab.EndlessInterim, lab.ContinueSilence, lab.Continue413, lab.GarbageTLS, lab.Silent}

func TestHostileListenerDirect(t *testing.T) {
	for _, b := range httpHostiles {
		t.Run(b, func(t *testing.T) {
			h := startHostile(t, b, false)
			tg := hostileTarget(t, h.Addr, "kerberos", "")
			res := bounded(t, hostileTimeout+time.Second, func() Result { return ListenerProbe{}.Run(context.Background(), tg) })
			// A 200 with an endless body and a 413 are HTTP answers of
			// the port; everything else is no answer.
			if b != lab.EndlessBody && b != lab.Continue413 && res.Status == StatusPass {
				t.Errorf("%s passed the listener step: %s", b, res.Summary)
			}
		})
	}
}

func TestHostileListenerThroughProxy(t *testing.T) {
	for _, b := range httpHostiles {
		t.Run(b, func(t *testing.T) {
			h := startHostile(t, b, false)
			tg := hostileTarget(t, closedAddr(t), "kerberos", h.URL)
			res := bounded(t, hostileTimeout+time.Second, func() Result { return ListenerProbe{}.Run(context.Background(), tg) })
			// A 200 with an endless body and a 413 are HTTP answers of
			// the port; everything else is no answer.
			if b != lab.EndlessBody && b != lab.Continue413 && res.Status == StatusPass {
				t.Errorf("%s passed the listener step: %s", b, res.Summary)
			}
		})
	}
}

func TestHostileLargeUploadProxy(t *testing.T) {
	for _, b := range httpHostiles {
		t.Run(b, func(t *testing.T) {
			h := startHostile(t, b, true)
			tg := hostileTarget(t, "127.0.0.1:80", "kerberos", h.URL)
			res := bounded(t, hostileTimeout+time.Second, func() Result { return LargeUploadProbe{}.Run(context.Background(), tg) })
			if b != lab.EndlessBody && res.Status == StatusPass {
				t.Errorf("a proxy answering the 500 GiB POST with %s is not a pass: %s %s %v", b, res.Status, res.Summary, res.Evidence)
			}
		})
	}
}

// The two 100 Continue cases of issue 12: the final status decides.
func TestLargeUploadReadsPastContinue(t *testing.T) {
	h := startHostile(t, lab.Continue413, true)
	res := LargeUploadProbe{}.Run(context.Background(), hostileTarget(t, "127.0.0.1:80", "kerberos", h.URL))
	if res.Status != StatusFail || !strings.Contains(res.Summary, "413") {
		t.Errorf("100 Continue then 413: %s %q %v", res.Status, res.Summary, res.Evidence)
	}
	if !strings.Contains(strings.Join(res.Evidence, "\n"), "100 Continue, then HTTP/1.1 413") {
		t.Errorf("evidence should show the interim and the final answer: %v", res.Evidence)
	}
	h = startHostile(t, lab.ContinueSilence, true)
	res = LargeUploadProbe{}.Run(context.Background(), hostileTarget(t, "127.0.0.1:80", "kerberos", h.URL))
	if res.Status != StatusFail || !strings.Contains(res.Summary, "100 Continue, then nothing") {
		t.Errorf("100 Continue then silence: %s %q %v", res.Status, res.Summary, res.Evidence)
	}
	if !strings.Contains(strings.Join(res.Evidence, "\n"), "control POST Content-Length 1024 (headers only): HTTP/1.1 100 Continue, then HTTP/1.1 401") {
		t.Errorf("the control should get its final answer after sending its 1 KB body: %v", res.Evidence)
	}
}

func TestHostileConnectProxy(t *testing.T) {
	for _, b := range httpHostiles {
		t.Run(b, func(t *testing.T) {
			h := startHostile(t, b, false)
			tg := hostileTarget(t, "127.0.0.1:443", "certificate", h.URL)
			res := bounded(t, hostileTimeout+time.Second, func() Result { return InspectionProbe{}.Run(context.Background(), tg) })
			if res.Status == StatusPass {
				t.Errorf("%s passed: %s", b, res.Summary)
			}
			tg = hostileTarget(t, closedAddr(t), "certificate", h.URL)
			res = bounded(t, hostileTimeout+time.Second, func() Result { return ListenerProbe{}.Run(context.Background(), tg) })
			if res.Status == StatusPass {
				t.Errorf("listener through %s passed: %s", b, res.Summary)
			}
		})
	}
}

func TestHostileTLSListener(t *testing.T) {
	for _, b := range []string{lab.GarbageTLS, lab.EndlessHead, lab.Silent} {
		t.Run(b, func(t *testing.T) {
			h := startHostile(t, b, false)
			tg := hostileTarget(t, h.Addr, "certificate", "")
			res := bounded(t, hostileTimeout+time.Second, func() Result { return ListenerProbe{}.Run(context.Background(), tg) })
			if res.Status == StatusPass {
				t.Errorf("%s passed: %s", b, res.Summary)
			}
		})
	}
	for _, n := range []int{100, 1000} {
		t.Run(fmt.Sprintf("chain-of-%d", n), func(t *testing.T) {
			s, err := lab.StartLongChainTLS(n)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Stop()
			tg := hostileTarget(t, s.Addr, "certificate", "")
			bounded(t, hostileTimeout+time.Second, func() Result { return ListenerProbe{}.Run(context.Background(), tg) })
		})
	}
}

func TestHostileClockSkew(t *testing.T) {
	for _, b := range httpHostiles {
		t.Run(b, func(t *testing.T) {
			h := startHostile(t, b, false)
			tg := hostileTarget(t, h.Addr, "kerberos", "")
			res := bounded(t, hostileTimeout+time.Second, func() Result { return ClockSkewProbe{}.Run(context.Background(), tg) })
			if res.Status == StatusPass {
				t.Errorf("%s gave a clock: %s", b, res.Summary)
			}
		})
	}
}

func TestHostileCRLEndpoint(t *testing.T) {
	for _, b := range httpHostiles {
		t.Run(b, func(t *testing.T) {
			h := startHostile(t, b, false)
			tg := hostileTarget(t, "127.0.0.1:443", "certificate", "")
			lc := &LoadedCert{Leaf: &x509.Certificate{CRLDistributionPoints: []string{h.URL + "/root.crl"}}}
			res := bounded(t, hostileTimeout+time.Second, func() Result { return checkRevocation(context.Background(), tg, lc) })
			if res.Status == StatusPass {
				t.Errorf("%s passed: %s", b, res.Summary)
			}
		})
	}
}

// Issue 13: 51 silent CRL endpoints and a step that ends after 3
// timeouts: the evidence names only the endpoints tried.
func TestRevocationEvidenceNamesOnlyTriedEndpoints(t *testing.T) {
	h := startHostile(t, lab.Silent, false)
	tg := hostileTarget(t, "127.0.0.1:443", "certificate", "")
	var urls []string
	for i := range 51 {
		urls = append(urls, fmt.Sprintf("%s/crl%d.crl", h.URL, i))
	}
	lc := &LoadedCert{Leaf: &x509.Certificate{CRLDistributionPoints: urls}}
	ctx, cancel := context.WithTimeout(context.Background(), 3*hostileTimeout)
	defer cancel()
	res := checkRevocation(ctx, tg, lc)
	named := 0
	for _, e := range res.Evidence {
		if strings.Contains(e, h.URL) {
			named++
		}
	}
	if named > 3 || named == 0 {
		t.Errorf("evidence names %d endpoints, want the 1 to 3 tried in 3 s:\n%s", named, strings.Join(res.Evidence, "\n"))
	}
	if !strings.Contains(strings.Join(res.Evidence, "\n"), "endpoints not tried: the step's time ran out") {
		t.Errorf("evidence should say how many were not tried:\n%s", strings.Join(res.Evidence, "\n"))
	}
	if strings.Contains(res.Summary, "crl20.crl") {
		t.Errorf("summary names an endpoint never tried: %s", res.Summary)
	}
}

// The mutual-TLS step reads the replica's HTTP answer inside the TLS
// session: the same bounds apply there.
func TestHostileMutualTLSAnswer(t *testing.T) {
	ca, err := lab.NewCA(lab.CAOptions{Name: "hvrdoctor Lab Client Root"})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Issue(lab.LeafSpec{CommonName: "primary.lab.test", DNSNames: []string{"primary.lab.test"}, ServerAuth: true, ClientAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	lc, err := LoadCertificateBytes(leaf.PEM(), "primary.pem", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{lab.EndlessHead, lab.EndlessStatus, lab.EndlessBody, lab.EndlessInterim, lab.ContinueSilence, lab.Silent} {
		t.Run(b, func(t *testing.T) {
			h, err := lab.StartHostileTLS(lab.HostileOptions{Behaviour: b})
			if err != nil {
				t.Fatal(err)
			}
			defer h.Stop()
			tg := hostileTarget(t, h.Addr, "certificate", "")
			bounded(t, hostileTimeout+time.Second, func() Result { return checkMutualTLS(context.Background(), tg, lc) })
		})
	}
}
