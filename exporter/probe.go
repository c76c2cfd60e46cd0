package exporter

import "net/http"

// Prober answers /probe (see probe_handler.go).
type Prober struct{}

func (p *Prober) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "not yet", http.StatusNotImplemented)
}

// Module is one /probe module.
type Module struct{}

// LoadModules reads the /probe modules file.
func LoadModules(path string) (map[string]Module, error) { return nil, nil }

// NewProber returns a Prober running at most limit probes at once.
func NewProber(mods map[string]Module, limit int) *Prober { return &Prober{} }
