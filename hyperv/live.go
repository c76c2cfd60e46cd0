package hyperv

import (
	"errors"
	"strings"
)

// ErrNotHyperVHost is returned by ReadLive off Windows: Hyper-V hosts run
// Windows, so there is nothing to read live; saved files still work.
var ErrNotHyperVHost = errors.New("this is not a Hyper-V host (Hyper-V runs on Windows): save the PowerShell outputs on the host and give them with --from")

// ErrNoVMMS is ReadLive's error on a Windows machine without the Virtual
// Machine Management service (vmms): not a Hyper-V host.
var ErrNoVMMS = errors.New("this is not a Hyper-V host (no Virtual Machine Management service, vmms, on this machine): run it on the host, or save the PowerShell outputs there and give them with --from")

// LiveSummary is the sentence status prints for a live read: what was
// read (read lists the sources with their counts) and what could not be,
// with the reasons.
func (s *Snapshot) LiveSummary(read string) string {
	out := "Read live from " + read + "."
	for _, n := range s.LiveNotes {
		out += " " + strings.ToUpper(n[:1]) + n[1:] + "."
	}
	return out
}
