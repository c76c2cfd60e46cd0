package cli

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
	"github.com/hvrdoctor/hvrdoctor/probes"
)

// eventInput matches an event ID as typed: "32086", "event 32086",
// "Event ID: 32086", "EventID 32086".
var eventInput = regexp.MustCompile(`(?i)^\s*(?:event\s*(?:id)?\s*:?\s*)?(\d{4,5})\s*$`)

// explainEvent prints what a Microsoft-Windows-Hyper-V-VMMS-Admin event ID
// means when input is one (and not also an error code hvrdoctor knows);
// it reports whether it did.
func explainEvent(input string, w io.Writer) bool {
	m := eventInput.FindStringSubmatch(input)
	if m == nil {
		return false
	}
	id, err := strconv.Atoi(m[1])
	if err != nil {
		return false
	}
	info, ok := hyperv.LookupEvent(id)
	if !ok {
		return false
	}
	bare := !strings.Contains(strings.ToLower(input), "event")
	if _, isCode := probes.LookupCode(uint32(id)); isCode && bare {
		return false
	}
	fmt.Fprintf(w, "Event %d  Microsoft-Windows-Hyper-V-VMMS-Admin\n", id)
	fmt.Fprintf(w, "Read as: event ID %d of the Hyper-V VMMS Admin log\n\n", id)
	fmt.Fprintf(w, "%s\n%s\n", info.Meaning, info.Means)
	if id == 32315 || id == 32022 || id == 32086 {
		fmt.Fprintln(w, "Seen in real incidents as the chain 32315 -> 32022 -> 32086: failed and retried, could not replicate, suspended.")
	}
	fmt.Fprintf(w, "Source: %s\n", info.Source)
	fmt.Fprintln(w, "\nSee it with the VM's other events and its health:")
	fmt.Fprintln(w, "  Get-WinEvent -LogName Microsoft-Windows-Hyper-V-VMMS-Admin -MaxEvents 2000 | Select-Object Id, TimeCreated, LevelDisplayName, ProviderName, MachineName, RecordId, Message | ConvertTo-Json | Set-Content -Encoding UTF8 vmms-events.json")
	fmt.Fprintln(w, "  hvrdoctor status --from DIR   (the directory with that file and the others the README lists)")
	return true
}
