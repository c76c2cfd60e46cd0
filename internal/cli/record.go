package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/units"
	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// recordOptions are the flags of hvrdoctor record.
type recordOptions struct {
	out      string
	interval time.Duration
	duration time.Duration
	rules    string
	files    filesFlags
}

func parseRecordFlags(env *Env, args []string) (recordOptions, error) {
	var o recordOptions
	fs := flag.NewFlagSet("record", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.out, "out", ".", "directory for the CSV files (created if missing)")
	fs.DurationVar(&o.interval, "interval", time.Second, "time between samples, 250ms to 60s")
	fs.DurationVar(&o.duration, "duration", 0, "stop after this long (default: until Ctrl-C)")
	fs.StringVar(&o.rules, "rules", "", "file of extra classification rules: lines of \"<class> <pattern> [description]\"")
	addFilesFlags(fs, &o.files, "per-file bytes to FileStats-N.csv", "also record files whose bytes never reach a disk (/proc, /sys, cgroup, devpts...)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(env.Stdout, "Usage: hvrdoctor record [--out DIR] [--interval 1s] [--duration D] [--rules FILE] [--files auto|on|off] [--all-files]")
			fmt.Fprintln(env.Stdout, "Records per-disk, per-process and per-file write rates, one row per sample, until Ctrl-C or --duration.")
			fs.SetOutput(env.Stdout)
			fs.PrintDefaults()
			return o, errHelp
		}
		return o, parseError("record", err)
	}
	if fs.NArg() > 0 {
		return o, flagErrorf("unexpected argument %s; the output directory goes in --out", flagErrorLine(fmt.Errorf("%q", fs.Arg(0))))
	}
	if err := checkInterval(o.interval); err != nil {
		return o, err
	}
	if o.duration < 0 {
		return o, flagErrorf("--duration %s is negative; give a positive duration such as 10m, or none to record until Ctrl-C", o.duration)
	}
	if o.duration > 0 && o.duration < o.interval {
		return o, flagErrorf("--duration %s is shorter than --interval %s: the first sample ends one interval after the start; give a longer --duration or a shorter --interval", o.duration, o.interval)
	}
	if err := o.files.validate(); err != nil {
		return o, err
	}
	if o.out == "" {
		return o, flagErrorf("--out is empty; give a directory such as --out ./recording")
	}
	return o, nil
}

// recordWriterTotal is what one process wrote during the recording.
type recordWriterTotal struct {
	name  string
	pid   int32
	class sampler.Class
	bytes float64
}

// runRecord is `hvrdoctor record`: start, sample until Ctrl-C or
// --duration, finish with the summary on stdout. Exit 1 when a file could
// not be written, even when the others were complete.
func runRecord(env *Env, args []string) error {
	o, err := parseRecordFlags(env, args)
	if err != nil {
		return err
	}
	cls, err := loadRules(o.rules)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	r, err := startRecording(ctx, env, o, cls)
	if err != nil {
		return err
	}
	r.run(ctx)
	stop()
	return r.finish()
}

// recording is one run of hvrdoctor record: the sampler, the CSV files,
// and the totals for the summary.
type recording struct {
	env    *Env
	o      recordOptions
	eng    *sampler.Engine
	rec    *sampler.Recorder
	files  *recordFiles // nil without per-file data
	paths  []string
	start  time.Time
	totals map[sampler.ProcKey]*recordWriterTotal
	// failed is set when a failure was reported and the recording went
	// on: the exit status will be 1.
	failed bool
}

// startRecording takes the baseline sample, opens the per-file source and
// creates the CSV files, and says on stderr what is recorded where.
func startRecording(ctx context.Context, env *Env, o recordOptions, cls *sampler.Classifier) (*recording, error) {
	eng, err := sampler.NewEngine(sampler.NewLiveSource(), sampler.Config{Interval: o.interval, Classifier: cls})
	if err != nil {
		return nil, &FlagError{Err: err}
	}
	defer eng.Close() // stops the ETW session on Windows
	base, err := eng.Sample(ctx)
	if err != nil {
		return nil, fmt.Errorf("first sample: %v", err)
	}
	// The per-file source's first reading follows the process baseline at
	// once, so both count the same intervals from here on.
	files, filesNote, err := startRecordFiles(ctx, env, o.files)
	if err != nil {
		return nil, err
	}
	r := &recording{env: env, o: o, eng: eng, files: files, totals: make(map[sampler.ProcKey]*recordWriterTotal)}
	if err := r.create(base); err != nil {
		if files != nil {
			files.close()
		}
		return nil, fmt.Errorf("%v; choose a writable --out directory", err)
	}
	r.announce(base, filesNote)
	r.start = time.Now()
	return r, nil
}

