package train

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis/synth"
)

// churnSpecs are the writer labs' specs by lab kind.
var churnSpecs = map[string]churnSpec{"writer-backup-agent": backupAgent, "writer-sql-spike": sqlSpike, "writer-copy-burst": copyBurst, "writer-resync": indexer}

// churnClass is how the sampler classes each lab writer.
var churnClass = map[string]sampler.Class{backupAgent.name: sampler.ClassThirdParty, sqlSpike.name: sampler.ClassWorkload, copyBurst.name: sampler.ClassInbox, indexer.name: sampler.ClassInbox}

// IsChurn reports whether the scenario's lab is a writer (found with the
// sampler, not the wizard).
func IsChurn(sc *Scenario) bool { _, ok := churnSpecs[sc.Lab]; return ok || sc.Lab == "pagefile" }

// SimulatedChurn writes the synthetic recording the simulated mode replays
// for a churn scenario into dir: five minutes at 1 s from start, the lab's
// writer at the lab's rates (bursts included) into its file on the
// replicated disk, beside the OS's page file at 100 kB/s. It returns the
// recording's files.
func SimulatedChurn(sc *Scenario, dir string, start time.Time) ([]string, error) {
	if sc.Lab == "pagefile" {
		return simulatedPaging(dir, start)
	}
	spec, ok := churnSpecs[sc.Lab]
	if !ok {
		return nil, fmt.Errorf("scenario %s has no writer to simulate", sc.ID)
	}
	conf := filepath.Join(dir, "writer.conf")
	if err := os.WriteFile(conf, []byte("staging=replicated/"+spec.file+"\n"+spec.rates), 0o600); err != nil {
		return nil, err
	}
	c, err := readWriterConf(conf)
	os.Remove(conf)
	if err != nil {
		return nil, err
	}
	start = start.Truncate(time.Minute)
	p, err := synth.Write(dir, 1, synth.Scenario{
		Start: start, Interval: time.Second, Samples: 300, Disk: "sda", Host: "simulated",
		Processes: []synth.Process{
			{Name: spec.name, PID: 4242, Start: 1000, Class: churnClass[spec.name], Files: []synth.FileRate{
				{Path: "/replicated/" + spec.file, Rate: func(t time.Time) int64 { return int64(c.rateAt(t)) }},
			}},
			{Name: "System", PID: 4, Start: 1, Class: sampler.ClassInbox, Files: []synth.FileRate{
				{Path: `C:\pagefile.sys`, Rate: func(time.Time) int64 { return 100_000 }},
			}},
		},
	})
	return recordingFiles(p, err)
}

// simulatedPaging is the page-file scenario's simulated recording: what
// Windows shows (the facts: paging is System, PID 4, writing
// C:\pagefile.sys), 4 MiB/s of paging beside the database's own
// 64 KiB/s, five minutes at 1 s.
func simulatedPaging(dir string, start time.Time) ([]string, error) {
	p, err := synth.Write(dir, 1, synth.Scenario{
		Start: start.Truncate(time.Minute), Interval: time.Second, Samples: 300, Disk: "sda", Host: "simulated",
		Processes: []synth.Process{
			{Name: "System", PID: 4, Start: 1, Class: sampler.ClassInbox, Files: []synth.FileRate{
				{Path: `C:\pagefile.sys`, Rate: func(time.Time) int64 { return pagerTouchKiB << 10 }},
			}},
			{Name: pagerName, PID: 4242, Start: 1000, Class: churnClass[sqlSpike.name], Files: []synth.FileRate{
				{Path: `C:\data\sales.mdf`, Rate: func(time.Time) int64 { return 64 << 10 }},
			}},
		},
	})
	return recordingFiles(p, err)
}

// recordingFiles lists a synthetic recording's files.
func recordingFiles(p synth.Paths, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range []string{p.HVRStats, p.ProcStats, p.FileStats} {
		if strings.TrimSpace(f) != "" {
			out = append(out, f)
		}
	}
	return out, nil
}
