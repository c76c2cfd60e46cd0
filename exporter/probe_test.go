package exporter

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

func testModules(t *testing.T) map[string]*Module {
	t.Helper()
	mods, err := ParseModules([]byte("modules:\n  direct:\n    auth: kerberos\n    steps: [dns, tcp]\n"))
	if err != nil {
		t.Fatal(err)
	}
	return mods
}

// TestProbeHonoursScrapeTimeout: the plan's context ends at the scrape
// timeout Prometheus sent less 0.5 s.
func TestProbeHonoursScrapeTimeout(t *testing.T) {
	p := NewProber(testModules(t), 1)
	var left time.Duration
	p.run = func(ctx context.Context, tg *probes.Target, steps []probes.Step) []probes.Result {
		d, _ := ctx.Deadline()
		left = time.Until(d)
		return make([]probes.Result, len(steps))
	}
	req := httptest.NewRequest("GET", "/probe?target=127.0.0.1:80&module=direct", nil)
	req.Header.Set(ScrapeTimeoutHeader, "3")
	w := httptest.NewRecorder()
	p.ServeHTTP(w, req)
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if left > 2500*time.Millisecond || left < 2*time.Second {
		t.Errorf("plan had %s left, want about 2.5 s (3 s scrape timeout less 0.5 s)", left)
	}
}

// TestProbeConcurrencyLimited: with a limit of 1, a second probe waits and
// gets 503 when its scrape timeout passes while the first still runs.
func TestProbeConcurrencyLimited(t *testing.T) {
	p := NewProber(testModules(t), 1)
	release := make(chan struct{})
	var running, peak atomic.Int32
	p.run = func(ctx context.Context, tg *probes.Target, steps []probes.Step) []probes.Result {
		n := running.Add(1)
		if n > peak.Load() {
			peak.Store(n)
		}
		select {
		case <-release:
		case <-ctx.Done():
		}
		running.Add(-1)
		return make([]probes.Result, len(steps))
	}
	first := make(chan int)
	go func() {
		req := httptest.NewRequest("GET", "/probe?target=127.0.0.1:80&module=direct", nil)
		req.Header.Set(ScrapeTimeoutHeader, "5")
		w := httptest.NewRecorder()
		p.ServeHTTP(w, req)
		first <- w.Code
	}()
	for running.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	req := httptest.NewRequest("GET", "/probe?target=127.0.0.1:80&module=direct", nil)
	req.Header.Set(ScrapeTimeoutHeader, "1")
	w := httptest.NewRecorder()
	p.ServeHTTP(w, req)
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("second probe: status %d, want 503 while the only slot is taken", w.Code)
	}
	close(release)
	if code := <-first; code != 200 {
		t.Errorf("first probe: status %d", code)
	}
	if peak.Load() != 1 {
		t.Errorf("%d probes ran at once with a limit of 1", peak.Load())
	}
}

func TestProbeBadRequests(t *testing.T) {
	p := NewProber(testModules(t), 1)
	p.run = func(context.Context, *probes.Target, []probes.Step) []probes.Result {
		t.Error("a bad request started the plan")
		return nil
	}
	for _, c := range []struct{ url, header, want string }{
		{"/probe?target=127.0.0.1:80&module=nope", "", `module "nope" is not in the modules file; use one of direct`},
		{"/probe?target=127.0.0.1&module=direct", "", "is not HOST:PORT"},
		{"/probe?target=127.0.0.1:99999&module=direct", "", "port must be 1 to 65535"},
		{"/probe?target=bad%20host:80&module=direct", "", "target"},
		{"/probe?target=127.0.0.1:80&module=direct", "soon", "is not a positive number of seconds"},
	} {
		req := httptest.NewRequest("GET", c.url, nil)
		if c.header != "" {
			req.Header.Set(ScrapeTimeoutHeader, c.header)
		}
		w := httptest.NewRecorder()
		p.ServeHTTP(w, req)
		body := strings.TrimSpace(w.Body.String())
		if w.Code != 400 || !strings.Contains(body, c.want) || strings.Contains(body, "\n") {
			t.Errorf("%s: %d %q, want 400 with one line containing %q", c.url, w.Code, body, c.want)
		}
	}
}

func TestParseModulesErrors(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"", "no modules"},
		{"modules:\n  a:\n    auth: ntlm\n", `module "a"`},
		{"modules:\n  a:\n    steps: [upload]\n", `step "upload" is not in the kerberos plan`},
		{"modules:\n  a:\n    proxi: http://p:3128\n", "not a modules file"},
		{"modules:\n  a:\n    proxy: 'ftp://p'\n", `module "a"`},
	} {
		_, err := ParseModules([]byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one containing %q", c.yaml, err, c.want)
		}
	}
}
