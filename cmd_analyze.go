package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/units"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/views"
)

func init() {
	register(command{
		name:    "analyze",
		summary: "analyse recordings: minute pivot, spikes and culprits, replication impact",
		run:     runAnalyze,
	})
}

// analyzeFlags are the options of `hvrdoctor analyze`.
type analyzeFlags struct {
	format     string
	churn      churnFlags
	interval   string
	rules      string
	cols       analysis.ColumnMap
	timeFormat string
	ascii      bool
	// formatGiven is true when --format was on the command line: the
	// printed output even on a terminal.
	formatGiven bool
}

// newAnalyzeFlagSet declares analyze's flags and returns them with the
// function that prints -h's usage to stdout. The flag package prints
// nothing itself: runAnalyze prints a bad flag as one line on stderr.
func newAnalyzeFlagSet(f *analyzeFlags, stdout io.Writer) (*flag.FlagSet, func()) {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	// The flag package calls Usage on every parse error too: print it only
	// for -h, where ErrHelp comes back.
	fs.Usage = func() {}
	printUsage := func() {
		fmt.Fprintln(stdout, "Usage: hvrdoctor analyze DIR|FILES [flags]")
		fmt.Fprintln(stdout, "Reads hvrdoctor recordings (HVRStats-N.csv, ProcStats-N.csv, FileStats-N.csv), perfmon CSV exports (relog -f csv)")
		fmt.Fprintln(stdout, "or a generic CSV (timestamp, process, PID, writes). On a terminal, without --format, it opens the screens")
		fmt.Fprintln(stdout, "on the recording with a time cursor (arrows, { }, n for the next spike); with --format, or when stdout")
		fmt.Fprintln(stdout, "is not a terminal, it prints the minute pivot, spikes and replication impact.")
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	fs.StringVar(&f.format, "format", "text", "print the analysis as text, markdown or json (schema hvrdoctor.analyze/v1, see docs/analyze-json.md) instead of opening the screens")
	fs.BoolVar(&f.ascii, "ascii", false, "screens: draw with ASCII characters only (automatic when the locale is not UTF-8)")
	addChurnFlags(fs, &f.churn)
	fs.StringVar(&f.interval, "interval", "all", "replication interval to estimate: 30s, 5m, 15m or all (comma-separated list allowed)")
	fs.StringVar(&f.rules, "rules", "", "class rules file for processes the input gives no class for (see hvrdoctor record --rules)")
	fs.StringVar(&f.cols.Time, "time-col", "", "generic CSV: timestamp column, by header name or 1-based number (default: found by name, Timestamp, Time, DateTime...)")
	fs.StringVar(&f.cols.Process, "process-col", "", "generic CSV: process name column (default: Process, ProcessName, Image, Name...)")
	fs.StringVar(&f.cols.PID, "pid-col", "", "generic CSV: PID column (default: PID, ProcessId, Id; optional)")
	fs.StringVar(&f.cols.Write, "write-col", "", "generic CSV: write column (default: WriteBytesPerSec, Write Bytes/sec... as a rate, WriteBytes, BytesWritten... as bytes)")
	fs.StringVar(&f.cols.Read, "read-col", "", "generic CSV: read column (optional)")
	fs.StringVar(&f.cols.Class, "class-col", "", "generic CSV: class column with workload, inbox or third-party (default Class, optional)")
	fs.StringVar(&f.cols.WriteKind, "write-kind", "", "generic CSV: the write column holds a rate (bytes/s) or bytes (per interval); default: from its name")
	fs.StringVar(&f.timeFormat, "time-format", "", "timestamp format: a Go layout (2006-01-02 15:04:05, 02.01.2006 15:04:05), rfc3339, unix, unixms or perfmon; default: detected (ISO, US month first, DD.MM.YYYY, DD/MM/YYYY when the day is over 12)")
	return fs, printUsage
}

// churnFlags are the churn analysis's flags, with the same meaning for
// analyze and for the live screens (ui).
type churnFlags struct {
	spikeFactor, compression, growth float64
	link                             string
	// diskSize is --disk-size: the guest's total disk size for the resync
	// forecast ("" for none given).
	diskSize string
}

// addChurnFlags defines --spike-factor, --compression, --growth and --link
// on fs.
func addChurnFlags(fs *flag.FlagSet, c *churnFlags) {
	fs.Float64Var(&c.spikeFactor, "spike-factor", 10, "flag minutes above this many times the baseline (median complete minute)")
	fs.Float64Var(&c.compression, "compression", 1, "compressed size / original size, 0 < R <= 1 (0.5: half the bytes cross the WAN; 1: no compression)")
	fs.Float64Var(&c.growth, "growth", 30, "churn growth to plan for, in percent (the planned bandwidth is the 95th-percentile cycle plus this)")
	fs.StringVar(&c.link, "link", "", "WAN link to check, e.g. 100Mbit, 1Gbit, 50MB/s")
	fs.StringVar(&c.diskSize, "disk-size", "", "the guest's total disk size for the resync forecast, such as 127GiB (127GiB,40GiB: disks added); analyze needs it (recordings do not carry it), ui reads this machine's whole disks without it")
}

// checkFloatFlag refuses NaN, infinite and negative values of a float flag
// with one line naming it.
func checkFloatFlag(name string, v float64) error {
	switch {
	case math.IsNaN(v), math.IsInf(v, 0):
		return fmt.Errorf("--%s %g: give a finite number", name, v)
	case v < 0:
		return fmt.Errorf("--%s %g: must not be negative", name, v)
	}
	return nil
}

// options checks the flags and returns them as analysis options; the error
// is one line naming the flag and what to give.
func (c churnFlags) options() (analysis.Options, error) {
	opt := analysis.Options{SpikeFactor: c.spikeFactor, Compression: c.compression, Growth: c.growth / 100, NoGrowth: c.growth == 0}
	for _, f := range []struct {
		name string
		v    float64
	}{{"spike-factor", c.spikeFactor}, {"compression", c.compression}, {"growth", c.growth}} {
		if err := checkFloatFlag(f.name, f.v); err != nil {
			return opt, err
		}
	}
	if c.compression <= 0 || c.compression > 1 {
		return opt, fmt.Errorf("--compression %g: use compressed size / original size, above 0 and at most 1 (0.5 = half the bytes cross the WAN)", c.compression)
	}
	if c.spikeFactor <= 1 {
		return opt, fmt.Errorf("--spike-factor %g: use a number above 1 (10 flags minutes over 10x the baseline)", c.spikeFactor)
	}
	if c.growth > 1000 {
		return opt, fmt.Errorf("--growth %g: give a percentage from 0 to 1000 (30 plans for 30%% more churn)", c.growth)
	}
	if c.link != "" {
		r, err := analysis.ParseLinkRate(c.link)
		if err != nil {
			return opt, fmt.Errorf("--%w", err)
		}
		opt.LinkRate = r
	}
	if c.diskSize != "" {
		n, err := parseDiskSize(c.diskSize)
		if err != nil {
			return opt, err
		}
		opt.DiskBytes, opt.DiskSource = n, "--disk-size"
	}
	return opt, nil
}

// parseDiskSize reads --disk-size: one size or a comma-separated list of
// disk sizes, added.
func parseDiskSize(s string) (int64, error) {
	var total float64
	for _, part := range strings.Split(s, ",") {
		n, err := units.ParseSize(part)
		if err != nil {
			return 0, fmt.Errorf("--disk-size: %v", err)
		}
		total += n
	}
	if total >= math.MaxInt64 {
		return 0, fmt.Errorf("--disk-size %q: too large; give the total of the guest's disks, such as 127GiB", s)
	}
	return int64(total), nil
}

// parseInterspersed parses flags that may come before or after the inputs.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseIntervals reads --interval.
func parseIntervals(s string) ([]time.Duration, error) {
	if strings.EqualFold(strings.TrimSpace(s), "all") || s == "" {
		return analysis.DefaultIntervals, nil
	}
	var out []time.Duration
	for _, part := range strings.Split(s, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil || (d != 30*time.Second && d != 5*time.Minute && d != 15*time.Minute) {
			return nil, fmt.Errorf("--interval %q: use 30s, 5m, 15m or all (Hyper-V Replica's frequencies)", part)
		}
		out = append(out, d)
	}
	return out, nil
}

func runAnalyze(args []string, stdout, stderr io.Writer) int {
	var f analyzeFlags
	fs, usage := newAnalyzeFlagSet(&f, stdout)
	inputs, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage()
			return exitOK
		}
		fmt.Fprintf(stderr, "hvrdoctor analyze: %s; run 'hvrdoctor analyze -h' for the flags\n", flagErrorLine(err))
		return exitUsage
	}
	fs.Visit(func(fl *flag.Flag) { f.formatGiven = f.formatGiven || fl.Name == "format" })
	fail := func(format string, a ...any) int {
		// Values quoted in the message are cut and URL passwords redacted.
		fmt.Fprintf(stderr, "hvrdoctor analyze: %s\n", flagErrorLine(fmt.Errorf(format, a...)))
		return exitUsage
	}
	if len(inputs) == 0 {
		return fail("no input: give a recording directory or CSV files (hvrdoctor analyze DIR|FILES)")
	}
	if f.format != "text" && f.format != "markdown" && f.format != "json" {
		return fail("--format %q: use text, markdown or json", f.format)
	}
	opt, err := f.churn.options()
	if err != nil {
		return fail("%v", err)
	}
	if opt.Intervals, err = parseIntervals(f.interval); err != nil {
		return fail("%v", err)
	}
	f.cols.TimeFormat = analysis.TimeFormat(f.timeFormat)
	if err := f.cols.Validate(); err != nil {
		return fail("%v", err)
	}
	cl := sampler.DefaultClassifier()
	if f.rules != "" {
		if err := cl.LoadRules(f.rules); err != nil {
			return fail("--rules %s: %v", f.rules, err)
		}
	}
	opt.Classify = cl.Classify
	if err := opt.Validate(); err != nil {
		return fail("%v", err)
	}
	paths, err := analysis.ExpandPaths(inputs)
	if err != nil {
		return fail("%v", err)
	}
	if !f.formatGiven && uiIsTerminal(stdout) {
		return analyzeScreens(inputs, paths, f, opt, cl, stderr)
	}
	res, err := analysis.AnalyzeFiles(paths, f.cols, opt)
	if err != nil {
		var fe *analysis.FileError
		if errors.As(err, &fe) || res != nil {
			fmt.Fprintf(stderr, "hvrdoctor analyze: %v\n", err)
			for _, in := range resInputs(res) {
				if s := in.Skipped.String(); s != "" {
					fmt.Fprintf(stderr, "hvrdoctor analyze: %s\n", s)
				}
			}
			return exitUsage
		}
		fmt.Fprintf(stderr, "hvrdoctor analyze: %v\n", err)
		return exitFail
	}
	switch f.format {
	case "markdown":
		_, err = io.WriteString(stdout, views.AnalysisMarkdown(res))
	case "json":
		err = writeAnalysisJSON(stdout, res)
	default:
		_, err = io.WriteString(stdout, views.AnalysisText(res))
	}
	if err != nil {
		fmt.Fprintf(stderr, "hvrdoctor analyze: write output: %v\n", err)
		return exitFail
	}
	if res.Partial() {
		fmt.Fprintln(stderr, "hvrdoctor analyze: partial result: some rows were skipped (see \"Skipped input\" above)")
	}
	return exitOK
}

func resInputs(r *analysis.Result) []analysis.Input {
	if r == nil {
		return nil
	}
	return r.Inputs
}
