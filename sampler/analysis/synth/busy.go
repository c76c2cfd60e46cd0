package synth

import (
	"fmt"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// BusyHost is a large recording for benchmarks: procs processes that all
// write in every sample (so every sample has procs rows), with rates that
// vary deterministically by process and time, and a database spike at
// 04:57. Classes cycle through workload, inbox and third-party.
func BusyHost(start time.Time, span, interval time.Duration, procs int) Scenario {
	classes := []sampler.Class{sampler.ClassWorkload, sampler.ClassInbox, sampler.ClassThirdParty}
	spikeFrom := time.Date(start.Year(), start.Month(), start.Day(), 4, 57, 0, 0, start.Location())
	spikeTo := spikeFrom.Add(time.Minute)
	sc := Scenario{Start: start, Interval: interval, Samples: int(span / interval), Disk: "sda", NoFiles: true}
	for i := 0; i < procs; i++ {
		base := int64(1000 * (i%50 + 1))
		i := i
		rate := func(t time.Time) int64 {
			// A slow saw-tooth per process keeps the numbers varied.
			r := base + int64((t.Unix()+int64(i)*7)%60)*100
			if i == 0 && !t.Before(spikeFrom) && t.Before(spikeTo) {
				r += 200_000_000
			}
			return r
		}
		sc.Processes = append(sc.Processes, Process{
			Name:  fmt.Sprintf("proc%03d.exe", i),
			PID:   int32(1000 + i*4),
			Start: int64(100 + i),
			Class: classes[i%3],
			Files: []FileRate{{Path: fmt.Sprintf(`C:\data\proc%03d.dat`, i), Rate: rate}},
		})
	}
	sc.Processes[0].Name = "sqlservr.exe"
	return sc
}
