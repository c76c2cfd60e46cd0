package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/sampler/disksize"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
	"github.com/hvrdoctor/hvrdoctor/tui"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// uiOptions are the flags of the terminal UI.
type uiOptions struct {
	interval  time.Duration
	rules     string
	ascii     bool
	reportDir string
	// churn holds --spike-factor, --compression and --link for the
	// Churn tab and the report, as for analyze.
	churn churnFlags
	// files is --files and --all-files, as for record.
	files filesFlags
	// target holds the wizard's flags (the same as check's); run is true
	// when --replica was given, so the wizard checks at once.
	target *targetFlags
	run    bool
	// from is --from: saved PowerShell output for the Replication tab.
	from []string
}

// uiTopWriters is how many processes the one-shot table lists when stdout is
// not a terminal.
const uiTopWriters = 20

func parseUIFlags(env *Env, args []string) (uiOptions, error) {
	var o uiOptions
	fs := flag.NewFlagSet("ui", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.DurationVar(&o.interval, "interval", time.Second, "time between samples, 250ms to 60s (+ and - change it on screen)")
	fs.StringVar(&o.rules, "rules", "", "file of extra classification rules: lines of \"<class> <pattern> [description]\"")
	fs.BoolVar(&o.ascii, "ascii", false, "draw with ASCII characters only (automatic when the locale is not UTF-8)")
	fs.StringVar(&o.reportDir, "report-dir", ".", "directory where r saves the incident report")
	addFilesFlags(fs, &o.files, "per-file activity in the Files tab", "also show files whose bytes never reach a disk (/proc, /sys, cgroup, devpts...)")
	fs.Func("from", "saved PowerShell output (file or directory, repeatable) for the Replication tab; see hvrdoctor status", func(v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("empty: give a file or a directory")
		}
		o.from = append(o.from, v)
		return nil
	})
	addChurnFlags(fs, &o.churn)
	o.target = addTargetFlags(env, fs, nil, "replica server for the wizard: short name, FQDN or IP address (the wizard runs at once)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(env.Stdout, "Usage: hvrdoctor [ui] [--interval 1s] [--rules FILE] [--ascii] [--report-dir DIR] [--files auto|on|off] [--all-files] [--link 100Mbit] [--compression R] [--spike-factor K] [--growth PCT] [--disk-size SIZE] [--from FILES|DIR] [--replica NAME [check flags]]")
			fmt.Fprintln(env.Stdout, "Opens the live sampler beside the wizard. The wizard's flags are those of 'hvrdoctor check';")
			fmt.Fprintln(env.Stdout, "with --replica it checks at once, else its form starts from the flags given.")
			fmt.Fprintln(env.Stdout, "When stdout is not a terminal, prints the top writers once and exits.")
			fs.SetOutput(env.Stdout)
			fs.PrintDefaults()
			return o, errHelp
		}
		return o, parseError("ui", err)
	}
	if fs.NArg() > 0 {
		return o, flagErrorf("unexpected argument %s; run 'hvrdoctor ui -h' for the flags", probes.ShowValue(fs.Arg(0)))
	}
	if err := checkInterval(o.interval); err != nil {
		return o, err
	}
	if err := o.files.validate(); err != nil {
		return o, err
	}
	if _, err := o.churn.options(); err != nil {
		return o, &FlagError{Err: err}
	}
	if st, err := os.Stat(o.reportDir); err != nil || !st.IsDir() {
		return o, flagErrorf("--report-dir %s: not a directory; create it or give another", probes.ShowValue(o.reportDir))
	}
	if o.target.in.Replica != "" {
		// The same validation as check: a bad target is a usage error now,
		// not a surprise in the form.
		if err := o.target.apply(); err != nil {
			return o, &FlagError{Err: err}
		}
		o.run = true
	} else if err := o.target.validate(); err != nil {
		// Without --replica the flags fill the form: still a usage error
		// now when one is bad.
		return o, &FlagError{Err: err}
	}
	return o, nil
}

