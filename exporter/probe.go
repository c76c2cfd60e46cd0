package exporter

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// Probe timing, as blackbox_exporter does it: the scrape timeout
// Prometheus sends less an offset, so the answer arrives before Prometheus
// gives up; without the header, DefaultProbeTimeout.
const (
	ScrapeTimeoutHeader = "X-Prometheus-Scrape-Timeout-Seconds"
	timeoutOffset       = 500 * time.Millisecond
	DefaultProbeTimeout = 30 * time.Second
	MaxProbeTimeout     = 5 * time.Minute
	minProbeTimeout     = 100 * time.Millisecond
)

// Prober answers /probe?target=HOST:PORT&module=NAME: it runs the wizard's
// plan for the module against the target and exposes each step's result
// and duration and the overall result. At most its limit of probes run at
// once; a request that finds no place before its deadline gets 503.
type Prober struct {
	modules map[string]*Module
	slots   chan struct{}
	// run runs the plan; tests replace it.
	run func(ctx context.Context, t *probes.Target, steps []probes.Step) []probes.Result
}

// NewProber returns a Prober for mods running at most limit probes at once.
func NewProber(mods map[string]*Module, limit int) *Prober {
	if limit < 1 {
		limit = 1
	}
	return &Prober{modules: mods, slots: make(chan struct{}, limit),
		run: func(ctx context.Context, t *probes.Target, steps []probes.Step) []probes.Result {
			return probes.Runner{}.Run(ctx, t, steps)
		}}
}

// The probe metrics, in a registry of their own per request.
var (
	probeSuccess = desc("probe_success",
		"1 when every step of the module passed or warned, 0 when one failed, could not run or was skipped.")
	probeDuration = desc("probe_duration_seconds", "Seconds the whole probe took.")
	stepSuccess   = desc("probe_step_success",
		"1 when the step passed or warned, 0 when it failed, could not run, or was skipped (its status label says which).",
		"step", "status")
	stepDuration = desc("probe_step_duration_seconds", "Seconds the step took (0 when it was skipped).", "step")
	probeTimeout = desc("probe_timeout_seconds", "Time the probe was given: the scrape timeout Prometheus sent less 0.5 s, or 30 s without it.")
)

// probeTimeoutFor is the time a probe may take for request r.
func probeTimeoutFor(r *http.Request) (time.Duration, error) {
	h := r.Header.Get(ScrapeTimeoutHeader)
	if h == "" {
		return DefaultProbeTimeout, nil
	}
	secs, err := strconv.ParseFloat(h, 64)
	if err != nil || secs <= 0 || secs != secs {
		return 0, fmt.Errorf("header %s %q is not a positive number of seconds", ScrapeTimeoutHeader, h)
	}
	d := time.Duration(secs*float64(time.Second)) - timeoutOffset
	if secs > MaxProbeTimeout.Seconds() {
		d = MaxProbeTimeout
	}
	return max(d, minProbeTimeout), nil
}

// ServeHTTP runs one probe.
func (p *Prober) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	name := q.Get("module")
	m, ok := p.modules[name]
	if !ok {
		http.Error(w, fmt.Sprintf("module %s is not in the modules file; use one of %s", showParam(name), strings.Join(p.moduleNames(), ", ")), http.StatusBadRequest)
		return
	}
	host, portText, err := net.SplitHostPort(q.Get("target"))
	if err != nil {
		http.Error(w, fmt.Sprintf("target %s is not HOST:PORT; give the replica server and its listener port, such as replica.example.com:443", showParam(q.Get("target"))), http.StatusBadRequest)
		return
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 1 || port > 65535 {
		http.Error(w, fmt.Sprintf("target %s: port must be 1 to 65535", showParam(q.Get("target"))), http.StatusBadRequest)
		return
	}
	timeout, err := probeTimeoutFor(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	tg, err := m.target(ctx, host, port)
	if err != nil {
		http.Error(w, "target "+showParam(q.Get("target"))+": "+strings.ReplaceAll(err.Error(), "--replica ", ""), http.StatusBadRequest)
		return
	}
	// Each network operation gets at most the probe's time.
	if tg.Timeout > timeout {
		tg.Timeout = timeout
	}
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		http.Error(w, fmt.Sprintf("%d probes already running; none ended within the scrape timeout (raise --probe.concurrency or the scrape interval)", cap(p.slots)), http.StatusServiceUnavailable)
		return
	}
	start := time.Now()
	steps := m.plan(tg)
	results := p.run(ctx, tg, steps)
	<-p.slots
	elapsed := time.Since(start)

	reg := prometheus.NewRegistry()
	reg.MustRegister(probeCollector{steps: steps, results: results, elapsed: elapsed, timeout: timeout})
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}

func (p *Prober) moduleNames() []string {
	names := make([]string, 0, len(p.modules))
	for n := range p.modules {
		names = append(names, n)
	}
	sortStrings(names)
	return names
}

// showParam quotes a request parameter for an error, cut short.
func showParam(s string) string {
	if s == "" {
		return `""`
	}
	return probes.ShowValue(s)
}

// probeCollector exposes one probe's results.
type probeCollector struct {
	steps   []probes.Step
	results []probes.Result
	elapsed time.Duration
	timeout time.Duration
}

func (c probeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{probeSuccess, probeDuration, stepSuccess, stepDuration, probeTimeout} {
		ch <- d
	}
}

func (c probeCollector) Collect(ch chan<- prometheus.Metric) {
	ok := 1.0
	for i, res := range c.results {
		good := res.Status == probes.StatusPass || res.Status == probes.StatusWarn
		v := 0.0
		if good {
			v = 1
		} else {
			ok = 0
		}
		id := c.steps[i].Probe.ID()
		ch <- prometheus.MustNewConstMetric(stepSuccess, prometheus.GaugeValue, v, id, res.Status.String())
		ch <- prometheus.MustNewConstMetric(stepDuration, prometheus.GaugeValue, res.Duration.Seconds(), id)
	}
	if len(c.results) == 0 {
		ok = 0
	}
	ch <- prometheus.MustNewConstMetric(probeSuccess, prometheus.GaugeValue, ok)
	ch <- prometheus.MustNewConstMetric(probeDuration, prometheus.GaugeValue, c.elapsed.Seconds())
	ch <- prometheus.MustNewConstMetric(probeTimeout, prometheus.GaugeValue, c.timeout.Seconds())
}
