package analysis

import (
	"context"
	"errors"
	"io"
	"math"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis/synth"
)

func TestReplayMergesRecordingInTimeOrder(t *testing.T) {
	p, day := incidentDay(t)
	r, err := OpenReplay([]string{p.HVRStats, p.ProcStats, p.FileStats}, ColumnMap{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var n int
	var prev time.Time
	var procBytes, fileBytes float64
	for {
		s, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 && !s.Time.Equal(day) {
			t.Fatalf("first sample at %s, want %s", s.Time, day)
		}
		if n > 0 && !s.Time.After(prev) {
			t.Fatalf("sample %d at %s is not after %s", n, s.Time, prev)
		}
		if !s.HasDisks || s.Elapsed != synth.IncidentStep || len(s.Procs) < 3 || len(s.Files) < 3 {
			t.Fatalf("sample %d at %s lacks parts: disks %v elapsed %s procs %d files %d", n, s.Time, s.HasDisks, s.Elapsed, len(s.Procs), len(s.Files))
		}
		for _, ps := range s.Procs {
			procBytes += ps.WriteBytes
		}
		for _, f := range s.Files {
			fileBytes += f.WriteBytes
		}
		prev = s.Time
		n++
	}
	if n != synth.IncidentCount {
		t.Errorf("%d samples, want %d", n, synth.IncidentCount)
	}
	if procBytes != allTotal || fileBytes != allTotal {
		t.Errorf("replayed bytes: processes %.0f files %.0f, want %d", procBytes, fileBytes, int64(allTotal))
	}
}

// The live path: the real sampler Engine runs on the recording through
// ReplaySource, and an Analyzer fed with its frames (as the TUI does live)
// finds the same spike, culprit and class.
func TestEngineOnReplayFeedsLiveAnalyzer(t *testing.T) {
	p, _ := incidentDay(t)
	r, err := OpenReplay([]string{p.HVRStats, p.ProcStats}, ColumnMap{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	eng, err := sampler.NewEngine(NewReplaySource(r), sampler.Config{Interval: synth.IncidentStep})
	if err != nil {
		t.Fatal(err)
	}
	a := NewAnalyzer(Options{})
	frames := 0
	for {
		f, err := eng.Sample(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if f.Time.Format("15:04:05") == "04:57:10" {
			top := f.Processes[0]
			if top.Name != "sqlservr.exe" || top.WriteRate != synth.SQLRate+synth.SQLSpikeRate || top.Class.Class != sampler.ClassWorkload {
				t.Errorf("engine at 04:57:10: top %s %.0f B/s %s", top.Name, top.WriteRate, top.Class.Class)
			}
		}
		a.AddFrame(f)
		frames++
	}
	if frames != synth.IncidentCount+1 { // + the baseline frame
		t.Errorf("%d frames, want %d", frames, synth.IncidentCount+1)
	}
	rep := a.Report()
	if math.Abs(rep.Baseline-normalMinute) > 1e-3 {
		t.Errorf("live baseline %.3f, want %d", rep.Baseline, normalMinute)
	}
	if len(rep.Spikes) != 3 || rep.Spikes[0].Label != "04:57" || math.Abs(rep.Spikes[0].Factor-30) > 1e-9 {
		t.Fatalf("live spikes: %+v", rep.Spikes)
	}
	c := rep.Spikes[0].Culprits[0]
	if c.Name != "sqlservr.exe" || c.Class != sampler.ClassWorkload {
		t.Errorf("live culprit %+v", c)
	}
}
