package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/exporter"
	"github.com/hvrdoctor/hvrdoctor/hyperv"
)

// openReplication opens serve's host view: the saved outputs of
// --replication-from, else WMI on a Hyper-V host, else nothing. The note
// says in one line which, for the log and the landing page. A first read
// of saved files that fails is an error naming the input (serve exits 2);
// WMI failures show as hvrdoctor_replication_source_up 0.
func openReplication(ctx context.Context, o serveOptions) (*exporter.Replication, string, error) {
	if len(o.replFrom) > 0 {
		r := exporter.NewReplication(exporter.HostView{Paths: o.replFrom}, "files", o.replEvery)
		if err := r.Step(ctx); err != nil {
			return nil, "", err
		}
		return r, fmt.Sprintf("replication metrics (hvrdoctor_vm_replication_*) from the saved PowerShell outputs in %s, read every %s",
			strings.Join(o.replFrom, ", "), o.replEvery), nil
	}
	if !hyperv.HostHasHyperV() {
		return nil, "no replication metrics (hvrdoctor_vm_replication_*): this is not a Hyper-V host; give " + exporter.ReplicationFromFlag +
			" DIR with the host's saved PowerShell outputs to export them", nil
	}
	// The first WMI read happens in Run: it can take its 30 s timeout, and
	// serve listens meanwhile; a failure shows as replication_source_up 0.
	r := exporter.NewReplication(exporter.HostView{}, "wmi", o.replEvery)
	return r, fmt.Sprintf("replication metrics (hvrdoctor_vm_replication_*) from WMI on this host (state, health, last replication; statistics only from %s), read every %s",
		exporter.ReplicationFromFlag, o.replEvery), nil
}
