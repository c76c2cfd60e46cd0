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

func init() {
	labKinds["writer-backup-agent"] = labKind{
		auth:      "kerberos",
		about:     "a real writer process, hvrbackup-agent, that writes its staging file on the replicated disk (a directory standing for it)",
		vars:      append([]string{"agent_conf", "agent_pid", "replicated_dir", "other_dir"}, commonVars...),
		available: func() error { return nil },
		start:     startChurnLab,
		check:     churnProblems,
	}
}

// agentName is the writer's program name, as the sampler shows it (15
// characters: Linux keeps that many of a program's name).
const agentName = "hvrbackup-agent"

// churnLab runs a writer process under the name of a backup agent. Its
// settings file says where it stages; the lab's "replicated disk" is the
// directory replicated/, the other disk other-disk/. The learner finds
// the writer with the sampler and moves its staging file off the
// replicated disk (edit agent.conf, SIGHUP the agent).
type churnLab struct {
	dir, conf, replicated, other string
	broken                       string
	cmd                          *exec.Cmd
	done                         chan struct{}
}

func startChurnLab(ctx context.Context, dir string) (running, error) {
	l := &churnLab{dir: dir, conf: filepath.Join(dir, "agent.conf"), replicated: filepath.Join(dir, "replicated"), other: filepath.Join(dir, "other-disk")}
	for _, d := range []string{l.replicated, l.other, filepath.Join(dir, "bin")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("lab churn: %w", err)
		}
	}
	l.broken = "# hvrbackup-agent settings (the lab's backup agent). It rereads them on SIGHUP.\n" +
		"staging=" + filepath.Join(l.replicated, "backup-staging.tmp") + "\nrate_mib=4\n"
	if err := os.WriteFile(l.conf, []byte(l.broken), 0o644); err != nil {
		return nil, fmt.Errorf("lab churn: %w", err)
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("lab churn: %w", err)
	}
	link := filepath.Join(dir, "bin", agentName)
	if err := os.Symlink(exe, link); err != nil {
		return nil, fmt.Errorf("lab churn: %w", err)
	}
	l.cmd = exec.Command(link, "train", "_writer", l.conf)
	l.cmd.Dir = dir
	lf, err := os.Create(filepath.Join(dir, "agent.log"))
	if err != nil {
		return nil, fmt.Errorf("lab churn: %w", err)
	}
	l.cmd.Stdout, l.cmd.Stderr = lf, lf
	if err := l.cmd.Start(); err != nil {
		lf.Close()
		return nil, fmt.Errorf("lab churn: start %s: %w", agentName, err)
	}
	lf.Close()
	l.done = make(chan struct{})
	go func() { l.cmd.Wait(); close(l.done) }()
	return l, nil
}

func (l *churnLab) info() labInfo {
	return labInfo{
		vars: map[string]string{"agent_conf": l.conf, "agent_pid": strconv.Itoa(l.cmd.Process.Pid),
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
		out = append(out, fmt.Sprintf("%s (pid %d) no longer runs: the backups must go on; move its staging file instead", agentName, pid))
	}
	repl := vars["replicated_dir"]
	if c, err := readWriterConf(vars["agent_conf"]); err != nil {
		out = append(out, "agent settings: "+err.Error())
	} else if rel, err := filepath.Rel(repl, c.path); err == nil && !strings.HasPrefix(rel, "..") {
		out = append(out, fmt.Sprintf("%s stages %s, on the replicated disk", agentName, c.path))
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
