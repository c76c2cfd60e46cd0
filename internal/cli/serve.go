package cli

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

// serveOptions are the flags of hvrdoctor serve.
type serveOptions struct {
	listen      string
	webConfig   string
	probeConfig string
	interval    time.Duration
	rules       string
	files       filesFlags
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

func parseServeFlags(env *Env, args []string) (serveOptions, error) {
	var o serveOptions
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.listen, "listen", exporter.DefaultListen, "address to listen on; the default is loopback only: give 0.0.0.0:9183 (with --web.config.file for TLS and basic auth) to let other hosts scrape")
	fs.StringVar(&o.webConfig, "web.config.file", "", "exporter-toolkit web configuration (TLS, basic auth), as for every Prometheus exporter")
	fs.StringVar(&o.probeConfig, "probe.config.file", "", "YAML file of /probe modules (without it /probe answers 404)")
	fs.DurationVar(&o.interval, "interval", 5*time.Second, "time between samples, 250ms to 60s (a scrape never samples)")
	fs.StringVar(&o.rules, "rules", "", "file of extra classification rules: lines of \"<class> <pattern> [description]\"")
	addFilesFlags(fs, &o.files, "per-file bytes (hvrdoctor_file_written_bytes)", "also count files whose bytes never reach a disk (/proc, /sys, cgroup, devpts...)")
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
			fmt.Fprintln(env.Stdout, "Usage: hvrdoctor serve [--listen 127.0.0.1:9183] [--web.config.file FILE] [--probe.config.file FILE] [flags]")
			fmt.Fprintln(env.Stdout, "Serves Prometheus metrics of the disk churn on /metrics and runs the wizard's probes on /probe?target=HOST:PORT&module=NAME.")
			fs.SetOutput(env.Stdout)
			fs.PrintDefaults()
			return o, errHelp
		}
		return o, parseError("serve", err)
	}
	if fs.NArg() > 0 {
		return o, flagErrorf("unexpected argument %s; the address goes in --listen", flagErrorLine(fmt.Errorf("%q", fs.Arg(0))))
	}
	return o, o.validate()
}

// validate checks the values of serve's flags, each error one line
// naming its flag.
func (o serveOptions) validate() error {
	if err := checkInterval(o.interval); err != nil {
		return err
	}
	if err := o.files.validate(); err != nil {
		return err
	}
	if o.topFiles < 0 || o.topFiles > 1000 {
		return flagErrorf("--top-files %d is out of range; use 0 to 1000", o.topFiles)
	}
	if o.topPIDs < 0 || o.topPIDs > 100 {
		return flagErrorf("--top-pids %d is out of range; use 0 to 100", o.topPIDs)
	}
	if o.maxSeries < 10 || o.maxSeries > 100000 {
		return flagErrorf("--max-process-series %d is out of range; use 10 to 100000", o.maxSeries)
	}
	if o.probeLimit < 1 || o.probeLimit > 64 {
		return flagErrorf("--probe.concurrency %d is out of range; use 1 to 64", o.probeLimit)
	}
	if o.linkRate != "" {
		if _, err := analysis.ParseLinkRate(o.linkRate); err != nil {
			return flagErrorf("--link-rate: %v", err)
		}
	}
	if o.vmDisk != "" {
		if _, err := exporter.ParseSize(o.vmDisk); err != nil {
			return flagErrorf("--vm-disk-size: %v", err)
		}
	}
	if o.replEvery < 5*time.Second || o.replEvery > time.Hour {
		return flagErrorf("--replication-read-interval %s is out of range; use 5s to 1h", o.replEvery)
	}
	switch o.replIv {
	case 0, 30 * time.Second, 5 * time.Minute, 15 * time.Minute:
	default:
		return flagErrorf("--replication-interval %s: Hyper-V Replica sends every 30s, 5m or 15m", o.replIv)
	}
	if _, _, err := net.SplitHostPort(o.listen); err != nil {
		return flagErrorf("--listen %s is not HOST:PORT; give an address such as 127.0.0.1:9183", flagErrorLine(fmt.Errorf("%q", o.listen)))
	}
	return nil
}

