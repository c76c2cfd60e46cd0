//go:build linux && (amd64 || arm64)

package blockio

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// BenchEnv, set to 1, runs TestBenchBlockLayer (scripts/bench-blocklayer.sh
// sets it): each workload on a private loop disk, with the disk's own count,
// hvrdoctor's rows and pidstat's per-process figures side by side.
const BenchEnv = "HVRDOCTOR_BENCH_BLOCKLAYER"

// pidstatRun samples `pidstat -d -h 1` while it runs; stop returns the
// bytes its rows charged to processes named by match (kB_wr/s x 1 s:
// write_bytes, what pidstat and iotop show).
func pidstatRun(t *testing.T, match func(string) bool) (stop func() uint64) {
	t.Helper()
	cmd := exec.Command("pidstat", "-d", "-h", "1")
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("pidstat: %v", err)
	}
	return func() uint64 {
		time.Sleep(1100 * time.Millisecond) // its last interval
		cmd.Process.Signal(syscall.SIGINT)
		cmd.Wait()
		var kb float64
		sc := bufio.NewScanner(&out)
		for sc.Scan() {
			fs := strings.Fields(sc.Text())
			if len(fs) < 8 || fs[0] == "#" || strings.HasPrefix(fs[0], "Average") {
				continue
			}
			if v, err := strconv.ParseFloat(fs[4], 64); err == nil && match(fs[len(fs)-1]) {
				kb += v
			}
		}
		return uint64(kb * 1024)
	}
}

func TestBenchBlockLayer(t *testing.T) {
	if os.Getenv(BenchEnv) != "1" {
		t.Skipf("a benchmark: set %s=1 (scripts/bench-blocklayer.sh)", BenchEnv)
	}
	if _, err := exec.LookPath("pidstat"); err != nil {
		testutil.SkipOrFail(t, "pidstat not found (Debian: sysstat)")
	}
	src := openTest(t)
	type workload struct {
		name  string
		names []string                       // process names of the workload, for pidstat
		setup func(t *testing.T, dir string) // before the measured window
		run   func(t *testing.T, dir string) func(Row) bool
	}
	helperName := filepath.Base(os.Args[0])
	if len(helperName) > 15 {
		helperName = helperName[:15]
	}
	fio := func(args ...string) func(t *testing.T, dir string) func(Row) bool {
		return func(t *testing.T, dir string) func(Row) bool { return fioRun(t, dir, args...) }
	}
	list := []workload{
		{"1000 x pwrite 8 KiB + fdatasync", []string{helperName}, func(t *testing.T, dir string) {
			preallocate(t, filepath.Join(dir, "synced"), 16<<20)
		}, func(t *testing.T, dir string) func(Row) bool {
			return pids(runHelper(t, "pwrite-fdatasync", filepath.Join(dir, "synced"), "1000", "8192"))
		}},
		{"buffered 256 MiB, background writeback", []string{helperName}, nil, func(t *testing.T, dir string) func(Row) bool {
			return pids(runHelper(t, "dirty", filepath.Join(dir, "buffered"), "0", fmt.Sprint(256<<20)))
		}},
		{"cp of a 256 MiB file", []string{"cp"}, func(t *testing.T, dir string) {
			preallocate(t, filepath.Join(dir, "from"), 256<<20)
			exec.Command("sh", "-c", "echo 1 > /proc/sys/vm/drop_caches").Run()
		}, func(t *testing.T, dir string) func(Row) bool {
			return pids(runCmd(t, "cp", "--reflink=never", filepath.Join(dir, "from"), filepath.Join(dir, "to")))
		}},
		// fio runs 5 s each (time-based), so pidstat's 1 s samples see it.
		{"fio sync 8 KiB randwrite + fdatasync", []string{"fio"}, nil, fio("--ioengine=sync", "--rw=randwrite", "--bs=8k", "--size=32M", "--fdatasync=1", "--time_based", "--runtime=5")},
		{"fio libaio direct 4 KiB randwrite", []string{"fio"}, nil, fio("--ioengine=libaio", "--direct=1", "--iodepth=16", "--rw=randwrite", "--bs=4k", "--size=64M", "--time_based", "--runtime=5")},
		{"fio io_uring direct 4 KiB randwrite", []string{"fio"}, nil, fio("--ioengine=io_uring", "--direct=1", "--iodepth=16", "--rw=randwrite", "--bs=4k", "--size=64M", "--time_based", "--runtime=5")},
		{"fio mmap 64 KiB write", []string{"fio"}, nil, fio("--ioengine=mmap", "--rw=write", "--bs=64k", "--size=128M", "--end_fsync=1", "--time_based", "--runtime=5")},
		{"two processes dirtying one file", []string{helperName}, nil, func(t *testing.T, dir string) func(Row) bool {
			path := filepath.Join(dir, "shared")
			a := runHelper(t, "dirty", path, "0", fmt.Sprint(96<<20))
			b := runHelper(t, "dirty", path, fmt.Sprint(96<<20), fmt.Sprint(32<<20))
			return pids(a, b)
		}},
	}
	type result struct {
		name                                string
		truth, rows, work, kernel, pidstats uint64
	}
	var results []result
	for _, w := range list {
		dir, disk := testutil.LoopFS(t, 1024)
		match := func(cmd string) bool {
			for _, n := range w.names {
				if cmd == n {
					return true
				}
			}
			return false
		}
		if w.setup != nil {
			w.setup(t, dir)
		}
		var ps uint64
		b := measure(t, src, dir, disk, func() func(Row) bool {
			stop := pidstatRun(t, match)
			time.Sleep(1100 * time.Millisecond) // pidstat's first reading
			isWork := w.run(t, dir)
			exec.Command("sync", "-f", dir).Run()
			ps = stop()
			return isWork
		})
		results = append(results, result{w.name, b.Truth, b.Rows, b.Workload, b.Kernel, ps})
	}
	if pg := benchPgbench(t, src); pg != nil {
		results = append(results, result{"PostgreSQL 15 pgbench -c 4 -T 10", pg.Truth, pg.Rows, pg.Workload, pg.Kernel, pg.pidstat})
	}
	mib := func(b uint64) string { return fmt.Sprintf("%.1f", float64(b)/(1<<20)) }
	ratio := func(a, b uint64) string {
		if b == 0 {
			return "-"
		}
		return fmt.Sprintf("%.2f", float64(a)/float64(b))
	}
	fmt.Println("| workload | disk wrote (MiB, diskstats) | hvrdoctor rows (MiB) | rows / disk | workload's rows (MiB) | journal+metadata rows (MiB) | pidstat workload (MiB) | pidstat / disk |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for _, r := range results {
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s | %s |\n", r.name, mib(r.truth), mib(r.rows), ratio(r.rows, r.truth),
			mib(r.work), mib(r.kernel), mib(r.pidstats), ratio(r.pidstats, r.truth))
	}
}

