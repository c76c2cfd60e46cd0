package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
	"github.com/hvrdoctor/hvrdoctor/views"
)

const statusUsage = `Usage: hvrdoctor status [--from FILES|DIR] [--format text|json|markdown] [--at TIME]

Reads what Hyper-V Replica itself reports, saved on the host as PowerShell
output (Get-VMReplication, Measure-VMReplication, Get-WinEvent of the
VMMS-Admin log, Get-VMReplicationServer, Get-VMReplicationAuthorizationEntry,
Get-VHD, Export-Counter CSV; see the README for the lines that save them),
and prints for each VM its state, health, the documented health rules that
fired, the events since its last replication explained, the fixes with its
values, and the resync forecast; with the replica server's settings, an
audit of the server. Each file's kind is found from its content.
On a Hyper-V host without --from it reads the relationships' state, health
and last replication, and a replica server's settings, live from WMI
(root\virtualization\v2).

Exit status: 0 when every VM is Normal (and the audit found no failure),
1 when a VM is Warning or Critical (or an audit check failed), 2 on bad
input.

Flags:
`

// statusOptions are the flags and inputs of hvrdoctor status.
type statusOptions struct {
	from   []string // saved PowerShell outputs; none: live WMI
	format string
	at     time.Time // --at, zero when not given
}

// runStatus is `hvrdoctor status`: exit 1 when a VM is Warning or
// Critical or an audit check failed (the report says which).
func runStatus(env *Env, args []string) error {
	o, err := parseStatusFlags(env, args)
	if err != nil {
		return err
	}
	var snap *hyperv.Snapshot
	if len(o.from) == 0 {
		snap, err = hyperv.ReadLive(context.Background())
		if err != nil {
			return &FlagError{Err: err}
		}
	} else {
		snap, err = hyperv.ReadFiles(o.from)
		if err != nil {
			return flagErrorf("%s", oneLineErr(err))
		}
	}
	asOf, basis := statusAsOf(env, o, snap)
	rep := statusReport{AsOf: asOf, AsOfBasis: basis, Snap: snap, VMs: hyperv.Status(snap, asOf), Audit: hyperv.Audit(snap)}
	rep.HostEvents = hyperv.HostEvents(snap, rep.VMs)
	switch o.format {
	case "json":
		if err := writeStatusJSON(env.Stdout, rep); err != nil {
			return fmt.Errorf("writing JSON: %v", err)
		}
	case "markdown", "md":
		fmt.Fprint(env.Stdout, statusMarkdown(rep))
	default:
		fmt.Fprint(env.Stdout, statusText(rep))
	}
	if code := rep.exitCode(); code != exitOK {
		return &ExitError{Code: code} // the verdict, as in the JSON's exit_code
	}
	return nil
}

// parseStatusFlags reads status's flags; inputs after them are more
// --from files.
func parseStatusFlags(env *Env, args []string) (statusOptions, error) {
	var o statusOptions
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.Func("from", "saved PowerShell output: a file or a directory (repeat the flag, or list more files after the flags)", func(v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("empty: give a file or a directory")
		}
		o.from = append(o.from, v)
		return nil
	})
	fs.StringVar(&o.format, "format", "text", "output: text, json (schema hvrdoctor.status/v1, see docs/status-json.md) or markdown")
	at := fs.String("at", "", "evaluate the rules as of this time (RFC 3339, e.g. 2026-12-06T09:00:00Z); default: the latest time in the files")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(env.Stdout, statusUsage)
			fs.SetOutput(env.Stdout)
			fs.PrintDefaults()
			return o, errHelp
		}
		return o, parseError("status", err)
	}
	o.from = append(o.from, rest...)
	switch o.format {
	case "text", "json", "markdown", "md":
	default:
		return o, flagErrorf("--format %q: use text, json or markdown", o.format)
	}
	if *at != "" {
		t, err := time.Parse(time.RFC3339, strings.TrimSpace(*at))
		if err != nil {
			return o, flagErrorf("--at %q: give a time such as 2026-12-06T09:00:00Z", shortValue(*at))
		}
		o.at = t.UTC()
	}
	return o, nil
}

// statusAsOf is the time the rules are evaluated at and what it is: --at,
// else the latest time in the files, else now.
func statusAsOf(env *Env, o statusOptions, snap *hyperv.Snapshot) (time.Time, string) {
	if !o.at.IsZero() {
		return o.at, "--at"
	}
	if len(o.from) > 0 {
		if t := snap.Latest(); !t.IsZero() {
			return t, "the latest time in the files"
		}
	}
	return env.Now().UTC(), "now"
}

// statusReport is what status prints.
type statusReport struct {
	AsOf      time.Time
	AsOfBasis string
	Snap      *hyperv.Snapshot
	VMs       []hyperv.VM
	Audit     []hyperv.AuditCheck
	// HostEvents are known problem events that name no VM (14050).
	HostEvents []hyperv.Event
}

func (r statusReport) exitCode() int {
	if hyperv.Worst(r.VMs) >= hyperv.LevelWarning {
		return exitFail
	}
	for _, a := range r.Audit {
		if a.Result == "fail" {
			return exitFail
		}
	}
	return exitOK
}

func oneLineErr(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func shortValue(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// uiReplication reads --from for the UI's Replication tab: nil without
// files. The rules are evaluated as of the latest time in the files, as
// status does.
func uiReplication(env *Env, from []string) (*views.ReplicationData, error) {
	if len(from) == 0 {
		return nil, nil
	}
	snap, err := hyperv.ReadFiles(from)
	if err != nil {
		return nil, err
	}
	asOf := snap.Latest()
	if asOf.IsZero() {
		asOf = env.Now().UTC()
	}
	src := plural(len(snap.Files), "saved file")
	if len(from) == 1 {
		src += " in " + from[0]
	}
	return &views.ReplicationData{VMs: hyperv.Status(snap, asOf), Source: src, AsOf: asOf}, nil
}

// liveReplication reads the host's replication for the UI's Replication
// tab (in the background: the UI never waits for WMI).
func (e *Env) liveReplication(ctx context.Context) (*views.ReplicationData, error) {
	snap, err := hyperv.ReadLive(ctx)
	if err != nil {
		return nil, err
	}
	asOf := e.Now().UTC()
	return &views.ReplicationData{VMs: hyperv.Status(snap, asOf), Source: "WMI on this host (state, health, last replication)", AsOf: asOf}, nil
}
