package hyperv

import (
	"strings"
	"testing"
	"time"
)

// statsXML is one Msvm_ReplicationStatistics embedded instance in CIM-XML
// (DTD 2.0), as GetReplicationStatisticsEx returns it. Typed by hand from
// Microsoft's class reference (property names and MOF types: uint32
// counts and latencies in seconds, uint64 sizes in bytes, CIM datetimes in
// UTC) and the DMTF CIM-XML layout; NOT captured from a host (none here).
const statsXML = `<INSTANCE CLASSNAME="Msvm_ReplicationStatistics">
<PROPERTY NAME="InstanceID" TYPE="string"></PROPERTY>
<PROPERTY NAME="Caption" TYPE="string"></PROPERTY>
<PROPERTY NAME="StartStatisticTime" TYPE="datetime"><VALUE>20261205210000.000000+000</VALUE></PROPERTY>
<PROPERTY NAME="EndStatisticTime" TYPE="datetime"><VALUE>20261206100000.000000+060</VALUE></PROPERTY>
<PROPERTY NAME="ReplicationSuccessCount" TYPE="uint32"><VALUE>100</VALUE></PROPERTY>
<PROPERTY NAME="ReplicationSize" TYPE="uint64"><VALUE>5242880000</VALUE></PROPERTY>
<PROPERTY NAME="MaxReplicationSize" TYPE="uint64"><VALUE>157286400</VALUE></PROPERTY>
<PROPERTY NAME="ReplicationLatency" TYPE="uint32"><VALUE>4500</VALUE></PROPERTY>
<PROPERTY NAME="ReplicationMissCount" TYPE="uint32"><VALUE>30</VALUE></PROPERTY>
<PROPERTY NAME="MaxReplicationLatency" TYPE="uint32"><VALUE>240</VALUE></PROPERTY>
<PROPERTY NAME="NetworkFailureCount" TYPE="uint32"><VALUE>2</VALUE></PROPERTY>
<PROPERTY NAME="ReplicationFailureCount" TYPE="uint32"><VALUE>1</VALUE></PROPERTY>
<PROPERTY NAME="PendingReplicationSize" TYPE="uint64"><VALUE>73400320</VALUE></PROPERTY>
<PROPERTY NAME="ApplicationConsistentSnapshotFailureCount" TYPE="uint32"><VALUE>0</VALUE></PROPERTY>
<PROPERTY NAME="ReplicationHealth" TYPE="uint32"><VALUE>2</VALUE></PROPERTY>
<PROPERTY NAME="LastTestFailoverTime" TYPE="datetime"><VALUE>16010101000000.000000-000</VALUE></PROPERTY>
</INSTANCE>`

func TestLiveStatisticsFillTheMeasurement(t *testing.T) {
	const id = "1F2E3D4C-0000-4000-8000-00000000B002"
	last := time.Date(2026, 12, 6, 8, 55, 0, 0, time.UTC)
	snap := FromWMI([]WMIRelationship{{InstanceID: `Microsoft:` + id + `\HVR\0`, ReplicationState: 3, ReplicationHealth: 2, LastReplicationTime: last}},
		[]WMISystem{{Name: id, ElementName: "FILE01"}})
	st, err := ParseWMIStatistics(statsXML, id, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC); !st.EndStatisticTime.Equal(want) {
		t.Errorf("EndStatisticTime %v, want %v (the +060 offset taken off)", st.EndStatisticTime, want)
	}
	snap.AddWMIStatistics([]WMIStatistics{st})
	vms := Status(snap, last.Add(10*time.Minute))
	if len(vms) != 1 {
		t.Fatalf("%d VMs", len(vms))
	}
	v := vms[0]
	s := v.Stats
	if s == nil || !s.HasCounts || s.SuccessfulReplicationCount != 100 || s.MissedReplicationCount != 30 || s.ReplicationErrors != 3 {
		t.Fatalf("counts: %+v", s)
	}
	if s.AverageReplicationSize != 52428800 || s.MaximumReplicationSize != 157286400 || s.PendingReplicationSize != 73400320 {
		t.Errorf("sizes: avg %d max %d pending %d", s.AverageReplicationSize, s.MaximumReplicationSize, s.PendingReplicationSize)
	}
	if s.AverageReplicationLatency != 45*time.Second || s.MaximumReplicationLatency != 4*time.Minute {
		t.Errorf("latency: avg %s max %s", s.AverageReplicationLatency, s.MaximumReplicationLatency)
	}
	if !strings.Contains(ruleIDs(v), "missed-cycles") || v.Health != LevelWarning {
		t.Errorf("30 missed of 130: rules %q health %v", ruleIDs(v), v.Health)
	}
}

