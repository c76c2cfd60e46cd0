package main

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
// a failed first WMI read is only said in the note.
func openReplication(ctx context.Context, o serveOptions) (*exporter.Replication, string, error) {
	if len(o.replFrom) > 0 {
		r, err := exporter.NewReplication(ctx, exporter.HostView{Paths: o.replFrom}, "files", o.replEvery)
		if err != nil {
			return nil, "", err
		}
		return r, fmt.Sprintf("replication metrics (hvrdoctor_vm_replication_*) from the saved PowerShell outputs in %s, read every %s",
			strings.Join(o.replFrom, ", "), o.replEvery), nil
	}
	if !hyperv.HostHasHyperV() {
		return nil, "no replication metrics (hvrdoctor_vm_replication_*): this is not a Hyper-V host; give " + exporter.ReplicationFromFlag +
			" DIR with the host's saved PowerShell outputs to export them", nil
	}
	r, err := exporter.NewReplication(ctx, exporter.HostView{}, "wmi", o.replEvery)
	if err != nil {
		// WMI can fail for a while (vmms restarting): serve goes on, with
		// hvrdoctor_replication_source_up 0, and reads again every interval.
		return r, fmt.Sprintf("replication metrics (hvrdoctor_vm_replication_*) from WMI on this host: the first read failed (%v); reading again every %s, or give %s DIR with saved PowerShell outputs",
			err, o.replEvery, exporter.ReplicationFromFlag), nil
	}
	return r, fmt.Sprintf("replication metrics (hvrdoctor_vm_replication_*) from WMI on this host (state, health, last replication; statistics only from %s), read every %s",
		exporter.ReplicationFromFlag, o.replEvery), nil
}
