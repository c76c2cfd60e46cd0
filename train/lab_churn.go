package train

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// churnSpec is one churn lab: the writer's program name (at most 15
// characters: Linux keeps that many of a program's name), its file and
// its rates.
type churnSpec struct {
	name, file, rates string
	// source: the writer also reads a 32 MiB data file on the replicated
	// disk at read_kib (a backup agent reading what it backs up).
	source bool
}

// The churn labs' writers.
var (
	backupAgent = churnSpec{name: "hvrbackup-agent", file: "backup-staging.tmp", rates: "rate_kib=4096\nread_kib=2048\n", source: true}
	// sqlSpike writes 256 KiB/s, and 8 MiB/s (32x) during one minute in
	// every five (:00, :05, ... past the hour): the field notes' nightly
	// spike at a set minute, brought round more often.
	sqlSpike = churnSpec{name: "sqlservr", file: "tempdb.mdf", rates: "rate_kib=256\nburst_kib=8192\nburst_every=5m\nburst_for=60s\n"}
	// copyBurst writes nothing, then 16 MiB/s for 5 s every 20 s: a large
	// file copy (1.5 GB in the field notes), scaled and repeated so that
	// it can be caught.
	// indexer writes 8 MiB/s without pause: on a VM with 4 GiB of
	// virtual disk its log would reach the resync threshold (half the
	// disk) in minutes if replication stalled.
	indexer   = churnSpec{name: "SearchIndexer", file: "Windows.edb", rates: "rate_kib=8192\n"}
	copyBurst = churnSpec{name: "explorer", file: "iso-copy.tmp", rates: "rate_kib=0\nburst_kib=16384\nburst_every=20s\nburst_for=5s\n"}
)

func init() {
	for kind, spec := range churnSpecs {
		spec := spec
		labKinds[kind] = labKind{
			auth:      "kerberos",
			about:     "a real writer process, " + spec.name + ", that writes " + spec.file + " on the replicated disk (a directory standing for it)",
			vars:      append([]string{"agent_name", "agent_conf", "agent_pid", "replicated_dir", "other_dir"}, commonVars...),
			available: func() error { return nil },
			start:     func(ctx context.Context, dir string) (running, error) { return startChurnLab(ctx, dir, spec) },
			check:     churnProblems,
		}
	}
}

// churnLab runs a writer process under the name of a backup agent. Its
// settings file says where it stages; the lab's "replicated disk" is the
// directory replicated/, the other disk other-disk/. The learner finds
// the writer with the sampler and moves its staging file off the
// replicated disk (edit agent.conf, SIGHUP the agent).
type churnLab struct {
	spec                         churnSpec
	dir, conf, replicated, other string
	broken                       string
	cmd                          *exec.Cmd
	done                         chan struct{}
}

func startChurnLab(ctx context.Context, dir string, spec churnSpec) (running, error) {
	l := &churnLab{spec: spec, dir: dir, conf: filepath.Join(dir, spec.name+".conf"), replicated: filepath.Join(dir, "replicated"), other: filepath.Join(dir, "other-disk")}
	for _, d := range []string{l.replicated, l.other, filepath.Join(dir, "bin")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("lab churn: %w", err)
		}
	}
	l.broken = "# " + spec.name + " settings (the lab's writer). It rereads them on SIGHUP.\n" +
		"staging=" + filepath.Join(l.replicated, spec.file) + "\n" + spec.rates
	if spec.source {
		src := filepath.Join(l.replicated, "shares.dat")
		data := make([]byte, 32<<20)
		for i := range data {
			data[i] = byte(i*31 + i>>12)
		}
		if err := writeUncached(src, data); err != nil {
			return nil, fmt.Errorf("lab churn: %w", err)
		}
		l.broken += "source=" + src + "\n"
	}
	if err := os.WriteFile(l.conf, []byte(l.broken), 0o644); err != nil {
		return nil, fmt.Errorf("lab churn: %w", err)
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("lab churn: %w", err)
	}
	link := filepath.Join(dir, "bin", spec.name)
	if err := os.Symlink(exe, link); err != nil {
		return nil, fmt.Errorf("lab churn: %w", err)
	}
	l.cmd = exec.Command(link, "train", "_writer", l.conf)
	l.cmd.Dir = dir
	lf, err := os.Create(filepath.Join(dir, spec.name+".log"))
	if err != nil {
		return nil, fmt.Errorf("lab churn: %w", err)
	}
	l.cmd.Stdout, l.cmd.Stderr = lf, lf
	if err := l.cmd.Start(); err != nil {
		lf.Close()
		return nil, fmt.Errorf("lab churn: start %s: %w", spec.name, err)
	}
	lf.Close()
	l.done = make(chan struct{})
	go func() { l.cmd.Wait(); close(l.done) }()
	return l, nil
}