// runServe is `hvrdoctor serve`.
func runServe(env *Env, args []string) error {
	o, err := parseServeFlags(env, args)
	if err != nil {
		return err
	}
	if err, ok := serveAsService(env, o); ok {
		return err // started by the Windows service manager
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveUntil(ctx, env, o)
}

// serveInputs are what serve reads and opens before its first sample:
// each a usage error (exit 2) when it cannot, but --files on without a
// backend (exit 1).
type serveInputs struct {
	cls      *sampler.Classifier
	prober   *exporter.Prober // nil without --probe.config.file
	repl     *exporter.Replication
	replNote string
	files    fileio.Source // nil without per-file data; fileNote says why
	fileNote string
}

// openServeInputs checks --web.config.file and reads --rules,
// --probe.config.file and the replication source, then opens the
// per-file backend as --files says.
func openServeInputs(ctx context.Context, env *Env, o serveOptions) (in serveInputs, err error) {
	if err := exporter.ValidateWebConfig(o.webConfig); err != nil {
		return in, &FlagError{Err: err}
	}
	if in.cls, err = loadRules(o.rules); err != nil {
		return in, err
	}
	if o.probeConfig != "" {
		mods, err := exporter.LoadModules(o.probeConfig)
		var ie *probes.InputError
		switch {
		case errors.As(err, &ie):
			return in, &FlagError{Err: err} // it names the flag
		case err != nil:
			return in, flagErrorf("--probe.config.file: %v", err)
		}
		in.prober = exporter.NewProber(mods, o.probeLimit)
	}
	if in.repl, in.replNote, err = openReplication(ctx, o); err != nil {
		return in, &FlagError{Err: err}
	}
	files, missing, err := o.files.open(env)
	if err != nil {
		return in, err
	}
	in.files = files
	switch {
	case missing != nil:
		in.fileNote = missing.Error()
	case files == nil:
		in.fileNote = "--files off"
	}
	return in, nil
}

// serveUntil runs the exporter until ctx ends (Ctrl-C, SIGTERM, or the
// Windows service manager's stop).
func serveUntil(ctx context.Context, env *Env, o serveOptions) error {
	in, err := openServeInputs(ctx, env, o)
	if err != nil {
		return err
	}
	files, repl, replNote := in.files, in.repl, in.replNote
	linkRate, _ := analysis.ParseLinkRate(o.linkRate) // checked with the flags; 0 when not given
	vmDisk, _ := exporter.ParseSize(o.vmDisk)         // likewise
	topFiles := o.topFiles
	if topFiles == 0 {
		topFiles = -1
	}
	churn, err := exporter.NewChurn(ctx, sampler.NewLiveSource(), files, in.fileNote, exporter.Options{
		Interval: o.interval, Classifier: in.cls, LinkRate: linkRate, ReplicationInterval: o.replIv, VMDiskBytes: vmDisk, TopFiles: topFiles, TopPIDs: o.topPIDs, MaxProcessSeries: o.maxSeries,
	})
	if err != nil {
		if files != nil {
			files.Close()
		}
		return fmt.Errorf("first sample: %v", err)
	}
	l, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("--listen %s: %v; choose a free port or another address", o.listen, err)
	}
	go churn.Run(ctx)
	if repl != nil {
		go repl.Run(ctx)
	}
	logger := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	scheme := "http"
	if o.webConfig != "" {
		scheme = "http or https as " + o.webConfig + " says"
	}
	env.notef("listening on %s (%s), sampling every %s", l.Addr(), scheme, o.interval)
	env.notef("%s", replNote)
	reg := exporter.NewRegistry(churn)
	if repl != nil {
		reg.MustRegister(repl)
	}
	srv := &exporter.Server{Registry: reg, Prober: in.prober, Logger: logger, Notes: []string{replNote}}
	return srv.Serve(ctx, l, o.webConfig)
}
