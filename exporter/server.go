package exporter

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/fserr"
	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/exporter-toolkit/web"
)

// DefaultListen is where serve listens unless told otherwise: loopback
// only, so nothing is exposed to the network until the admin says so.
const DefaultListen = "127.0.0.1:9183"

// Server is the exporter's HTTP side: /metrics, /probe and a landing page.
type Server struct {
	// Registry holds the churn collector (and the exporter's own process
	// and Go runtime metrics).
	Registry *prometheus.Registry
	// Prober answers /probe; nil leaves /probe out (404).
	Prober *Prober
	// Logger: slog.Default when nil.
	Logger *slog.Logger
	// Notes are one-line remarks shown on the landing page (such as where
	// the replication metrics come from, or why there are none).
	Notes []string
}

// NewRegistry returns a registry with churn and the exporter's own process
// and Go metrics (process_cpu_seconds_total is the exporter's cost).
func NewRegistry(churn prometheus.Collector) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(collectors.NewGoCollector())
	if churn != nil {
		reg.MustRegister(churn)
	}
	return reg
}

// Handler returns the exporter's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(s.Registry, promhttp.HandlerOpts{
		ErrorLog:            slog.NewLogLogger(s.logger().Handler(), slog.LevelError),
		MaxRequestsInFlight: 4,
		Timeout:             30 * time.Second,
	}))
	if s.Prober != nil {
		mux.Handle("/probe", s.Prober)
	}
	links := []web.LandingLinks{{Address: "/metrics", Text: "Metrics"}}
	if s.Prober != nil {
		links = append(links, web.LandingLinks{Address: "/probe", Text: "Probe (give ?target=HOST:PORT&module=NAME)"})
	}
	landing, err := web.NewLandingPage(web.LandingConfig{
		Name:        "hvrdoctor",
		RoutePrefix: "/",
		Description: "Hyper-V Replica churn and replica path probes",
		Links:       links,
		ExtraHTML:   notesHTML(s.Notes),
	})
	if err == nil {
		mux.Handle("/", landing)
	}
	return mux
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// ValidateWebConfig checks an exporter-toolkit web configuration file
// ("" is none: plain HTTP, no auth) and returns a one-line error naming it.
func ValidateWebConfig(path string) error {
	if path == "" {
		return nil
	}
	// exporter-toolkit reads the file whole: a FIFO would block and a
	// device never end, so they are refused first, as every file input is.
	if _, err := os.Stat(path); err == nil {
		if _, err := probes.CheckInputFile("--web.config.file", path, maxWebConfigFile); err != nil {
			return err
		}
	}
	if err := web.Validate(path); err != nil {
		// A missing file in the same words on every OS (wine: "Path
		// not found.").
		err = fserr.Neutral(err)
		msg := strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
		msg = strings.ReplaceAll(msg, ":;", ":")
		return fmt.Errorf("--web.config.file %s: %s; see the exporter-toolkit web configuration format (tls_server_config, basic_auth_users)", path, msg)
	}
	return nil
}

// maxWebConfigFile bounds the web configuration file (a few lines).
const maxWebConfigFile = 1 << 20

// Serve serves on l until ctx ends, with TLS and basic auth from
// webConfig (exporter-toolkit's web configuration file; "" = plain HTTP,
// no auth). It returns nil after a clean shutdown.
func (s *Server) Serve(ctx context.Context, l net.Listener, webConfig string) error {
	if err := ValidateWebConfig(webConfig); err != nil {
		l.Close()
		return err
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	cfg := webConfig
	flags := &web.FlagConfig{WebConfigFile: &cfg}
	errc := make(chan error, 1)
	go func() { errc <- web.Serve(l, srv, flags, s.logger()) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// notesHTML renders notes as escaped paragraphs.
func notesHTML(notes []string) string {
	var b strings.Builder
	for _, n := range notes {
		if n != "" {
			b.WriteString("<p>" + html.EscapeString(n) + "</p>\n")
		}
	}
	return b.String()
}