func (l *churnLab) info() labInfo {
	return labInfo{
		vars: map[string]string{"agent_name": l.spec.name, "agent_conf": l.conf, "agent_pid": strconv.Itoa(l.cmd.Process.Pid),
			"replicated_dir": l.replicated, "other_dir": l.other},
		procs: []Proc{{PID: l.cmd.Process.Pid, Name: "_writer"}},
	}
}

func (l *churnLab) breakLab(ctx context.Context) error {
	if cur, err := os.ReadFile(l.conf); err == nil && string(cur) == l.broken {
		return nil
	}
	if err := os.WriteFile(l.conf, []byte(l.broken), 0o644); err != nil {
		return fmt.Errorf("lab churn: %w", err)
	}
	return signalProc(l.cmd.Process.Pid, "hup")
}

func (l *churnLab) reload(context.Context) error { return nil }

func (l *churnLab) stop() error {
	select {
	case <-l.done:
		return nil
	default:
	}
	signalProc(l.cmd.Process.Pid, "term")
	select {
	case <-l.done:
	case <-time.After(5 * time.Second):
		l.cmd.Process.Kill()
		<-l.done
	}
	return nil
}

// churnProblems checks the lab's real state: the agent still runs (the
// backups must go on), its settings stage off the replicated disk, and no
// file on the replicated disk changes for 2.5 seconds.
func churnProblems(ctx context.Context, _ Targets, vars map[string]string) []string {
	var out []string
	pid, _ := strconv.Atoi(vars["agent_pid"])
	if !procAlive(pid, "_writer") {
		out = append(out, fmt.Sprintf("%s (pid %d) no longer runs: its work must go on; move its file instead", vars["agent_name"], pid))
	}
	repl := vars["replicated_dir"]
	if c, err := readWriterConf(vars["agent_conf"]); err != nil {
		out = append(out, "agent settings: "+err.Error())
	} else if rel, err := filepath.Rel(repl, c.path); err == nil && !strings.HasPrefix(rel, "..") {
		out = append(out, fmt.Sprintf("%s writes %s, on the replicated disk", vars["agent_name"], c.path))
	}
	before := dirState(repl)
	select {
	case <-ctx.Done():
		return append(out, ctx.Err().Error())
	case <-time.After(2500 * time.Millisecond):
	}
	after := dirState(repl)
	for name, st := range after {
		if before[name] != st {
			out = append(out, fmt.Sprintf("%s changed during the check: something still writes on the replicated disk", filepath.Join(repl, name)))
		}
	}
	return out
}

// dirState is each file's size and modification time in dir.
func dirState(dir string) map[string]string {
	m := map[string]string{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if fi, err := e.Info(); err == nil {
			m[e.Name()] = fmt.Sprintf("%d %d", fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return m
}

// writeUncached writes a file, flushes it to the disk and drops it from
// the page cache, so that reading it reads the disk.
func writeUncached(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	dropCache(f, 0, 0)
	return nil
}
