// Command genstatus writes a large saved VMMS-Admin events file (the JSON
// of Get-WinEvent ... | ConvertTo-Json, PowerShell 7 form, with the
// properties Get-WinEvent's records carry) and a Measure-VMReplication
// file into a directory, for measuring `hvrdoctor status --from` on big
// inputs (scripts/bench-status.sh). The events are generated, not
// recorded; their property names follow EventLogRecord's.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

func main() {
	dir := flag.String("dir", "", "output directory (created)")
	size := flag.Int64("mb", 31, "approximate size of the events file in MB")
	minimal := flag.Bool("minimal", false, "only the properties status reads (more events for the same size)")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "genstatus: give -dir")
		os.Exit(2)
	}
	if err := run(*dir, *size<<20, *minimal); err != nil {
		fmt.Fprintln(os.Stderr, "genstatus:", err)
		os.Exit(1)
	}
}

func run(dir string, limit int64, minimal bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	vms := []struct{ name, id string }{
		{"SQL01", "1F2E3D4C-0000-4000-8000-00000000A001"}, {"FILE01", "1F2E3D4C-0000-4000-8000-00000000B002"},
		{"WEB01", "1F2E3D4C-0000-4000-8000-00000000C003"}, {"APP01", "1F2E3D4C-0000-4000-8000-00000000D004"},
	}
	f, err := os.Create(filepath.Join(dir, "events.json"))
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	// Newest first, as Get-WinEvent writes them, ending at the
	// Measure-VMReplication file's end of monitoring.
	end := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	var written int64
	w.WriteString("[\n")
	for i := 0; written < limit; i++ {
		vm := vms[i%len(vms)]
		id, level, levelName, msg := 32315, 3, "Warning",
			fmt.Sprintf("Hyper-V failed to replicate changes for virtual machine '%s' (Virtual machine ID %s): Hyper-V will retry replication after 5 minute(s).", vm.name, vm.id)
		if i%7 == 0 {
			id, level, levelName, msg = 32022, 2, "Error",
				fmt.Sprintf("Hyper-V could not replicate changes for virtual machine '%s': The operation has been canceled. (0x00002EF1). (Virtual machine ID %s)", vm.name, vm.id)
		}
		if i > 0 {
			w.WriteString(",\n")
		}
		t := end.Add(-time.Duration(i) * time.Minute).Format("2006-01-02T15:04:05.0000000+00:00")
		if minimal {
			n, err := fmt.Fprintf(w, `  {
    "Id": %d,
    "Level": %d,
    "RecordId": %d,
    "ProviderName": "Microsoft-Windows-Hyper-V-VMMS",
    "LogName": "Microsoft-Windows-Hyper-V-VMMS-Admin",
    "MachineName": "hv1.contoso.com",
    "TimeCreated": "%s",
    "LevelDisplayName": "%s",
    "Message": "%s"
  }`, id, level, 100000+i, t, levelName, msg)
			if err != nil {
				return err
			}
			written += int64(n) + 2
			continue
		}
		n, err := fmt.Fprintf(w, `  {
    "Id": %d,
    "Version": 0,
    "Qualifiers": 49152,
    "Level": %d,
    "Task": 0,
    "Opcode": 0,
    "Keywords": -9223372036854775808,
    "RecordId": %d,
    "ProviderName": "Microsoft-Windows-Hyper-V-VMMS",
    "ProviderId": "6066f867-7ca1-4418-85fd-36e3f9c0600c",
    "LogName": "Microsoft-Windows-Hyper-V-VMMS-Admin",
    "ProcessId": 2100,
    "ThreadId": %d,
    "MachineName": "hv1.contoso.com",
    "UserId": {
      "BinaryLength": 12,
      "AccountDomainSid": null,
      "Value": "S-1-5-18"
    },
    "TimeCreated": "%s",
    "ActivityId": null,
    "RelatedActivityId": null,
    "ContainerLog": "Microsoft-Windows-Hyper-V-VMMS-Admin",
    "MatchedQueryIds": [],
    "Bookmark": {},
    "LevelDisplayName": "%s",
    "OpcodeDisplayName": "Info",
    "TaskDisplayName": null,
    "KeywordsDisplayNames": [],
    "Properties": [
      {
        "Value": "%s"
      },
      {
        "Value": "%s"
      }
    ],
    "Message": "%s"
  }`, id, level, 100000+i, 3000+i%50, t, levelName, vm.name, vm.id, msg)
		if err != nil {
			return err
		}
		written += int64(n) + 2
	}
	w.WriteString("\n]\n")
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	var m []byte
	m = append(m, "[\n"...)
	for i, vm := range vms {
		if i > 0 {
			m = append(m, ",\n"...)
		}
		m = fmt.Appendf(m, `  {"VMName": "%s", "VMId": "%s", "State": "Replicating", "Health": "Warning", "ReplicationMode": "Primary",
   "LastReplicationTime": "2026-12-06T08:55:00+00:00", "MonitoringStartTime": "2026-12-05T21:00:00+00:00", "MonitoringEndTime": "2026-12-06T09:00:00+00:00",
   "PendingReplicationSize": 73400320, "AverageReplicationSize": 52428800, "MaximumReplicationSize": 157286400,
   "AverageReplicationLatency": "00:00:45", "MaximumReplicationLatency": "00:04:00",
   "SuccessfulReplicationCount": 100, "MissedReplicationCount": 30, "ReplicationErrors": 3, "ReplicationHealthDetails": []}`, vm.name, vm.id)
	}
	m = append(m, "\n]\n"...)
	return os.WriteFile(filepath.Join(dir, "measure.json"), m, 0o644)
}
