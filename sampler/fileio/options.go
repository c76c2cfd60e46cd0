package fileio

import (
	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// Backend names accepted by Options.Backend.
const (
	BackendAuto     = ""
	BackendEBPF     = "ebpf"
	BackendFanotify = "fanotify+proc"
	BackendProc     = "proc"
	BackendETW      = "etw"
)

// Options configure Open.
type Options struct {
	// Clock times the intervals; nil means the system clock.
	Clock sampler.Clock
	// Backend forces one backend by name; empty picks the best available
	// and says in Info().Reason why the better ones were not used.
	Backend string
	// AllFiles keeps files of kernel interfaces (/proc, /sys, cgroup,
	// devpts...), which are left out by default: their bytes never reach
	// a disk (FileActivity.Medium).
	AllFiles bool
	// NoDiskBytes leaves out the block-layer source that Open otherwise
	// runs beside the backend where it loads (Linux, root, BTF).
	NoDiskBytes bool
}

func (o Options) clock() sampler.Clock {
	if o.Clock == nil {
		return sampler.SystemClock{}
	}
	return o.Clock
}
