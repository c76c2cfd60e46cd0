package exporter

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRoutes(t *testing.T) {
	s := &Server{Registry: NewRegistry(nil)}
	h := s.Handler()
	get := func(path string) (int, string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		return w.Code, w.Body.String()
	}
	if code, body := get("/"); code != 200 || !strings.Contains(body, "/metrics") {
		t.Errorf("/: %d, want the landing page linking /metrics", code)
	}
	if code, _ := get("/probe?target=127.0.0.1:80&module=x"); code != http.StatusNotFound {
		t.Errorf("/probe without --probe.config.file: %d, want 404", code)
	}
	if code, _ := get("/nothing"); code != http.StatusNotFound {
		t.Errorf("/nothing: %d, want 404", code)
	}
	if code, body := get("/metrics"); code != 200 || !strings.Contains(body, "process_cpu_seconds_total") {
		t.Errorf("/metrics: %d", code)
	}
}
