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
}

func (o Options) clock() sampler.Clock {
	if o.Clock == nil {
		return sampler.SystemClock{}
	}
	return o.Clock
}
