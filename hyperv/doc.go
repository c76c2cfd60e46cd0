// Package hyperv reads Hyper-V Replica's own view of replication on a
// host: the relationships of Get-VMReplication, the statistics of
// Measure-VMReplication, the replica server's settings and authorization
// entries, the Microsoft-Windows-Hyper-V-VMMS-Admin events and the
// "Hyper-V Replica VM" counters. On every OS it reads the files an admin
// saves on the host with PowerShell (see ReadFiles); it applies the
// documented health rules (Evaluate), forecasts a forced resynchronization
// (Forecast) and audits a replica server (Audit). No UI imports: the
// status command, the terminal UI and the exporter render what it returns.
package hyperv
