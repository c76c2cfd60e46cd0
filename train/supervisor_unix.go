//go:build !windows

package train

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// RunSupervisor is the background process of a running lab (`hvrdoctor
// train _lab ID`): it starts the lab's components, breaks the lab, records
// the state file and then waits: SIGTERM or SIGINT stop the lab and remove
// its files, SIGHUP reloads the files the learner edits, SIGUSR1 restores
// the broken state (reset). It returns the exit code.
func RunSupervisor(dirs Dirs, id string) int {
	cat, _ := LoadCatalogue(dirs.Scenarios)
	sc, err := cat.Find(id)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	kind := labKinds[sc.Lab]
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGUSR1)
	st := &State{ID: id, SupervisorPID: os.Getpid(), Started: time.Now()}
	path := dirs.statePath(id)
	fail := func(err error) int {
		st.Error = oneLine(err.Error())
		writeJSON(path, st)
		fmt.Fprintln(os.Stderr, st.Error)
		return 1
	}
	dir, err := os.MkdirTemp("", "hvrdoctor-train-"+id+"-")
	if err != nil {
		return fail(err)
	}
	st.Dir, st.Dirs = dir, []string{dir}
	if err := writeJSON(path, st); err != nil {
		os.RemoveAll(dir)
		return fail(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	r, err := kind.start(ctx, dir)
	if err == nil {
		err = breakAndWait(ctx, kind, r)
	}
	cancel()
	if err != nil {
		if r != nil {
			r.stop()
		}
		os.RemoveAll(dir)
		return fail(err)
	}
	record := func() {
		inf := r.info()
		st.Targets, st.PIDs = inf.targets, inf.procs
		st.Dirs = append([]string{dir}, inf.dirs...)
		st.Vars = map[string]string{"lab_dir": dir, "lab_pid": fmt.Sprint(os.Getpid())}
		for k, v := range inf.vars {
			st.Vars[k] = v
		}
		st.Ready = true
		writeJSON(path, st)
	}
	record()
	// A lab whose state file is gone (removed by hand, or with a test's
	// temporary directory) can no longer be stopped by stop: it stops
	// itself.
	orphan := time.NewTicker(3 * time.Second)
	defer orphan.Stop()
	for {
		var sig os.Signal
		select {
		case sig = <-sigs:
		case <-orphan.C:
			if _, err := os.Stat(path); err != nil {
				fmt.Fprintln(os.Stderr, "state file gone: stopping the lab")
				sig = syscall.SIGTERM
			} else {
				continue
			}
		}
		switch sig {
		case syscall.SIGHUP:
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			if err := r.reload(ctx); err != nil {
				fmt.Fprintln(os.Stderr, "reload:", err)
			}
			cancel()
			record()
		case syscall.SIGUSR1:
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			if err := breakAndWait(ctx, kind, r); err != nil {
				fmt.Fprintln(os.Stderr, "reset:", err)
				st.Error = "reset: " + oneLine(err.Error())
			} else {
				st.Error = ""
			}
			cancel()
			st.Resets++
			record()
		default:
			r.stop()
			os.RemoveAll(dir)
			os.Remove(path)
			return 0
		}
	}
}

// breakAndWait breaks the lab and waits until the wizard shows the fault
// (squid applies a reconfigure a moment later), so that start and reset
// hand over a lab that is really broken.
func breakAndWait(ctx context.Context, kind labKind, r running) error {
	if err := r.breakLab(ctx); err != nil {
		return err
	}
	for {
		if inf := r.info(); len(labProblems(ctx, kind, inf.targets, inf.vars)) > 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the lab does not show its fault after the reset: %w", ctx.Err())
		case <-time.After(500 * time.Millisecond):
		}
	}
}
