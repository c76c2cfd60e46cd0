//go:build linux

package fileio

import (
	"fmt"
	"os"
)

// Open starts the best per-file backend this process may use, or the one
// Options.Backend names. Info().Reason says why it was chosen.
func Open(opts Options) (Source, error) {
	s, err := open(opts)
	if err != nil {
		return nil, err
	}
	if f, ok := s.(interface{ setAllFiles(bool) }); ok {
		f.setAllFiles(opts.AllFiles)
	}
	return withDisk(s, opts), nil
}

func open(opts Options) (Source, error) {
	clock := opts.clock()
	switch opts.Backend {
	case BackendEBPF:
		s, err := openEBPF(clock)
		if err != nil {
			return nil, fmt.Errorf("per-file backend ebpf: %w (run as root, or with CAP_BPF and CAP_PERFMON)", err)
		}
		s.info.Reason = joinReason("eBPF requested", s.info.Reason)
		return s, nil
	case BackendFanotify:
		s, err := openFanotifySource(clock)
		if err != nil {
			return nil, fmt.Errorf("per-file backend fanotify: %w (run as root)", err)
		}
		s.info.Reason = "fanotify requested"
		return s, nil
	case BackendProc:
		s, err := openProc(clock, "/proc")
		if err != nil {
			return nil, fmt.Errorf("per-file backend proc: %w", err)
		}
		s.info.Reason = "/proc scan requested"
		return s, nil
	case BackendAuto:
	default:
		return nil, fmt.Errorf("per-file backend %q unknown: use %q, %q or %q, or leave it empty for the best available",
			opts.Backend, BackendEBPF, BackendFanotify, BackendProc)
	}

	eb, ebErr := openEBPF(clock)
	if ebErr == nil {
		eb.info.Reason = joinReason("eBPF counter loaded: every process's file reads and writes are counted in the kernel", eb.info.Reason)
		return eb, nil
	}
	if os.Geteuid() == 0 {
		fa, faErr := openFanotifySource(clock)
		if faErr == nil {
			fa.info.Reason = fmt.Sprintf("eBPF unavailable (%v); fanotify watching %d filesystems", ebErr, len(fa.w.marked))
			return fa, nil
		}
		ebErr = fmt.Errorf("%v; fanotify unavailable: %v", ebErr, faErr)
	}
	ps, err := openProc(clock, "/proc")
	if err != nil {
		return nil, fmt.Errorf("per-file activity: no backend works: eBPF: %v; /proc: %w", ebErr, err)
	}
	if os.Geteuid() != 0 {
		ps.info.Reason = "not root: only your own processes are shown; run as root (or with CAP_BPF and CAP_PERFMON) to see every process's files"
	} else {
		ps.info.Reason = fmt.Sprintf("eBPF unavailable (%v)", ebErr)
	}
	return ps, nil
}

// joinReason adds what the backend said about its own choice (which eBPF
// hook it runs on and why) to why Open picked it.
func joinReason(why, detail string) string {
	if detail == "" {
		return why
	}
	return why + " (" + detail + ")"
}
