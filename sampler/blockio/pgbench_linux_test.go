//go:build linux && (amd64 || arm64)

package blockio

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// pgBin is where Debian's postgresql package puts the server's programs.
var pgBin = "/usr/lib/postgresql/15/bin"

// asPostgres runs a command as the postgres user.
func asPostgres(t *testing.T, args ...string) {
	t.Helper()
	out, err := exec.Command("runuser", append([]string{"-u", "postgres", "--"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %v: %s", args, err, out)
	}
}

// TestPgbench is the second case: PostgreSQL 15 under pgbench,
// whose backends' write_bytes grew ~30x faster than the disk wrote. The
// cluster lives on the loop disk; the window covers pgbench -i, a 10 s
// pgbench run and the shutdown checkpoint.
func TestPgbench(t *testing.T) {
	src := openTest(t)
	if _, err := os.Stat(filepath.Join(pgBin, "initdb")); err != nil {
		testutil.SkipOrFail(t, "PostgreSQL 15 not found in %s (Debian: postgresql)", pgBin)
	}
	if _, err := exec.LookPath("pgbench"); err != nil {
		testutil.SkipOrFail(t, "pgbench not found (Debian: postgresql)")
	}
	dir, disk := testutil.LoopFS(t, 1024)
	// The postgres user must reach the directories t.TempDir made 0700.
	for d := dir; d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
		os.Chmod(d, 0o755)
	}
	data, sock := filepath.Join(dir, "data"), filepath.Join(dir, "sock")
	for _, d := range []string{data, sock} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
		exec.Command("chown", "postgres:postgres", d).Run()
	}
	asPostgres(t, filepath.Join(pgBin, "initdb"), "-D", data, "--no-sync", "-A", "trust", "-U", "postgres")
	asPostgres(t, filepath.Join(pgBin, "pg_ctl"), "-D", data, "-l", filepath.Join(sock, "log"), "-w",
		"-o", "-k "+sock+" -c listen_addresses=''", "start")
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			asPostgres(t, filepath.Join(pgBin, "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop")
		}
	}
	t.Cleanup(stop)
	b := measure(t, src, dir, disk, func() func(Row) bool {
		asPostgres(t, "pgbench", "-h", sock, "-U", "postgres", "-i", "-s", "10", "-q", "postgres")
		asPostgres(t, "pgbench", "-h", sock, "-U", "postgres", "-c", "4", "-T", "10", "postgres")
		stop()
		return named("postgres", "pgbench", "pg_ctl")
	})
	b.check(t, 100<<20)
}
