package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/hvrdoctor/hvrdoctor/internal/units"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

func init() {
	register(command{
		name:    "record",
		summary: "record write rates to HVRStats-N.csv, ProcStats-N.csv and FileStats-N.csv",
		run:     runRecord,
	})
}

// recordOptions are the flags of hvrdoctor record.
type recordOptions struct {
	out      string
	interval time.Duration
	duration time.Duration
	rules    string
	files    string
	allFiles bool
}

func parseRecordFlags(args []string, stdout, stderr io.Writer) (recordOptions, int, bool) {
	var o recordOptions
	fs := flag.NewFlagSet("record", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.out, "out", ".", "directory for the CSV files (created if missing)")
	fs.DurationVar(&o.interval, "interval", time.Second, "time between samples, 250ms to 60s")
	fs.DurationVar(&o.duration, "duration", 0, "stop after this long (default: until Ctrl-C)")
	fs.StringVar(&o.rules, "rules", "", "file of extra classification rules: lines of \"<class> <pattern> [description]\"")
	fs.StringVar(&o.files, "files", recordFilesAuto, "per-file bytes to FileStats-N.csv: auto (when a per-file backend can run), on (fail when none can) or off")
	fs.BoolVar(&o.allFiles, "all-files", false, "also record files whose bytes never reach a disk (/proc, /sys, cgroup, devpts...)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "Usage: hvrdoctor record [--out DIR] [--interval 1s] [--duration D] [--rules FILE] [--files auto|on|off] [--all-files]")
			fmt.Fprintln(stdout, "Records per-disk, per-process and per-file write rates, one row per sample, until Ctrl-C or --duration.")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return o, exitOK, false
		}
		fmt.Fprintf(stderr, "hvrdoctor record: %s; run 'hvrdoctor record -h' for the flags\n", flagErrorLine(err))
		return o, exitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hvrdoctor record: unexpected argument %s; the output directory goes in --out\n", flagErrorLine(fmt.Errorf("%q", fs.Arg(0))))
		return o, exitUsage, false
	}
	if o.interval < sampler.MinInterval || o.interval > sampler.MaxInterval {
		fmt.Fprintf(stderr, "hvrdoctor record: --interval %s is out of range; use 250ms to 60s\n", o.interval)
		return o, exitUsage, false
	}
	if o.duration < 0 {
		fmt.Fprintf(stderr, "hvrdoctor record: --duration %s is negative; give a positive duration such as 10m, or none to record until Ctrl-C\n", o.duration)
		return o, exitUsage, false
	}
	if o.duration > 0 && o.duration < o.interval {
		fmt.Fprintf(stderr, "hvrdoctor record: --duration %s is shorter than --interval %s: the first sample ends one interval after the start; give a longer --duration or a shorter --interval\n", o.duration, o.interval)
		return o, exitUsage, false
	}
	switch o.files {
	case recordFilesAuto, recordFilesOn, recordFilesOff:
	default:
		fmt.Fprintf(stderr, "hvrdoctor record: --files %s is not auto, on or off\n", flagErrorLine(fmt.Errorf("%q", o.files)))
		return o, exitUsage, false
	}
	if o.out == "" {
		fmt.Fprintln(stderr, "hvrdoctor record: --out is empty; give a directory such as --out ./recording")
		return o, exitUsage, false
	}
	return o, exitOK, true
}

// recordWriterTotal is what one process wrote during the recording.
type recordWriterTotal struct {
	name  string
	pid   int32
	class sampler.Class
	bytes float64
}

