package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"
	"golang.org/x/term"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/tui"
	"github.com/hvrdoctor/hvrdoctor/views"
)

func init() {
	register(command{
		name:    "ui",
		summary: "open the terminal UI (the default when no command is given)",
		run:     runUI,
	})
}

// uiOptions are the flags of the terminal UI.
type uiOptions struct {
	interval time.Duration
	rules    string
	ascii    bool
}

// uiTopWriters is how many processes the one-shot table lists when stdout is
// not a terminal.
const uiTopWriters = 20

func parseUIFlags(args []string, stdout, stderr io.Writer) (uiOptions, int, bool) {
	var o uiOptions
	fs := flag.NewFlagSet("ui", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.DurationVar(&o.interval, "interval", time.Second, "time between samples, 250ms to 60s (+ and - change it on screen)")
	fs.StringVar(&o.rules, "rules", "", "file of extra classification rules: lines of \"<class> <pattern> [description]\"")
	fs.BoolVar(&o.ascii, "ascii", false, "draw with ASCII characters only (automatic when the locale is not UTF-8)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "Usage: hvrdoctor [ui] [--interval 1s] [--rules FILE] [--ascii]")
			fmt.Fprintln(stdout, "Opens the live sampler. When stdout is not a terminal, prints the top writers once and exits.")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return o, exitOK, false
		}
		fmt.Fprintf(stderr, "hvrdoctor: %v; run 'hvrdoctor ui -h' for the flags\n", err)
		return o, exitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hvrdoctor ui: unexpected argument %q; run 'hvrdoctor ui -h' for the flags\n", fs.Arg(0))
		return o, exitUsage, false
	}
	if o.interval < sampler.MinInterval || o.interval > sampler.MaxInterval {
		fmt.Fprintf(stderr, "hvrdoctor: --interval %s is out of range; use 250ms to 60s\n", o.interval)
		return o, exitUsage, false
	}
	return o, exitOK, true
}

func runUI(args []string, stdout, stderr io.Writer) int {
	o, code, ok := parseUIFlags(args, stdout, stderr)
	if !ok {
		return code
	}
	cls := sampler.DefaultClassifier()
	if o.rules != "" {
		if err := cls.LoadRules(o.rules); err != nil {
			fmt.Fprintf(stderr, "hvrdoctor: --rules: %v\n", err)
			return exitUsage
		}
	}
	eng, err := sampler.NewEngine(sampler.NewLiveSource(), sampler.Config{Interval: o.interval, Classifier: cls})
	if err != nil {
		fmt.Fprintf(stderr, "hvrdoctor: %v\n", err)
		return exitUsage
	}
	host, _ := os.Hostname()
	if !uiIsTerminal(stdout) {
		return uiOneShot(context.Background(), eng, host, o.interval, stdout, stderr)
	}

	ascii, mode := tui.DetectDisplayHere(os.Getenv)
	if o.ascii {
		ascii, mode = true, views.ASCII
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := tui.New(tui.Options{Sampler: eng, Interval: o.interval, Host: host, ASCII: ascii, Mode: mode, Context: ctx})
	if _, err := tea.NewProgram(m, tea.WithContext(ctx)).Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintf(stderr, "hvrdoctor: terminal UI: %v\n", err)
		return exitFail
	}
	return exitOK
}

// uiIsTerminal reports whether w is a terminal.
func uiIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// uiOneShot takes two samples one interval apart and prints the top writers
// as a plain text table, for pipes, scripts and tickets.
func uiOneShot(ctx context.Context, eng *sampler.Engine, host string, iv time.Duration, stdout, stderr io.Writer) int {
	if _, err := eng.Sample(ctx); err != nil {
		fmt.Fprintf(stderr, "hvrdoctor: first sample: %v\n", err)
		return exitFail
	}
	time.Sleep(iv)
	f, err := eng.Sample(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "hvrdoctor: second sample: %v\n", err)
		return exitFail
	}
	uiWriteTable(stdout, f, host)
	return exitOK
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
