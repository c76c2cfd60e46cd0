package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hvrdoctor/hvrdoctor/exporter"
	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
)

func init() {
	register(command{
		name:    "serve",
		summary: "Prometheus exporter: churn counters on /metrics, the wizard's probes on /probe",
		run:     runServe,
	})
}

// serveOptions are the flags of hvrdoctor serve.
type serveOptions struct {
	listen      string
	webConfig   string
	probeConfig string
	interval    time.Duration
	rules       string
	files       string
	allFiles    bool
	topFiles    int
	topPIDs     int
	maxSeries   int
	probeLimit  int
	linkRate    string
	replIv      time.Duration
	vmDisk      string
	replFrom    []string
	replEvery   time.Duration
}

func parseServeFlags(args []string, stdout, stderr io.Writer) (serveOptions, int, bool) {
	var o serveOptions
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.listen, "listen", exporter.DefaultListen, "address to listen on; the default is loopback only: give 0.0.0.0:9183 (with --web.config.file for TLS and basic auth) to let other hosts scrape")
	fs.StringVar(&o.webConfig, "web.config.file", "", "exporter-toolkit web configuration (TLS, basic auth), as for every Prometheus exporter")
	fs.StringVar(&o.probeConfig, "probe.config.file", "", "YAML file of /probe modules (without it /probe answers 404)")
	fs.DurationVar(&o.interval, "interval", 5*time.Second, "time between samples, 250ms to 60s (a scrape never samples)")
	fs.StringVar(&o.rules, "rules", "", "file of extra classification rules: lines of \"<class> <pattern> [description]\"")
	fs.StringVar(&o.files, "files", recordFilesAuto, "per-file bytes (hvrdoctor_file_written_bytes): auto (when a per-file backend can run), on (fail when none can) or off")
	fs.BoolVar(&o.allFiles, "all-files", false, "also count files whose bytes never reach a disk (/proc, /sys, cgroup, devpts...)")
	fs.IntVar(&o.topFiles, "top-files", exporter.DefaultTopFiles, "files listed in hvrdoctor_file_written_bytes, 0 to 1000")
	fs.IntVar(&o.topPIDs, "top-pids", 0, "top writers listed with their PID in hvrdoctor_top_process_write_bytes_per_second, 0 (off) to 100")
	fs.IntVar(&o.maxSeries, "max-process-series", exporter.DefaultMaxProcessSeries, "bound on (name, class, basis) process series, 10 to 100000")
	fs.IntVar(&o.probeLimit, "probe.concurrency", 2, "probes run at once; further /probe requests wait for a place until their scrape timeout")
	fs.StringVar(&o.linkRate, "link-rate", "", "WAN link to the replica, such as 100Mbit or 12.5MB/s, exposed for the link-keeps-up alert")
	fs.StringVar(&o.vmDisk, "vm-disk-size", "", "this VM's total virtual disk size, such as 500GiB, exposed for the resync forecast alert")
	fs.Func("replication-from", "saved PowerShell outputs of the Hyper-V host (a directory or a file; repeat the flag for more), read again every --replication-read-interval for the hvrdoctor_vm_replication_* metrics", func(v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("empty: give a directory or a file")
		}
		o.replFrom = append(o.replFrom, v)
		return nil
	})
	fs.DurationVar(&o.replEvery, "replication-read-interval", 30*time.Second, "time between reads of the host view (WMI on a Hyper-V host, or --replication-from), 5s to 1h")
	fs.DurationVar(&o.replIv, "replication-interval", 0, "the VMs' replication frequency, 30s, 5m or 15m, exposed for the alerts")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "Usage: hvrdoctor serve [--listen 127.0.0.1:9183] [--web.config.file FILE] [--probe.config.file FILE] [flags]")
			fmt.Fprintln(stdout, "Serves Prometheus metrics of the disk churn on /metrics and runs the wizard's probes on /probe?target=HOST:PORT&module=NAME.")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return o, exitOK, false
		}
		fmt.Fprintf(stderr, "hvrdoctor serve: %s; run 'hvrdoctor serve -h' for the flags\n", flagErrorLine(err))
		return o, exitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hvrdoctor serve: unexpected argument %s; the address goes in --listen\n", flagErrorLine(fmt.Errorf("%q", fs.Arg(0))))
		return o, exitUsage, false
	}
	bad := func(format string, a ...any) (serveOptions, int, bool) {
		fmt.Fprintf(stderr, "hvrdoctor serve: "+format+"\n", a...)
		return o, exitUsage, false
	}
	if o.interval < sampler.MinInterval || o.interval > sampler.MaxInterval {
		return bad("--interval %s is out of range; use 250ms to 60s", o.interval)
	}
	switch o.files {
	case recordFilesAuto, recordFilesOn, recordFilesOff:
	default:
		return bad("--files %s is not auto, on or off", flagErrorLine(fmt.Errorf("%q", o.files)))
	}
	if o.topFiles < 0 || o.topFiles > 1000 {
		return bad("--top-files %d is out of range; use 0 to 1000", o.topFiles)
	}
	if o.topPIDs < 0 || o.topPIDs > 100 {
		return bad("--top-pids %d is out of range; use 0 to 100", o.topPIDs)
	}
	if o.maxSeries < 10 || o.maxSeries > 100000 {
		return bad("--max-process-series %d is out of range; use 10 to 100000", o.maxSeries)
	}
	if o.probeLimit < 1 || o.probeLimit > 64 {
		return bad("--probe.concurrency %d is out of range; use 1 to 64", o.probeLimit)
	}
	if o.linkRate != "" {
		if _, err := analysis.ParseLinkRate(o.linkRate); err != nil {
			return bad("--link-rate: %v", err)
		}
	}
	if o.vmDisk != "" {
		if _, err := exporter.ParseSize(o.vmDisk); err != nil {
			return bad("--vm-disk-size: %v", err)
		}
	}
	if o.replEvery < 5*time.Second || o.replEvery > time.Hour {
		return bad("--replication-read-interval %s is out of range; use 5s to 1h", o.replEvery)
	}
	switch o.replIv {
	case 0, 30 * time.Second, 5 * time.Minute, 15 * time.Minute:
	default:
		return bad("--replication-interval %s: Hyper-V Replica sends every 30s, 5m or 15m", o.replIv)
	}
	if _, _, err := net.SplitHostPort(o.listen); err != nil {
		return bad("--listen %s is not HOST:PORT; give an address such as 127.0.0.1:9183", flagErrorLine(fmt.Errorf("%q", o.listen)))
	}
	return o, exitOK, true
}