func TestLiveStatisticsErrorsNameTheVM(t *testing.T) {
	for _, bad := range []string{
		`<INSTANCE CLASSNAME="Msvm_Error"></INSTANCE>`,
		`<INSTANCE CLASSNAME="Msvm_ReplicationStatistics"><PROPERTY NAME="ReplicationSize" TYPE="uint64"><VALUE>many</VALUE></PROPERTY></INSTANCE>`,
		`<INSTANCE CLASSNAME="Msvm_ReplicationStatistics"><PROPERTY NAME="EndStatisticTime" TYPE="datetime"><VALUE>yesterday</VALUE></PROPERTY></INSTANCE>`,
		`<INSTANCE CLASSNAME="Msvm_ReplicationStatistics"></INSTANCE>`,
		`not xml <`,
	} {
		_, err := ParseWMIStatistics(bad, "VMID-1", false)
		if err == nil || !strings.Contains(err.Error(), "VMID-1") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// eventXML is one VMMS-Admin event as EvtRender(EvtRenderEventXml) gives
// it. Typed by hand from the Windows event schema
// (http://schemas.microsoft.com/win/2004/08/events/event: System with
// Provider, EventID, Level, TimeCreated/@SystemTime, EventRecordID,
// Computer) with event 32086 of the facts file's table; the UserData
// element names are illustrative (the VMMS manifest is not at hand), the
// parser takes any leaf. NOT captured from a host.
const eventXML = `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>` +
	`<Provider Name='Microsoft-Windows-Hyper-V-VMMS' Guid='{6066F867-7CA1-4418-85FD-36E3F9C0600C}'/>` +
	`<EventID Qualifiers='49152'>32086</EventID><Version>0</Version><Level>2</Level><Task>0</Task><Opcode>0</Opcode>` +
	`<Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='2026-12-06T08:40:00.1234567Z'/>` +
	`<EventRecordID>9123</EventRecordID><Correlation/><Execution ProcessID='2100' ThreadID='3000'/>` +
	`<Channel>Microsoft-Windows-Hyper-V-VMMS-Admin</Channel><Computer>HV01.corp.example</Computer><Security UserID='S-1-5-18'/></System>` +
	`<UserData><VmlEventLog xmlns='http://www.microsoft.com/Windows/Virtualization/Events'>` +
	`<VmName>SQL01</VmName><VmId>1F2E3D4C-0000-4000-8000-00000000A001</VmId></VmlEventLog></UserData></Event>`

func TestLiveEventXML(t *testing.T) {
	e, err := ParseEventXML(eventXML, "")
	if err != nil {
		t.Fatal(err)
	}
	if e.ID != 32086 || e.Level != "Error" || e.RecordID != 9123 || e.Machine != "HV01.corp.example" ||
		e.Provider != "Microsoft-Windows-Hyper-V-VMMS" || !e.Time.Equal(time.Date(2026, 12, 6, 8, 40, 0, 123456700, time.UTC)) {
		t.Errorf("event: %+v", e)
	}
	// Without a formatted message the data values stand in, quoted, so
	// the VM's quoted name matches as in Hyper-V's messages.
	if e.Message != "VmName: 'SQL01'; VmId: '1F2E3D4C-0000-4000-8000-00000000A001'" || !e.aboutVM("SQL01", "") {
		t.Errorf("message %q", e.Message)
	}
	e, err = ParseEventXML(eventXML, "Hyper-V suspended replication for virtual machine 'SQL01' due to a non-recoverable failure.\r\n(Virtual machine ID ...)")
	if err != nil || !strings.HasPrefix(e.Message, "Hyper-V suspended") || strings.ContainsAny(e.Message, "\r\n") {
		t.Errorf("formatted message: %q %v", e.Message, err)
	}
	for _, bad := range []string{"<Event><System></System></Event>", "<Event><System><EventID>x</EventID></System></Event>",
		"<Event><System><EventID>1</EventID><TimeCreated SystemTime='now'/></System></Event>", "<Event"} {
		if _, err := ParseEventXML(bad, ""); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if q := EventQuery(); q != "*[System[TimeCreated[timediff(@SystemTime) <= 604800000]]]" {
		t.Errorf("query %q", q)
	}
}

func TestLiveCountersAndSummary(t *testing.T) {
	at := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	s := CountersFromPDH(map[string]map[string]float64{
		"Network Bytes Sent":    {"SQL01": 1e6, "_Total": 2e6, "APP01": 5},
		"Last Replication Size": {"SQL01": 4096},
	}, at)
	if len(s) != 3 || s[0].Instance != "APP01" || s[1].Counter != "Last Replication Size" || s[2].Points[0].V != 1e6 || s[0].Object != ReplicaCounterObject {
		t.Errorf("series: %+v", s)
	}
	snap := &Snapshot{Live: true, LiveNotes: []string{"counters not read: no \"Hyper-V Replica VM\" performance counters on this machine"}}
	if got := snap.LiveSummary("WMI (2 items)"); got != `Read live from WMI (2 items). Counters not read: no "Hyper-V Replica VM" performance counters on this machine.` {
		t.Errorf("summary %q", got)
	}
}