// runUI is `hvrdoctor ui`, and hvrdoctor without a subcommand: the
// terminal UI, or the top writers once when stdout is not a terminal.
func runUI(env *Env, args []string) error {
	o, err := parseUIFlags(env, args)
	if err != nil {
		return err
	}
	cls, err := loadRules(o.rules)
	if err != nil {
		return err
	}
	eng, err := sampler.NewEngine(sampler.NewLiveSource(), sampler.Config{Interval: o.interval, Classifier: cls})
	if err != nil {
		return &FlagError{Err: err}
	}
	defer eng.Close() // stops the ETW session on Windows
	host, _ := os.Hostname()
	if !env.IsTerminal(env.Stdout) {
		// The one-shot table has no wizard: a target flag would be
		// silently ignored, so it is a usage error.
		if len(o.from) > 0 {
			return flagErrorf("--from needs the terminal UI's Replication tab; without a terminal run 'hvrdoctor status --from' with the same files")
		}
		if name := o.target.firstGiven(); name != "" {
			return flagErrorf("--%s needs the wizard, which needs a terminal; without one run 'hvrdoctor check --replica NAME' with the same flags", name)
		}
		return uiOneShot(context.Background(), eng, host, o.interval, env.Stdout)
	}
	return runScreens(env, o, eng, host)
}

// runScreens runs the terminal UI until the user quits, then prints the
// fix commands copied in it.
func runScreens(env *Env, o uiOptions, eng *sampler.Engine, host string) error {
	ascii, mode := tui.DetectDisplayHere(env.Getenv)
	if o.ascii {
		ascii, mode = true, views.ASCII
	}
	if err := finishAuthFlags(o.target.t, env.Terminal, env.Stderr); err != nil {
		return &FlagError{Err: err}
	}
	files, filesNote, err := openUIFiles(env, o.files)
	if err != nil {
		return err
	}
	if files != nil {
		defer files.Close()
	}
	repl, err := uiReplication(env, o.from)
	if err != nil {
		return flagErrorf("%s", oneLineErr(err))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var replLoad func(context.Context) (*views.ReplicationData, error)
	if repl == nil && hyperv.HostHasHyperV() {
		replLoad = env.liveReplication
	}
	st, stNote := tui.DefaultStorage()
	m := tui.New(tui.Options{Storage: st, StorageNote: stNote, IOPriority: sampler.ReadIOPriority, Replication: repl, ReplicationLoad: replLoad, Sampler: eng, Interval: o.interval, Host: host, ASCII: ascii, Mode: mode, Context: ctx,
		Tool: env.tool(), ReportDir: o.reportDir, Analysis: o.churnOptions(), FileSource: uiFileSource(files), FilesNote: filesNote,
		Wizard: tui.WizardOptions{
			Fields: o.target.fields(), RunAtStart: o.run, ProxyHint: proxyHint(env.Getenv),
			Base: formBase(*o.target.t, o.target.t.Timeout, o.target.in.ProxyURL),
		}})
	_, err = tea.NewProgram(m, tea.WithContext(ctx)).Run()
	printCopied(env.Stdout, m.Copied())
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return fmt.Errorf("terminal UI: %v", err)
	}
	return nil
}

// openUIFiles opens the per-file backend for the Files tab as --files
// says: off gives no source and a note saying so; auto gives the note of
// why no backend could run instead of failing; on fails then.
func openUIFiles(env *Env, f filesFlags) (fileio.Source, string, error) {
	if f.mode == filesOff {
		return nil, "turned off with --files off; run without it to see which files are written", nil
	}
	if f.mode == filesAuto && env.OpenFileSourceAsync != nil {
		// The screen starts while the backend loads; if none can run,
		// the Files tab says why at its first reading.
		return env.OpenFileSourceAsync(f.all), "", nil
	}
	src, missing, err := f.open(env)
	if err != nil {
		return nil, "", err
	}
	if missing != nil {
		return nil, missing.Error(), nil
	}
	return src, "", nil
}

// uiFileSource is src as the UI's interface, nil (not a typed nil) when
// there is none.
func uiFileSource(src fileio.Source) tui.FileSource {
	if src == nil {
		return nil
	}
	return src
}

// printCopied prints the fix commands copied in the UI after it closed: the
// clipboard request (OSC 52) is silently ignored by some terminals.
func printCopied(w io.Writer, cmds []string) {
	if len(cmds) == 0 {
		return
	}
	fmt.Fprintln(w, "Fix commands copied in hvrdoctor (in case the terminal did not pass them to the clipboard):")
	for _, c := range cmds {
		fmt.Fprintln(w, "  "+c)
	}
}