func runServe(args []string, stdout, stderr io.Writer) int {
	o, code, ok := parseServeFlags(args, stdout, stderr)
	if !ok {
		return code
	}
	if code, ok := serveAsService(o, stderr); ok {
		return code // started by the Windows service manager
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveUntil(ctx, o, stderr)
}

// serveUntil runs the exporter until ctx ends (Ctrl-C, SIGTERM, or the
// Windows service manager's stop).
func serveUntil(ctx context.Context, o serveOptions, stderr io.Writer) int {
	if err := exporter.ValidateWebConfig(o.webConfig); err != nil {
		fmt.Fprintf(stderr, "hvrdoctor serve: %v\n", err)
		return exitUsage
	}
	cls := sampler.DefaultClassifier()
	if o.rules != "" {
		if err := cls.LoadRules(o.rules); err != nil {
			fmt.Fprintf(stderr, "hvrdoctor serve: --rules: %v\n", err)
			return exitUsage
		}
	}
	var prober *exporter.Prober
	if o.probeConfig != "" {
		mods, err := exporter.LoadModules(o.probeConfig)
		var ie *probes.InputError
		switch {
		case errors.As(err, &ie):
			fmt.Fprintf(stderr, "hvrdoctor serve: %v\n", err) // it names the flag
			return exitUsage
		case err != nil:
			fmt.Fprintf(stderr, "hvrdoctor serve: --probe.config.file: %v\n", err)
			return exitUsage
		}
		prober = exporter.NewProber(mods, o.probeLimit)
	}
	repl, replNote, err := openReplication(ctx, o)
	if err != nil {
		fmt.Fprintf(stderr, "hvrdoctor serve: %v\n", err)
		return exitUsage
	}
	var files fileio.Source
	fileNote := ""
	if o.files != recordFilesOff {
		src, err := openFileSource(o.allFiles)
		if err != nil {
			if o.files == recordFilesOn {
				fmt.Fprintf(stderr, "hvrdoctor serve: --files on: %v; run as root/Administrator, or use --files off\n", err)
				return exitFail
			}
			fileNote = err.Error()
		} else {
			files = src
		}
	} else {
		fileNote = "--files off"
	}
	linkRate, _ := analysis.ParseLinkRate(o.linkRate) // checked with the flags; 0 when not given
	vmDisk, _ := exporter.ParseSize(o.vmDisk)         // likewise
	topFiles := o.topFiles
	if topFiles == 0 {
		topFiles = -1
	}
	churn, err := exporter.NewChurn(ctx, sampler.NewLiveSource(), files, fileNote, exporter.Options{
		Interval: o.interval, Classifier: cls, LinkRate: linkRate, ReplicationInterval: o.replIv, VMDiskBytes: vmDisk, TopFiles: topFiles, TopPIDs: o.topPIDs, MaxProcessSeries: o.maxSeries,
	})
	if err != nil {
		if files != nil {
			files.Close()
		}
		fmt.Fprintf(stderr, "hvrdoctor serve: first sample: %v\n", err)
		return exitFail
	}
	l, err := net.Listen("tcp", o.listen)
	if err != nil {
		fmt.Fprintf(stderr, "hvrdoctor serve: --listen %s: %v; choose a free port or another address\n", o.listen, err)
		return exitFail
	}
	go churn.Run(ctx)
	if repl != nil {
		go repl.Run(ctx)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	scheme := "http"
	if o.webConfig != "" {
		scheme = "http or https as " + o.webConfig + " says"
	}
	fmt.Fprintf(stderr, "hvrdoctor serve: listening on %s (%s), sampling every %s\n", l.Addr(), scheme, o.interval)
	fmt.Fprintf(stderr, "hvrdoctor serve: %s\n", replNote)
	reg := exporter.NewRegistry(churn)
	if repl != nil {
		reg.MustRegister(repl)
	}
	srv := &exporter.Server{Registry: reg, Prober: prober, Logger: logger, Notes: []string{replNote}}
	if err := srv.Serve(ctx, l, o.webConfig); err != nil {
		fmt.Fprintf(stderr, "hvrdoctor serve: %v\n", err)
		return exitFail
	}
	return exitOK
}