func runRecord(args []string, stdout, stderr io.Writer) int {
	o, code, ok := parseRecordFlags(args, stdout, stderr)
	if !ok {
		return code
	}
	cls := sampler.DefaultClassifier()
	if o.rules != "" {
		if err := cls.LoadRules(o.rules); err != nil {
			fmt.Fprintf(stderr, "hvrdoctor record: --rules: %v\n", err)
			return exitUsage
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	eng, err := sampler.NewEngine(sampler.NewLiveSource(), sampler.Config{Interval: o.interval, Classifier: cls})
	if err != nil {
		fmt.Fprintf(stderr, "hvrdoctor record: %v\n", err)
		return exitUsage
	}
	defer eng.Close() // stops the ETW session on Windows
	base, err := eng.Sample(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "hvrdoctor record: first sample: %v\n", err)
		return exitFail
	}
	// The per-file source's first reading follows the process baseline at
	// once, so both count the same intervals from here on.
	files, filesNote, err := startRecordFiles(ctx, o.files, o.allFiles)
	if err != nil {
		fmt.Fprintf(stderr, "hvrdoctor record: %v\n", err)
		return exitFail
	}
	if files != nil {
		defer files.close()
	}
	disks := make([]string, len(base.Disks))
	for i, d := range base.Disks {
		disks[i] = d.Name
	}
	rec, err := sampler.NewRecorder(o.out, disks)
	if err != nil {
		fmt.Fprintf(stderr, "hvrdoctor record: %v; choose a writable --out directory\n", err)
		return exitFail
	}
	paths := rec.Paths()
	if files != nil {
		if err := files.create(o.out, rec.N()); err != nil {
			rec.Close()
			fmt.Fprintf(stderr, "hvrdoctor record: %v; choose a writable --out directory\n", err)
			return exitFail
		}
		paths = append(paths, files.rec.Path())
	}
	until := "until Ctrl-C"
	if o.duration > 0 {
		until = "for " + o.duration.String()
	}
	label := base.Info.WriteLabel
	if base.Info.CancelledWrites {
		label += " (write_bytes - cancelled_write_bytes; cancelled in CancelledWriteBytesPerSec)"
	}
	fmt.Fprintf(stderr, "hvrdoctor record: recording to %s every %s %s; per-process counters are %s\n",
		recordJoin(paths), o.interval, until, label)
	if files != nil {
		fmt.Fprintf(stderr, "hvrdoctor record: %s\n", files.startMessage())
	} else if filesNote != "" {
		fmt.Fprintf(stderr, "hvrdoctor record: %s\n", filesNote)
	}
	if (files == nil || !files.merge) && base.Info.ReapedChildrenInParent {
		fmt.Fprintln(stderr, "hvrdoctor record: processes that start and exit between samples are counted in their parent (ProcStats ChildrenWriteBytes says how much); run as root with the eBPF per-file backend (--files on) for exact attribution")
	}
	if base.Hidden > 0 {
		fmt.Fprintf(stderr, "hvrdoctor record: %s hidden: run as root/Administrator to see them\n", recordPlural(base.Hidden, "process", "processes"))
	}

	start := time.Now()
	totals := make(map[sampler.ProcKey]*recordWriterTotal)
	ticker := time.NewTicker(o.interval)
	defer ticker.Stop()
	code = exitOK
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-ticker.C:
		}
		f, err := eng.Sample(ctx)
		if err != nil {
			if ctx.Err() != nil {
				break loop
			}
			fmt.Fprintf(stderr, "hvrdoctor record: %v\n", err)
			code = exitFail
			break loop
		}
		if files != nil && files.src != nil {
			warn, err := files.sample(ctx, eng, &f, rec.Samples()+1)
			if err != nil {
				if ctx.Err() != nil {
					break loop
				}
				fmt.Fprintf(stderr, "hvrdoctor record: per-file recording stopped: %v; the other files go on, the exit status will be 1\n", err)
				if err := files.close(); err != nil {
					fmt.Fprintf(stderr, "hvrdoctor record: %v\n", err)
				}
				// A file that could not be written is a failed recording,
				// even when the others were complete.
				code = exitFail
			} else if warn != "" {
				fmt.Fprintf(stderr, "hvrdoctor record: %s\n", warn)
			}
		}
		if err := rec.Write(f); err != nil {
			fmt.Fprintf(stderr, "hvrdoctor record: %v\n", err)
			code = exitFail
			break loop
		}
		for _, p := range f.Processes {
			if (p.Exited && !p.Merged) || p.WriteRate <= 0 {
				continue
			}
			t := totals[p.Key]
			if t == nil {
				t = &recordWriterTotal{name: p.Name, pid: p.Key.PID, class: p.Class.Class}
				totals[p.Key] = t
			}
			t.bytes += p.WriteRate * f.Elapsed.Seconds()
		}
		if o.duration > 0 && time.Since(start) >= o.duration-o.interval/2 {
			break loop
		}
	}
	stop()
	if err := rec.Close(); err != nil {
		fmt.Fprintf(stderr, "hvrdoctor record: %v\n", err)
		code = exitFail
	}
	if files != nil {
		if err := files.close(); err != nil {
			fmt.Fprintf(stderr, "hvrdoctor record: %v\n", err)
			code = exitFail
		}
	}
	summary := recordSummary(paths, rec.Samples(), time.Since(start), totals)
	if files != nil {
		summary += "; " + files.topFile()
	}
	fmt.Fprintln(stdout, summary)
	return code
}

// recordSummary is the one line printed when a recording ends.
func recordSummary(paths []string, samples int, d time.Duration, totals map[sampler.ProcKey]*recordWriterTotal) string {
	var top *recordWriterTotal
	for _, t := range totals {
		if top == nil || t.bytes > top.bytes || (t.bytes == top.bytes && t.pid < top.pid) {
			top = t
		}
	}
	who := "top writer: none (no process wrote)"
	if top != nil {
		who = fmt.Sprintf("top writer: %s (PID %d, %s) %s", top.name, top.pid, top.class, units.Bytes(top.bytes))
	}
	noun := "samples"
	if samples == 1 {
		noun = "sample"
	}
	return fmt.Sprintf("recorded %d %s over %s to %s; %s",
		samples, noun, d.Round(100*time.Millisecond), strings.Join(paths, ", "), who)
}

// recordJoin is "a and b" or "a, b and c".
func recordJoin(s []string) string {
	if len(s) <= 2 {
		return strings.Join(s, " and ")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// recordPlural is "1 process" or "3 processes".
func recordPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