// proxyHint is the wizard's proxy placeholder: what an empty field uses.
func proxyHint(getenv func(string) string) string {
	for _, v := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"} {
		if p := getenv(v); p != "" {
			// Never show a proxy password, parsed as a URL or not.
			return "(detect: " + v + "=" + probes.ShowValue(p) + ")"
		}
	}
	if runtime.GOOS == "windows" {
		return "(detect: WinHTTP proxy)"
	}
	return "(detect: none set)"
}

// uiOneShot takes two samples one interval apart and prints the top writers
// as a plain text table, for pipes, scripts and tickets.
func uiOneShot(ctx context.Context, eng *sampler.Engine, host string, iv time.Duration, stdout io.Writer) error {
	if _, err := eng.Sample(ctx); err != nil {
		return fmt.Errorf("first sample: %v", err)
	}
	time.Sleep(iv)
	f, err := eng.Sample(ctx)
	if err != nil {
		return fmt.Errorf("second sample: %v", err)
	}
	uiWriteTable(stdout, f, host)
	return nil
}

// uiWriteTable prints the frame's top writers (processes that wrote) with a
// one-line heading, in
// fixed columns (names left, numbers right) that read in a ticket or a
// fixed-width font.
func uiWriteTable(w io.Writer, f sampler.Frame, host string) {
	fmt.Fprintf(w, "hvrdoctor: top writers on %s over %s (%s); disks: %s written, %s read\n",
		host, f.Elapsed.Round(time.Millisecond), f.Info.WriteLabel, views.Rate(f.DiskWriteRate), views.Rate(f.DiskReadRate))
	if f.Hidden > 0 {
		fmt.Fprintln(w, views.HiddenText(f.Hidden))
	}
	if f.Info.Note != "" {
		fmt.Fprintln(w, f.Info.Note)
	}
	var rows []sampler.ProcessRates
	for _, p := range f.Processes {
		if p.WriteRate > 0 {
			rows = append(rows, p)
		}
	}
	if len(rows) == 0 {
		if f.DiskWriteRate > 0 {
			// The disks' line above shows writes: say where they can come
			// from rather than contradict it.
			fmt.Fprintf(w, "no process wrote during the %s among those still running; the disks' %s came from processes that exited before the second sample "+
				"or from writes not charged to a process; 'hvrdoctor record' as root also counts short-lived processes\n",
				f.Elapsed.Round(time.Millisecond), views.Rate(f.DiskWriteRate))
			return
		}
		fmt.Fprintf(w, "no process wrote during the %s; run again with a longer --interval to catch bursts\n",
			f.Elapsed.Round(time.Millisecond))
		return
	}
	views.SortProcesses(rows, views.SortWrite, true)
	nameW := len("IMAGE")
	for i, p := range rows {
		if i < uiTopWriters {
			nameW = max(nameW, min(40, len(p.Name)))
		}
	}
	line := func(name, pid, class, wr, rd, total string) {
		fmt.Fprintf(w, "%-*s  %7s  %-11s  %10s  %10s  %8s\n", nameW, name, pid, class, wr, rd, total)
	}
	line("IMAGE", "PID", "CLASS", "WRITE/S", "READ/S", "WRITTEN")
	for i, p := range rows {
		if i >= uiTopWriters {
			break
		}
		line(views.Truncate(p.Name, nameW, "~"), strconv.Itoa(int(p.Key.PID)), string(p.Class.Class),
			views.Rate(p.WriteRate), views.Rate(p.ReadRate), views.Bytes(p.WriteTotal))
	}
}

// churnOptions are the Churn tab's analysis options from the flags
// (checked by parseUIFlags).
// Without --disk-size the resync forecast uses this machine's whole disks;
// when they cannot be read the forecast says why there is none.
func (o uiOptions) churnOptions() analysis.Options {
	opt, _ := o.churn.options()
	if opt.DiskBytes == 0 {
		if ds, err := disksize.Read(); err == nil {
			opt.DiskBytes, opt.DiskSource = disksize.Total(ds), disksize.Describe(ds)
		} else {
			opt.DiskSource = err.Error()
		}
	}
	return opt
}
