// Command synthgen writes a synthetic hvrdoctor recording for benchmarks
// and training: the incident day (-scenario incident) or a busy host with
// many processes all writing every sample (-scenario busy).
//
//	go run ./sampler/analysis/synth/synthgen -out DIR -scenario busy -hours 24 -procs 200 -interval 1s
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler/analysis/synth"
)

func main() {
	out := flag.String("out", "", "directory to write HVRStats-N.csv and ProcStats-N.csv into (required)")
	scenario := flag.String("scenario", "busy", "incident or busy")
	hours := flag.Float64("hours", 24, "busy: recording length in hours")
	procs := flag.Int("procs", 200, "busy: number of writing processes")
	interval := flag.Duration("interval", time.Second, "busy: sample interval")
	n := flag.Int("n", 1, "recording number N")
	flag.Parse()
	if *out == "" || *procs < 1 || *hours <= 0 || *interval <= 0 {
		fmt.Fprintln(os.Stderr, "synthgen: -out DIR is required; -procs, -hours and -interval must be positive")
		os.Exit(2)
	}
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.Local)
	var sc synth.Scenario
	switch *scenario {
	case "incident":
		sc = synth.IncidentDay(day)
	case "busy":
		sc = synth.BusyHost(day, time.Duration(*hours*float64(time.Hour)), *interval, *procs)
	default:
		fmt.Fprintf(os.Stderr, "synthgen: -scenario %q: use incident or busy\n", *scenario)
		os.Exit(2)
	}
	p, err := synth.Write(*out, *n, sc)
	if err != nil {
		fmt.Fprintln(os.Stderr, "synthgen:", err)
		os.Exit(1)
	}
	fmt.Println(p.HVRStats)
	fmt.Println(p.ProcStats)
	if p.FileStats != "" {
		fmt.Println(p.FileStats)
	}
}