type pgResult struct {
	bench
	pidstat uint64
}

// benchPgbench is TestPgbench's workload with pidstat beside it; nil when
// PostgreSQL is not installed.
func benchPgbench(t *testing.T, src Source) *pgResult {
	if _, err := os.Stat(filepath.Join(pgBin, "initdb")); err != nil {
		t.Logf("PostgreSQL 15 not found in %s: pgbench row left out", pgBin)
		return nil
	}
	dir, disk := testutil.LoopFS(t, 1024)
	for d := dir; d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
		os.Chmod(d, 0o755)
	}
	data, sock := filepath.Join(dir, "data"), filepath.Join(dir, "sock")
	for _, d := range []string{data, sock} {
		os.Mkdir(d, 0o700)
		exec.Command("chown", "postgres:postgres", d).Run()
	}
	asPostgres(t, filepath.Join(pgBin, "initdb"), "-D", data, "--no-sync", "-A", "trust", "-U", "postgres")
	asPostgres(t, filepath.Join(pgBin, "pg_ctl"), "-D", data, "-l", filepath.Join(sock, "log"), "-w", "-o", "-k "+sock+" -c listen_addresses=''", "start")
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			asPostgres(t, filepath.Join(pgBin, "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop")
		}
	}
	t.Cleanup(stop)
	asPostgres(t, "pgbench", "-h", sock, "-U", "postgres", "-i", "-s", "10", "-q", "postgres")
	var ps uint64
	b := measure(t, src, dir, disk, func() func(Row) bool {
		stopPS := pidstatRun(t, func(c string) bool { return c == "postgres" || c == "pgbench" })
		time.Sleep(1100 * time.Millisecond)
		asPostgres(t, "pgbench", "-h", sock, "-U", "postgres", "-c", "4", "-T", "10", "postgres")
		ps = stopPS()
		stop()
		return named("postgres", "pgbench", "pg_ctl")
	})
	return &pgResult{b, ps}
}
