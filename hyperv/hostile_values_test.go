package hyperv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// Damaged or extreme values in saved files, typed by hand in the shapes
// ConvertTo-Json writes (Windows PowerShell 5.1 "/Date(ms)/" dates and
// TimeSpan objects with Ticks; PowerShell 7 ISO dates and "d.hh:mm:ss"),
// must read as absent, never as a wrong figure or a wrong verdict.

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := testutil.TempDir(t)
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A TimeSpan past what time.Duration holds came out negative (Ticks 1e17
// gave an average latency of -2346317h) and a span of 10^20 days as -24h.
func TestTimeSpansOutOfRangeAreAbsent(t *testing.T) {
	for _, in := range []any{
		map[string]any{"Ticks": float64(1e17), "TotalSeconds": 1e10},
		map[string]any{"Ticks": float64(4611686018427387903)},
		map[string]any{"Ticks": float64(-5)},
		map[string]any{"TotalSeconds": -1e300},
		map[string]any{"TotalSeconds": 1e300},
		"99999999999999999999.00:00:00",
		"200000.00:00:00",
		float64(-3),
		float64(1e300),
	} {
		if got, ok := (props{"L": in}).durationOf("L"); ok {
			t.Errorf("%v: read as %v, want absent", in, got)
		}
	}
	if got, ok := (props{"L": "36500.00:00:00"}).durationOf("L"); !ok || got != 36500*24*time.Hour {
		t.Errorf("100 years: %v %v", got, ok)
	}
}

// .NET's DateTime.MinValue as a local time converted to UTC (year 0) and
// MaxValue (9999) are "never", not times: one of them set the evaluation
// time to 9999 or made a last replication "106751d23h ago" (Warning).
func TestDatesOutOfRangeAreAbsent(t *testing.T) {
	for _, in := range []any{"/Date(-62135600400000)/", "/Date(-62135596800000)/", "0001-01-01T00:00:00", "0001-01-01T01:00:00+01:00",
		"9999-12-31T23:59:59.9999999", "/Date(253402300799999)/", "/Date(99999999999999999)/", "1601-01-01T00:00:00Z"} {
		if got := parseTime(in); !got.IsZero() {
			t.Errorf("%v: read as %v, want absent", in, got)
		}
	}
	dir := writeFiles(t, map[string]string{
		"measure.json": `[{"VMName":"A","State":"Replicating","Health":"Normal","LastReplicationTime":"/Date(-62135600400000)/",
			"AverageReplicationLatency":{"Ticks":100000000000000000,"TotalSeconds":10000000000},"SuccessfulReplicationCount":10,"MissedReplicationCount":0,
			"MonitoringEndTime":"/Date(1796547600000)/"},
		{"VMName":"B","State":"Replicating","Health":"Normal","LastReplicationTime":"/Date(1796547000000)/","MonitoringEndTime":"9999-12-31T23:59:59"}]`,
	})
	s, err := ReadFiles([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	want := time.UnixMilli(1796547600000).UTC()
	if got := s.Latest(); !got.Equal(want) {
		t.Fatalf("evaluation time %v, want %v (the latest real time)", got, want)
	}
	for _, v := range Status(s, s.Latest()) {
		if v.Health != LevelNormal || len(v.Rules) != 0 {
			t.Errorf("%s: %v with rules %s, want Normal (no readable input fires a rule)", v.Name, v.Health, ruleIDs(v))
		}
		if v.Stats != nil && (v.Stats.HasAverageLatency || v.Stats.AverageReplicationLatency < 0) {
			t.Errorf("%s: average latency %v read from an overflowing TimeSpan", v.Name, v.Stats.AverageReplicationLatency)
		}
	}
}

// The write rate of the resync forecast came from any counter instance
// whose letters contained the disk's file name: os.vhdx of VM A took the
// rate of D:\VMs\BOSS\disk.vhdx ("...bosS..." holds "os"), and gave
// "reached in 41s".
func TestForecastRateOnlyFromTheVMsOwnDisks(t *testing.T) {
	measure := `[{"VMName":"A","State":"Replicating","Health":"Normal","LastReplicationTime":"2026-12-06T08:55:00Z","PendingReplicationSize":1073741824,
		"MonitoringEndTime":"2026-12-06T09:00:00Z"},
		{"VMName":"C","State":"Replicating","Health":"Normal","LastReplicationTime":"2026-12-06T08:55:00Z","PendingReplicationSize":1073741824,
		"MonitoringEndTime":"2026-12-06T09:00:00Z"}]`
	vhd := `[{"VMName":"A","Path":"D:\\VMs\\A\\os.vhdx","Size":10737418240},{"VMName":"C","Path":"E:\\C\\data.vhdx","Size":10737418240},
		{"VMName":"D","Path":"E:\\D\\data.vhdx","Size":10737418240}]`
	counters := func(instances ...string) string {
		head := `"(PDH-CSV 4.0) (Coordinated Universal Time)(0)"`
		row := `"12/06/2026 08:55:00.000"`
		for _, in := range instances {
			head += `,"\\HV1\Hyper-V Virtual Storage Device(` + in + `)\Write Bytes/sec"`
			row += `,"1048576"`
		}
		return head + "\r\n" + row + "\r\n" + strings.Replace(row, "08:55", "08:56", 1) + "\r\n"
	}
	rate := func(csv string) map[string]float64 {
		t.Helper()
		dir := writeFiles(t, map[string]string{"m.json": measure, "vhd.json": vhd, "c.csv": csv})
		s, err := ReadFiles([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, v := range Status(s, s.Latest()) {
			if v.Forecast != nil && v.Forecast.HasUntil {
				out[v.Name] = v.Forecast.RateBytesPerSec
			}
		}
		return out
	}
	if got := rate(counters("D:-VMs-BOSS-disk.vhdx", "D:-VMs-A-os2.vhdx")); len(got) != 0 {
		t.Errorf("other disks' counters gave rates %v, want none", got)
	}
	if got := rate(counters("D:-VMs-A-os.vhdx", "D:-VMs-BOSS-disk.vhdx")); got["A"] != 1048576 || len(got) != 1 {
		t.Errorf("A's own disk: rates %v, want A at 1 MiB/s only", got)
	}
	// data.vhdx is the file name of C's and D's disks: only the whole
	// path tells them apart.
	if got := rate(counters("E:-D-data.vhdx")); len(got) != 0 {
		t.Errorf("D's disk gave C a rate: %v", got)
	}
	if got := rate(counters("E:-C-data.vhdx", "E:-D-data.vhdx")); got["C"] != 1048576 || len(got) != 1 {
		t.Errorf("C's disk by its path: rates %v, want C at 1 MiB/s", got)
	}
	// A damaged cell (negative, infinite) is left out, not averaged.
	bad := strings.Replace(counters("E:-C-data.vhdx"), `"1048576"`, `"-1e300"`, 1)
	bad = strings.Replace(bad, `"1048576"`, `"Inf"`, 1)
	if got := rate(bad); len(got) != 0 {
		t.Errorf("damaged cells gave rates %v", got)
	}
}

// A VM whose authentication and port the files do not give (only
// Measure-VMReplication saved, or a damaged ReplicaPort) got fix commands
// with --auth kerberos and port 80 as if the files said so.
func TestFixCommandsDoNotGuessAuthOrPort(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"measure.json": `{"VMName":"A","State":"Critical","Health":"Critical","LastReplicationTime":"2026-12-06T08:55:00Z","PendingReplicationSize":5,"SuccessfulReplicationCount":1,"MonitoringEndTime":"2026-12-06T09:00:00Z"}`,
		"rep.json":     `{"VMName":"A","State":"Critical","Health":"Critical","Mode":"Primary","Relationship":"Simple","PrimaryServer":"p","ReplicaServer":"dr","ReplicaPort":99999999999}`,
	})
	s, err := ReadFiles([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	v := Status(s, s.Latest())[0]
	cmds := fixCommands(v)
	for _, bad := range []string{"--auth kerberos", " 80 ", " Kerberos", "--port"} {
		if strings.Contains(cmds, bad) {
			t.Errorf("fix commands assume %q:\n%s", bad, cmds)
		}
	}
	for _, want := range []string{"hvrdoctor check --replica 'dr' --auth <kerberos|certificate> --vm 'A'", "Test-VMReplicationConnection 'dr' <port> <Kerberos|Certificate>"} {
		if !strings.Contains(cmds, want) {
			t.Errorf("fix commands lack %q:\n%s", want, cmds)
		}
	}
}

// A counter CSV of one endless line was read whole (a 60 MB cell took 479
// MB) and one of 8 million samples kept them all (32 MB of text, 511 MB):
// both are refused with a one-line error naming the file.
func TestCounterCSVBounds(t *testing.T) {
	head := `"(PDH-CSV 4.0) (Coordinated Universal Time)(0)","\\H\Hyper-V Replica VM(A)\Last Replication Size","\\H\Hyper-V Replica VM(B)\Last Replication Size"` + "\r\n"
	long := head + `"12/06/2026 08:55:00.000","` + strings.Repeat("9", maxCounterLine+10) + "\"\r\n"
	var many strings.Builder
	many.WriteString(head)
	for i := 0; i <= MaxCounterPoints/2; i++ {
		many.WriteString("\"12/06/2026 08:55:00.000\",\"1\",\"2\"\r\n")
	}
	for name, c := range map[string]struct{ text, want string }{
		"long.csv": {long, "a line is longer than 4 MiB"},
		"many.csv": {many.String(), "holds more than 1048576 samples"},
	} {
		dir := writeFiles(t, map[string]string{name: c.text})
		_, err := ReadFiles([]string{filepath.Join(dir, name)})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), name) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one line naming the file and %q", name, err, c.want)
		}
	}
	// Within the bounds, a counter CSV read as a stream gives its samples.
	dir := writeFiles(t, map[string]string{"ok.csv": head + "\"12/06/2026 08:55:00.000\",\"1\",\"2\"\r\n\"12/06/2026 08:56:00.000\",\"3\",\"4\"\r\n"})
	s, err := ReadFiles([]string{dir})
	if err != nil || len(s.Counters) != 2 || len(s.Counters[1].Points) != 2 || s.Counters[1].Points[1].V != 4 {
		t.Fatalf("ok.csv: %v %+v", err, s)
	}
}

// With --at, events logged after that time were still evidence: a 32086
// at 11:00 made the VM Critical as of 10:30, and a later 14050 was listed
// among the host-wide causes.
func TestEventsAfterAsOfAreNotEvidence(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"rep.json": `{"VMName":"DB01","State":"Replicating","Health":"Normal","Mode":"Primary","Relationship":"Simple","PrimaryServer":"p","ReplicaServer":"dr","ReplicaPort":80,"AuthType":"Kerberos"}`,
		"events.json": `[{"Id":32315,"TimeCreated":"2026-12-06T10:00:00Z","LevelDisplayName":"Warning","Message":"Hyper-V failed to replicate changes for virtual machine 'DB01'"},
			{"Id":32086,"TimeCreated":"2026-12-06T11:00:00Z","LevelDisplayName":"Error","Message":"Replication for virtual machine 'DB01' is suspended"},
			{"Id":14050,"TimeCreated":"2026-12-06T11:30:00Z","LevelDisplayName":"Error","Message":"Failed to register service principal name"}]`,
	})
	s, err := ReadFiles([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 6, 10, 30, 0, 0, time.UTC)
	r := NewStatusReport(s, at, "--at")
	v := r.VMs[0]
	if strings.Contains(ruleIDs(v), "suspended-event") || v.Health == LevelCritical {
		t.Errorf("as of 10:30 the VM is %v with rules %s from an event at 11:00", v.Health, ruleIDs(v))
	}
	if len(v.Events) != 1 || v.Events[0].ID != 32315 {
		t.Errorf("events as of 10:30: %+v, want only the 32315 of 10:00", v.Events)
	}
	if len(r.HostEvents) != 0 {
		t.Errorf("host-wide events as of 10:30: %+v, want none (the 14050 is at 11:30)", r.HostEvents)
	}
	// As of the latest time in the files, all of them count.
	r = NewStatusReport(s, s.Latest(), "latest")
	if !strings.Contains(ruleIDs(r.VMs[0]), "suspended-event") || len(r.HostEvents) != 1 {
		t.Errorf("as of the files' end: rules %s, host events %d", ruleIDs(r.VMs[0]), len(r.HostEvents))
	}
}

// Replica server settings saved without AllowedAuthenticationType (or
// without a port) made every relationship a mismatch: the audit failed
// with "the server allows (not given)". What the files do not give is not
// checked; certificate authentication's fix names the thumbprint it needs.
func TestAuditDoesNotFailOnMissingSettings(t *testing.T) {
	rep := `[{"VMName":"SQL01","State":"Replicating","Health":"Normal","Mode":"Primary","Relationship":"Simple","PrimaryServer":"hv1","ReplicaServer":"hv-dr01","ReplicaPort":80,"AuthType":"Kerberos"},
		{"VMName":"WEB07","State":"Replicating","Health":"Normal","Mode":"Primary","Relationship":"Simple","PrimaryServer":"hv7","ReplicaServer":"hv-dr01","ReplicaPort":443,"AuthType":"Certificate"}]`
	check := func(server, want string) AuditCheck {
		t.Helper()
		dir := writeFiles(t, map[string]string{"rep.json": rep, "server.json": server})
		s, err := ReadFiles([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range Audit(s) {
			if a.ID == "auth-consistent" {
				if a.Result != want {
					t.Errorf("%s: %s (%s), want %s", server, a.Result, a.Text, want)
				}
				return a
			}
		}
		t.Fatalf("%s: no auth-consistent check", server)
		return AuditCheck{}
	}
	check(`{"ComputerName":"hv-dr01","ReplicationEnabled":true,"KerberosAuthenticationPort":80,"CertificateAuthenticationPort":443,"ReplicationAllowedFromAnyServer":true}`, "not checked")
	check(`{"ComputerName":"hv-dr01","ReplicationEnabled":true,"AllowedAuthenticationType":"CertificateAndKerberos","ReplicationAllowedFromAnyServer":true}`, "not checked")
	check(`{"ComputerName":"hv-dr01","ReplicationEnabled":true,"AllowedAuthenticationType":"CertificateAndKerberos","KerberosAuthenticationPort":80,"CertificateAuthenticationPort":443,"ReplicationAllowedFromAnyServer":true}`, "pass")
	// Unknown type, a known port that differs: still a mismatch.
	check(`{"ComputerName":"hv-dr01","ReplicationEnabled":true,"KerberosAuthenticationPort":8080,"CertificateAuthenticationPort":443,"ReplicationAllowedFromAnyServer":true}`, "fail")
	a := check(`{"ComputerName":"hv-dr01","ReplicationEnabled":true,"AllowedAuthenticationType":"Kerberos","KerberosAuthenticationPort":80,"ReplicationAllowedFromAnyServer":true}`, "fail")
	if len(a.Fixes) == 0 || !strings.Contains(a.Fixes[0].Command, "-CertificateThumbprint <THUMBPRINT>") {
		t.Errorf("allowing certificates without a thumbprint on the server: %+v", a.Fixes)
	}
}

// Without ReplicationAllowedFromAnyServer in the saved settings, the
// authorization entries were judged as if they applied: an empty list
// failed ("no primary can replicate here").
func TestAuditAuthorizationNeedsAnyServerSetting(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"rep.json":    `{"VMName":"SQL01","State":"Replicating","Health":"Normal","Mode":"Primary","Relationship":"Simple","PrimaryServer":"hv1","ReplicaServer":"hv-dr01","ReplicaPort":80,"AuthType":"Kerberos"}`,
		"server.json": `{"ComputerName":"hv-dr01","ReplicationEnabled":true,"AllowedAuthenticationType":"Kerberos","KerberosAuthenticationPort":80,"DefaultStorageLocation":"D:\\Replica"}`,
		"authz.json":  `[{"AllowedPrimaryServer":"hv9.contoso.com","ReplicaStorageLocation":"D:\\R","TrustGroup":"DEFAULT"}]`,
	})
	s, err := ReadFiles([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range Audit(s) {
		if a.ID == "authorization" && a.Result != "not checked" {
			t.Errorf("authorization: %s (%s), want not checked", a.Result, a.Text)
		}
	}
}

// One cycle count without the other counted the missing one as 0: a file
// with MissedReplicationCount 30 and no SuccessfulReplicationCount gave
// "30 of 30 cycles missed" (Warning), and absent ReplicationErrors showed
// as "0 replication errors".
func TestMissingCountsAreNotZero(t *testing.T) {
	dir := writeFiles(t, map[string]string{"m.json": `[
		{"VMName":"A","State":"Replicating","Health":"Normal","PendingReplicationSize":1,"MissedReplicationCount":30,"LastReplicationTime":"2026-12-06T08:55:00Z","MonitoringEndTime":"2026-12-06T09:00:00Z"},
		{"VMName":"B","State":"Replicating","Health":"Normal","PendingReplicationSize":1,"SuccessfulReplicationCount":10,"MissedReplicationCount":"x","LastReplicationTime":"2026-12-06T08:55:00Z","MonitoringEndTime":"2026-12-06T09:00:00Z"}]`})
	s, err := ReadFiles([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Status(s, s.Latest()) {
		if len(v.Rules) != 0 || v.Health != LevelNormal {
			t.Errorf("%s: %v with rules %s from one cycle count", v.Name, v.Health, ruleIDs(v))
		}
		if v.Stats.HasCounts || v.Stats.HasErrors || v.Stats.HasSuccessful == (v.Name == "A") {
			t.Errorf("%s: counts read as given: %+v", v.Name, v.Stats)
		}
	}
	doc := NewStatusDocument(NewStatusReport(s, s.Latest(), "latest"))
	for _, v := range doc.VMs {
		st := v.Stats
		if st == nil || st.Errors != nil || (v.Name == "A" && (st.SuccessfulCycles != nil || st.MissedCycles == nil)) ||
			(v.Name == "B" && (st.SuccessfulCycles == nil || st.MissedCycles != nil)) {
			t.Errorf("%s: JSON counts do not follow the file: %+v", v.Name, st)
		}
	}
}

// The saved outputs of a primary and of its replica in one directory (a
// ticket's attachments) are two views of one relationship: the file read
// later replaced the other, so a replica's Suspended/Critical became the
// primary's Normal and status exited 0. Both forms of Mode: PowerShell 7
// names and Windows PowerShell 5.1 numbers.
func TestTwoHostsViewsStayApart(t *testing.T) {
	for _, form := range []struct{ primary, replica string }{{`"Primary"`, `"Replica"`}, {"1", "2"}} {
		dir := writeFiles(t, map[string]string{
			"a-replica.json": `{"VMName":"SQL01","State":"Suspended","Health":"Critical","Mode":` + form.replica + `,"Relationship":"Simple","PrimaryServer":"hv1","ReplicaServer":"dr1","ReplicaPort":80,"AuthType":"Kerberos"}`,
			"b-primary.json": `{"VMName":"SQL01","State":"Replicating","Health":"Normal","Mode":` + form.primary + `,"Relationship":"Simple","PrimaryServer":"hv1","ReplicaServer":"dr1","ReplicaPort":80,"AuthType":"Kerberos"}`,
		})
		s, err := ReadFiles([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		r := NewStatusReport(s, time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC), "--at")
		if len(r.VMs) != 2 || r.VMs[0].Health != LevelCritical || r.VMs[1].Health != LevelNormal {
			var got []string
			for _, v := range r.VMs {
				got = append(got, v.Name+" "+v.Mode+" "+v.Health.String())
			}
			t.Errorf("Mode %s/%s: relationships %q, want the replica's Critical and the primary's Normal", form.primary, form.replica, got)
		}
	}
	// One host's files: Measure-VMReplication joins its relationship.
	dir := writeFiles(t, map[string]string{
		"rep.json": `{"VMName":"SQL01","State":"Replicating","Health":"Normal","Mode":1,"Relationship":0,"PrimaryServer":"hv1","ReplicaServer":"dr1","ReplicaPort":80,"AuthType":1}`,
		"m.json":   `{"VMName":"SQL01","State":3,"Health":1,"PendingReplicationSize":5,"SuccessfulReplicationCount":3,"MissedReplicationCount":0,"MonitoringEndTime":"2026-12-06T09:00:00Z"}`,
	})
	s, err := ReadFiles([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if vms := Status(s, s.Latest()); len(vms) != 1 || vms[0].Stats == nil || vms[0].ReplicaServer != "dr1" {
		t.Errorf("one host's Get-VMReplication and Measure-VMReplication did not join: %+v", vms)
	}
}

// With a primary's and a replica's files in one directory, the events of
// both logs went to both views: the replica's 32086 made the primary's
// view Critical. Each view keeps the events of its own host's log.
func TestTwoHostsViewsKeepTheirOwnEvents(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a-replica.json": `{"VMName":"SQL01","State":"Suspended","Health":"Critical","Mode":"Replica","Relationship":"Simple","PrimaryServer":"hv1.contoso.com","ReplicaServer":"dr1.contoso.com","ReplicaPort":80,"AuthType":"Kerberos"}`,
		"b-primary.json": `{"VMName":"SQL01","State":"Replicating","Health":"Normal","Mode":"Primary","Relationship":"Simple","PrimaryServer":"hv1.contoso.com","ReplicaServer":"dr1.contoso.com","ReplicaPort":80,"AuthType":"Kerberos"}`,
		"events.json": `[{"Id":32086,"TimeCreated":"2026-12-06T08:00:00Z","MachineName":"DR1.contoso.com","Message":"Replication for virtual machine 'SQL01' is suspended"},
			{"Id":32315,"TimeCreated":"2026-12-06T08:10:00Z","MachineName":"hv1","Message":"Hyper-V failed to replicate changes for virtual machine 'SQL01'"}]`,
	})
	s, err := ReadFiles([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Status(s, time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)) {
		want := map[string]int{"Primary": 32315, "Replica": 32086}[v.Mode]
		if len(v.Events) != 1 || v.Events[0].ID != want {
			t.Errorf("%s view: events %+v, want only %d", v.Mode, v.Events, want)
		}
		if v.Mode == "Primary" && v.Health != LevelNormal {
			t.Errorf("primary view %v with rules %s", v.Health, ruleIDs(v))
		}
	}
}