// create makes HVRStats-N.csv and ProcStats-N.csv for the disks of the
// baseline, and FileStats-N.csv with per-file data.
func (r *recording) create(base sampler.Frame) error {
	disks := make([]string, len(base.Disks))
	for i, d := range base.Disks {
		disks[i] = d.Name
	}
	rec, err := sampler.NewRecorder(r.o.out, disks)
	if err != nil {
		return err
	}
	r.rec, r.paths = rec, rec.Paths()
	if r.files != nil {
		if err := r.files.create(r.o.out, rec.N()); err != nil {
			rec.Close()
			return err
		}
		r.paths = append(r.paths, r.files.rec.Path())
	}
	return nil
}

// announce says on stderr where the recording goes, what the counters
// count, and what the recording misses.
func (r *recording) announce(base sampler.Frame, filesNote string) {
	until := "until Ctrl-C"
	if r.o.duration > 0 {
		until = "for " + r.o.duration.String()
	}
	label := base.Info.WriteLabel
	if base.Info.CancelledWrites {
		label += " (write_bytes - cancelled_write_bytes; cancelled in CancelledWriteBytesPerSec)"
	}
	r.env.notef("recording to %s every %s %s; per-process counters are %s", recordJoin(r.paths), r.o.interval, until, label)
	if r.files != nil {
		r.env.notef("%s", r.files.startMessage())
	} else if filesNote != "" {
		r.env.notef("%s", filesNote)
	}
	if (r.files == nil || !r.files.merge) && base.Info.ReapedChildrenInParent {
		r.env.notef("processes that start and exit between samples are counted in their parent (ProcStats ChildrenWriteBytes says how much); run as root with the eBPF per-file backend (--files on) for exact attribution")
	}
	if base.Hidden > 0 {
		r.env.notef("%s hidden: run as root/Administrator to see them", recordPlural(base.Hidden, "process", "processes"))
	}
}

// run samples every interval until ctx ends, --duration has passed, or a
// sample cannot be taken or written.
func (r *recording) run(ctx context.Context) {
	ticker := time.NewTicker(r.o.interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		if !r.step(ctx) {
			return
		}
		if r.o.duration > 0 && time.Since(r.start) >= r.o.duration-r.o.interval/2 {
			return
		}
	}
}

// step takes and writes one sample; false ends the recording.
func (r *recording) step(ctx context.Context) bool {
	f, err := r.eng.Sample(ctx)
	if err != nil {
		if ctx.Err() == nil {
			r.fail(err)
		}
		return false
	}
	if r.files != nil && r.files.src != nil {
		warn, err := r.files.sample(ctx, r.eng, &f, r.rec.Samples()+1)
		if err != nil {
			if ctx.Err() != nil {
				return false
			}
			// A file that could not be written is a failed recording,
			// even when the others were complete.
			r.fail(fmt.Errorf("per-file recording stopped: %v; the other files go on, the exit status will be 1", err))
			if err := r.files.close(); err != nil {
				r.env.notef("%v", err)
			}
		} else if warn != "" {
			r.env.notef("%s", warn)
		}
	}
	if err := r.rec.Write(f); err != nil {
		r.fail(err)
		return false
	}
	r.count(f)
	return true
}

// count adds what each process wrote in frame f to the totals.
func (r *recording) count(f sampler.Frame) {
	for _, p := range f.Processes {
		if (p.Exited && !p.Merged) || p.WriteRate <= 0 {
			continue
		}
		t := r.totals[p.Key]
		if t == nil {
			t = &recordWriterTotal{name: p.Name, pid: p.Key.PID, class: p.Class.Class}
			r.totals[p.Key] = t
		}
		t.bytes += p.WriteRate * f.Elapsed.Seconds()
	}
}

// fail reports err on stderr; the exit status will be 1.
func (r *recording) fail(err error) {
	r.env.notef("%v", err)
	r.failed = true
}

// finish closes the files and prints the summary line on stdout.
func (r *recording) finish() error {
	if err := r.rec.Close(); err != nil {
		r.fail(err)
	}
	if r.files != nil {
		if err := r.files.close(); err != nil {
			r.fail(err)
		}
	}
	summary := recordSummary(r.paths, r.rec.Samples(), time.Since(r.start), r.totals)
	if r.files != nil {
		summary += "; " + r.files.topFile()
	}
	fmt.Fprintln(r.env.Stdout, summary)
	if r.failed {
		return errFailed
	}
	return nil
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
