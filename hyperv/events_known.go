package hyperv

import "sort"

// EventInfo is what hvrdoctor knows about one event ID of the
// Microsoft-Windows-Hyper-V-VMMS-Admin log.
type EventInfo struct {
	ID      int
	Meaning string
	// Means says what it means for replication and what to do.
	Means string
	// Source names where the meaning comes from.
	Source string
	// Kind groups events for the fixes: "connection", "auth", "suspended",
	// "resync", "apply", "busy", "stats", "spn", "cluster", "enable".
	Kind string
}

// knownEvents is the event table (Microsoft support articles on Hyper-V
// Replica troubleshooting and the Virtualization team blog).
var knownEvents = []EventInfo{
	{ID: 32000, Meaning: "Enabling replication failed.", Kind: "enable",
		Means:  "Replication was never set up for the VM: the message names the error; check the path to the replica with the wizard.",
		Source: "Microsoft support articles on Hyper-V Replica"},
	{ID: 29210, Meaning: "Kerberos authentication of the Replica server failed.", Kind: "auth",
		Means:  "The primary could not authenticate the replica with Kerberos: the replica's SPN, the domains' trust or the clock is usually the cause; run the wizard's Kerberos checks.",
		Source: "Microsoft support articles on Hyper-V Replica"},
	{ID: 32315, Meaning: "Failed to replicate changes; Hyper-V will retry after a few minutes.", Kind: "connection",
		Means:  "One cycle failed and is retried on its own; in real incidents repeated failures went on to 32022 and then 32086 (suspended).",
		Source: "Microsoft support articles on Hyper-V Replica"},
	{ID: 32022, Meaning: "Hyper-V could not replicate changes.", Kind: "connection",
		Means:  "Changes were not sent; the message carries the error code (0x80004004, 0x00002EF1 and others): the code says why.",
		Source: "Microsoft support articles on Hyper-V Replica"},
	{ID: 32086, Meaning: "Replication suspended after a non-recoverable failure.", Kind: "suspended",
		Means:  "Hyper-V stopped retrying: replication stays suspended until it is resumed (Resume-VMReplication).",
		Source: "Microsoft support articles on Hyper-V Replica"},
	{ID: 32546, Meaning: "The VM is not in a valid state for the operation.", Kind: "busy",
		Means:  "Something holds the VM, for example a backup of the replica. Whether replication resumes on its own once that ends is not in hvrdoctor's sources: check the VM's state afterwards (Get-VMReplication).",
		Source: "Microsoft support articles on Hyper-V Replica"},
	{ID: 19050, Meaning: "The VM is not in a valid state for the operation.", Kind: "busy",
		Means:  "Something holds the VM, for example a backup of the replica. Whether replication resumes on its own once that ends is not in hvrdoctor's sources: check the VM's state afterwards (Get-VMReplication).",
		Source: "Microsoft support articles on Hyper-V Replica"},
	{ID: 32056, Meaning: "Failed to apply the replication logs on the replica.", Kind: "apply",
		Means:  "The replica received changes but could not apply them; the message gives the reason.",
		Source: "Microsoft support articles on Hyper-V Replica"},
	{ID: 32032, Meaning: "Failed to complete the apply of replication logs.", Kind: "apply",
		Means:  "The replica could not finish applying changes; the message gives the reason.",
		Source: "Microsoft support articles on Hyper-V Replica"},
	{ID: 33680, Meaning: "A replication operation failed; the message names both servers.", Kind: "connection",
		Means:  "Read the two server names and the error in the message; check the path between them with the wizard.",
		Source: "Microsoft support articles on Hyper-V Replica"},
	{ID: 29242, Meaning: "Resynchronization: comparing the disks started.", Kind: "resync",
		Means:  "A resynchronization is under way; it compares the primary's and replica's disks.",
		Source: "Hyper-V Replica team blog, resynchronization"},
	{ID: 29244, Meaning: "Resynchronization: comparing the disks finished.", Kind: "resync",
		Means:  "The resynchronization's compare ended.",
		Source: "Hyper-V Replica team blog, resynchronization"},
	{ID: 29410, Meaning: "The VM is not highly available (cluster).", Kind: "cluster",
		Means:  "On a cluster, the VM is not configured as highly available (a clustered role); what that blocks is not in hvrdoctor's sources: the message says which operation failed.",
		Source: "Microsoft support articles on Hyper-V Replica"},
	{ID: 29174, Meaning: "Replication statistics of the previous monitoring interval.", Kind: "stats",
		Means:  "Informational: the statistics Hyper-V computed for the interval that ended.",
		Source: "Microsoft support articles on Hyper-V Replica"},
	{ID: 14050, Meaning: "Failed to register the service principal name (SPN).", Kind: "spn",
		Means: "vmms could not register its Kerberos SPNs (Hyper-V Replica Service/<name>); the dynamic port range or service hardening rules can block it (KB2761899). " +
			"Restarting vmms (Restart-Service vmms) registered them again in the blog's case.",
		Source: "KB2761899; Hyper-V Replica team blog, error 0x80090303"},
}

var eventsByID = func() map[int]EventInfo {
	m := map[int]EventInfo{}
	for _, e := range knownEvents {
		m[e.ID] = e
	}
	return m
}()

// LookupEvent returns what hvrdoctor knows about a VMMS-Admin event ID.
func LookupEvent(id int) (EventInfo, bool) {
	e, ok := eventsByID[id]
	return e, ok
}

// KnownEvents returns the event table ordered by ID.
func KnownEvents() []EventInfo {
	out := append([]EventInfo(nil), knownEvents...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
