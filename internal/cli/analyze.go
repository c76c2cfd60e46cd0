package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/views"
)

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
// nothing itself: a bad flag comes back as one FlagError line.
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

// runAnalyze is `hvrdoctor analyze`: exit 2 for input that cannot be
// read (it names the file), 1 for a failure writing the output.
func runAnalyze(env *Env, args []string) error {
	f, inputs, opt, cl, err := parseAnalyzeFlags(env, args)
	if err != nil {
		return err
	}
	paths, err := analysis.ExpandPaths(inputs)
	if err != nil {
		return analyzeUsage("%v", err)
	}
	if !f.formatGiven && env.IsTerminal(env.Stdout) {
		return analyzeScreens(env, inputs, paths, f, opt, cl)
	}
	res, err := analysis.AnalyzeFiles(paths, f.cols, opt)
	if err != nil {
		var fe *analysis.FileError
		if errors.As(err, &fe) || res != nil {
			env.notef("%v", err)
			for _, in := range resInputs(res) {
				if s := in.Skipped.String(); s != "" {
					env.notef("%s", s)
				}
			}
			return errUsageShown
		}
		return err
	}
	switch f.format {
	case "markdown":
		_, err = io.WriteString(env.Stdout, views.AnalysisMarkdown(res))
	case "json":
		err = writeAnalysisJSON(env.Stdout, res, env.tool())
	default:
		_, err = io.WriteString(env.Stdout, views.AnalysisText(res))
	}
	if err != nil {
		return fmt.Errorf("write output: %v", err)
	}
	if res.Partial() {
		env.notef("partial result: some rows were skipped (see \"Skipped input\" above)")
	}
	return nil
}

// analyzeUsage is a usage error of analyze; values quoted in the message
// are cut and URL passwords redacted.
func analyzeUsage(format string, a ...any) error {
	return &FlagError{Err: errors.New(flagErrorLine(fmt.Errorf(format, a...)))}
}

// parseAnalyzeFlags reads analyze's flags and inputs and checks them:
// the analysis options and the classifier for processes the input gives
// no class for.
func parseAnalyzeFlags(env *Env, args []string) (f analyzeFlags, inputs []string, opt analysis.Options, cl *sampler.Classifier, err error) {
	fs, usage := newAnalyzeFlagSet(&f, env.Stdout)
	inputs, err = parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage()
			return f, nil, opt, nil, errHelp
		}
		return f, nil, opt, nil, parseError("analyze", err)
	}
	fs.Visit(func(fl *flag.Flag) { f.formatGiven = f.formatGiven || fl.Name == "format" })
	if len(inputs) == 0 {
		return f, nil, opt, nil, analyzeUsage("no input: give a recording directory or CSV files (hvrdoctor analyze DIR|FILES)")
	}
	if f.format != "text" && f.format != "markdown" && f.format != "json" {
		return f, nil, opt, nil, analyzeUsage("--format %q: use text, markdown or json", f.format)
	}
	if opt, err = f.churn.options(); err != nil {
		return f, nil, opt, nil, analyzeUsage("%v", err)
	}
	if opt.Intervals, err = parseIntervals(f.interval); err != nil {
		return f, nil, opt, nil, analyzeUsage("%v", err)
	}
	f.cols.TimeFormat = analysis.TimeFormat(f.timeFormat)
	if err := f.cols.Validate(); err != nil {
		return f, nil, opt, nil, analyzeUsage("%v", err)
	}
	if cl, err = loadRules(f.rules); err != nil {
		return f, nil, opt, nil, err
	}
	opt.Classify = cl.Classify
	if err := opt.Validate(); err != nil {
		return f, nil, opt, nil, analyzeUsage("%v", err)
	}
	return f, inputs, opt, cl, nil
}

func resInputs(r *analysis.Result) []analysis.Input {
	if r == nil {
		return nil
	}
	return r.Inputs
}
