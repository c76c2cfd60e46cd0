//go:build linux && (amd64 || arm64)

package blockio_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/sampler/blockio"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
)

// progStats is the kernel's run time and run count of the BPF programs
// whose IDs are in ids (kernel.bpf_stats_enabled must be on).
func progStats(t *testing.T, ids []ebpf.ProgramID) (ns time.Duration, runs uint64) {
	for _, id := range ids {
		p, err := ebpf.NewProgramFromID(id)
		if err != nil {
			continue
		}
		st, err := p.Stats()
		p.Close()
		if err != nil {
			continue
		}
		ns += st.Runtime
		runs += st.RunCount
	}
	return ns, runs
}

// programIDs lists the loaded BPF programs' IDs.
func programIDs() map[ebpf.ProgramID]string {
	out := make(map[ebpf.ProgramID]string)
	var id ebpf.ProgramID
	for {
		next, err := ebpf.ProgramGetNextID(id)
		if err != nil {
			return out
		}
		id = next
		if p, err := ebpf.NewProgramFromID(id); err == nil {
			if info, err := p.Info(); err == nil {
				out[id] = info.Name
			}
			p.Close()
		}
	}
}

// newPrograms are the programs loaded since before whose names have one of
// the prefixes.
func newPrograms(before map[ebpf.ProgramID]string, prefixes ...string) []ebpf.ProgramID {
	var ids []ebpf.ProgramID
	for id, name := range programIDs() {
		if _, old := before[id]; old {
			continue
		}
		for _, p := range prefixes {
			if strings.HasPrefix(name, p) {
				ids = append(ids, id)
				break
			}
		}
	}
	return ids
}

// fioIOPS runs fio's 4 KiB direct randwrite (libaio, depth 32) for secs in
// dir and returns its write IOPS.
func fioIOPS(t *testing.T, dir string, secs int) float64 {
	out, err := exec.Command("fio", "--name=rw", "--directory="+dir, "--ioengine=libaio", "--direct=1", "--iodepth=32",
		"--rw=randwrite", "--bs=4k", "--size=256M", "--time_based", fmt.Sprintf("--runtime=%d", secs), "--output-format=json").Output()
	if err != nil {
		t.Fatalf("fio: %v", err)
	}
	var res struct {
		Jobs []struct {
			Write struct {
				IOPS float64 `json:"iops"`
			} `json:"write"`
		} `json:"jobs"`
	}
	if err := json.Unmarshal(out, &res); err != nil || len(res.Jobs) == 0 {
		t.Fatalf("fio's JSON: %v", err)
	}
	return res.Jobs[0].Write.IOPS
}

// TestBenchBlockLayerCPU is the cost bench of scripts/bench-blocklayer.sh:
// fio randwrite 4 KiB direct at a high request rate on a loop disk, without
// eBPF, with the block-layer programs and with the per-file backend's
// per-syscall counter, each program's CPU per second from the kernel's own
// BPF statistics.
func TestBenchBlockLayerCPU(t *testing.T) {
	if os.Getenv("HVRDOCTOR_BENCH_BLOCKLAYER") != "1" {
		t.Skip("a benchmark: set HVRDOCTOR_BENCH_BLOCKLAYER=1 (scripts/bench-blocklayer.sh)")
	}
	if _, err := exec.LookPath("fio"); err != nil {
		testutil.SkipOrFail(t, "fio not found (Debian: fio)")
	}
	const statsFile = "/proc/sys/kernel/bpf_stats_enabled"
	old, err := os.ReadFile(statsFile)
	if err != nil {
		testutil.SkipOrFail(t, "BPF statistics: %v", err)
	}
	if err := os.WriteFile(statsFile, []byte("1"), 0); err != nil {
		testutil.SkipOrFail(t, "turn on BPF statistics: %v", err)
	}
	defer os.WriteFile(statsFile, old, 0)
	dir, _ := testutil.LoopFS(t, 1024)
	const secs, rounds = 6, 3
	fioIOPS(t, dir, 1) // lay out the file
	// The three set-ups alternate, rounds times, so that the load other
	// processes put on the machine falls on each alike; IOPS are medians.
	var baseRuns, bRuns, fRuns []float64
	var nsB, nsF time.Duration
	var runsB, runsF uint64
	for r := 0; r < rounds; r++ {
		baseRuns = append(baseRuns, fioIOPS(t, dir, secs))

		before := programIDs()
		src, err := blockio.Open(nil)
		if err != nil {
			t.Fatal(err)
		}
		ids := newPrograms(before, "on_")
		a0, c0 := progStats(t, ids)
		bRuns = append(bRuns, fioIOPS(t, dir, secs))
		a1, c1 := progStats(t, ids)
		if r == 0 {
			for _, id := range ids {
				ns, n := progStats(t, []ebpf.ProgramID{id})
				if n > 0 {
					t.Logf("%s: %d runs, %.0f ns per run", programIDs()[id], n, float64(ns)/float64(n))
				}
			}
		}
		src.Close()
		nsB += a1 - a0
		runsB += c1 - c0

		before = programIDs()
		files, err := fileio.Open(fileio.Options{Backend: fileio.BackendEBPF, NoDiskBytes: true})
		if err != nil {
			t.Fatal(err)
		}
		fids := newPrograms(before, "count_", "fexit_")
		b0, d0 := progStats(t, fids)
		fRuns = append(fRuns, fioIOPS(t, dir, secs))
		b1, d1 := progStats(t, fids)
		files.Close()
		nsF += b1 - b0
		runsF += d1 - d0
	}
	base, bIOPS, fIOPS := median(baseRuns), median(bRuns), median(fRuns)
	const total = secs * rounds
	row := func(name string, iops float64, ns time.Duration, runs uint64) {
		perRun := "-"
		if runs > 0 {
			perRun = fmt.Sprintf("%.0f", float64(ns)/float64(runs))
		}
		fmt.Printf("| %s | %.0f | %+.1f%% | %.1f | %.0f | %s |\n", name, iops, (iops/base-1)*100,
			float64(ns)/float64(time.Duration(total)*time.Second)*1000, float64(runs)/total, perRun)
	}
	fmt.Printf("| fio 4 KiB randwrite direct (libaio, depth 32), %d x %d s alternating | IOPS (median) | vs none | program CPU ms per s | program runs per s | ns per run |\n", rounds, secs)
	fmt.Println("|---|---|---|---|---|---|")
	row("no eBPF", base, 0, 0)
	row("block-layer programs (blockio)", bIOPS, nsB, runsB)
	row("per-syscall counter (fileio sys_exit)", fIOPS, nsF, runsF)
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}
