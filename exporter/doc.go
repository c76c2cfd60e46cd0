// Package exporter is hvrdoctor's Prometheus exporter: the churn the
// sampler measures as counters per process name and class, per disk and
// per file (/metrics), and the wizard's probe plan run on demand for one
// target and module (/probe), in the manner of blackbox_exporter.
//
// Sampling runs in the exporter's own loop (Churn.Run) at a fixed
// interval; a scrape only reads what the loop accumulated, so scraping
// more often costs no extra sampling and never changes the figures.
//
// Per-VM Hyper-V Replica figures come from the host view (package hyperv)
// through HostView, read in Replication's own loop likewise: saved
// PowerShell outputs on any OS, or WMI on a Hyper-V host.
//
// It has no UI imports; internal/cli/serve.go wires it to the command line.
package exporter
