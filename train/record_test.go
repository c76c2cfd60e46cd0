package train

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// TestRecordSimulated, with HVRDOCTOR_TRAIN_RECORD=1, starts each embedded
// scenario's real lab, runs the wizard against it and rewrites the
// scenario file's simulated section with the results (the lab's directory
// written as <lab>): what the simulated mode replays.
func TestRecordSimulated(t *testing.T) {
	if os.Getenv("HVRDOCTOR_TRAIN_RECORD") != "1" {
		t.Skip("set HVRDOCTOR_TRAIN_RECORD=1 to record the simulated results from the real labs")
	}
	tr := newTestTrainer(t)
	for _, sc := range tr.Cat.Scenarios {
		t.Run(sc.ID, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			st, err := tr.Start(ctx, sc, false)
			if err != nil {
				t.Fatal(err)
			}
			defer tr.Stop(sc.ID)
			tg, err := st.Targets.Target(3 * time.Second)
			if err != nil {
				t.Fatal(err)
			}
			steps := probes.Plan(tg)
			results := probes.Runner{}.Run(ctx, tg, steps)
			clean := func(s string) string { return strings.ReplaceAll(s, st.Dir, "<lab>") }
			var rec []SimulatedStep
			for i, s := range steps {
				r := results[i]
				ss := SimulatedStep{Step: s.Probe.ID(), Status: r.Status.String(), Summary: clean(r.Summary), Reason: clean(r.Reason), Codes: r.Codes}
				for _, e := range r.Evidence {
					ss.Evidence = append(ss.Evidence, clean(e))
				}
				for _, f := range r.Fixes {
					ss.Fixes = append(ss.Fixes, SimulatedFix{Text: clean(f.Text), Command: clean(f.Command), Where: f.Where})
				}
				rec = append(rec, ss)
			}
			out, err := yaml.Marshal(map[string]any{"simulated": rec})
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("scenarios", sc.ID+".yaml")
			old, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			i := strings.Index(string(old), "\nsimulated:\n")
			if i < 0 {
				t.Fatalf("%s: no simulated section at the end", path)
			}
			head := string(old[:i+1]) + "# Recorded from the real lab by TestRecordSimulated (HVRDOCTOR_TRAIN_RECORD=1).\n"
			if j := strings.Index(head, "# Recorded from the real lab"); j < len(head)-80 {
				head = head[:j] + head[j+strings.Index(head[j:], "\n")+1:]
			}
			if err := os.WriteFile(path, []byte(head+string(out)), 0o644); err != nil {
				t.Fatal(err)
			}
		})
	}
}
