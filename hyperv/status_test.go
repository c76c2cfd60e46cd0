package hyperv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// The fixtures in testdata/status were typed from the documented property
// names and enums (Hyper-V PowerShell reference for Get-VMReplication's
// columns and Measure-VMReplication's properties; Microsoft's WMI class
// reference for the ReplicationState / ReplicationHealth numbers; the
// event IDs and the chain 32315 -> 32022 -> 32086 from Microsoft's support
// articles, as summarised in the project's facts file), generated in both
// PowerShell forms: ps7 (enums as names, ISO dates) and ps51 (enums as
// numbers, "\/Date(ms)\/" dates, UTF-8 BOM, CRLF). No Hyper-V host was at
// hand to record them; the event messages are paraphrased (the reader
// relies only on the ID, the time and the VM's quoted name).

var asOf = time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)

func loadStatus(t *testing.T, form string) (*Snapshot, map[string]VM) {
	t.Helper()
	s, err := ReadFiles([]string{filepath.Join("testdata", "status", form)})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Latest(); !got.Equal(asOf) {
		t.Errorf("%s: latest time %v, want %v", form, got, asOf)
	}
	vms := Status(s, asOf)
	m := map[string]VM{}
	for _, v := range vms {
		m[v.Name+"/"+v.Relationship] = v
	}
	if len(m) != 6 {
		t.Fatalf("%s: %d relationships, want 6: %v", form, len(m), m)
	}
	return s, m
}

func ruleIDs(v VM) string {
	var ids []string
	for _, r := range v.Rules {
		ids = append(ids, r.ID)
	}
	return strings.Join(ids, ",")
}

func fixCommands(v VM) string {
	var c []string
	for _, f := range v.Fixes {
		c = append(c, f.Command)
	}
	return strings.Join(c, "\n")
}

func TestStatusFixturesBothForms(t *testing.T) {
	for _, form := range []string{"ps7", "ps51"} {
		t.Run(form, func(t *testing.T) {
			_, m := loadStatus(t, form)

			web := m["WEB01/primary"]
			if web.Health != LevelNormal || len(web.Rules) != 0 || len(web.Fixes) != 0 {
				t.Errorf("healthy VM: health %v rules %q fixes %q", web.Health, ruleIDs(web), fixCommands(web))
			}

			file := m["FILE01/primary"]
			if file.Health != LevelWarning || ruleIDs(file) != "missed-cycles" || !strings.Contains(file.Rules[0].Text, "30 of 130") {
				t.Errorf("warning VM: health %v rules %q %+v", file.Health, ruleIDs(file), file.Rules)
			}

			sql := m["SQL01/primary"]
			if sql.Health != LevelCritical || !strings.Contains(ruleIDs(sql), "suspended-event") || sql.Chain != "32315 -> 32022 -> 32086" {
				t.Errorf("critical VM: health %v rules %q chain %q", sql.Health, ruleIDs(sql), sql.Chain)
			}
			// Only the events after the last replication (06:10): the
			// 32315 of 05:50 is before it.
			if len(sql.Events) != 3 || sql.Events[0].ID != 32315 || !sql.Events[0].Time.Equal(time.Date(2026, 12, 6, 6, 20, 0, 0, time.UTC)) {
				t.Errorf("critical VM's events: %+v", sql.Events)
			}
			if codes := sql.Events[1].Codes(); len(codes) != 1 || codes[0] != "0x00002EF1" {
				t.Errorf("32022's codes: %v", codes)
			}
			for _, want := range []string{"Resume-VMReplication -VMName 'SQL01'", "hvrdoctor check --replica 'hv-dr01.contoso.com' --port 80 --auth kerberos --vm 'SQL01'",
				"Test-VMReplicationConnection 'hv-dr01.contoso.com' 80 Kerberos"} {
				if !strings.Contains(fixCommands(sql), want) {
					t.Errorf("critical VM's fixes lack %q:\n%s", want, fixCommands(sql))
				}
			}

			ext := m["SQL01/extended"]
			if ext.Health != LevelNormal || ext.ReplicaServer != "hv-dr02.fabrikam.com" || ext.Stats == nil || ext.Stats.SuccessfulReplicationCount != 47 {
				t.Errorf("extended relationship: %+v", ext)
			}
			if ext.AuthType != "Certificate" {
				t.Errorf("extended relationship's auth %q, want Certificate (by name, or WMI's 2)", ext.AuthType)
			}

			app := m["APP01/primary"]
			if app.Health != LevelCritical {
				t.Errorf("VM needing resync: health %v", app.Health)
			}
			if form == "ps7" {
				if ruleIDs(app) != "resync-required,no-replication-1h" || !strings.Contains(fixCommands(app), "Resume-VMReplication -VMName 'APP01' -Resynchronize") {
					t.Errorf("VM needing resync: rules %q fixes %q", ruleIDs(app), fixCommands(app))
				}
			} else if app.State != "" || app.StateNumber != 9 || strings.Contains(ruleIDs(app), "resync-required") {
				// A state number is not named (the cmdlet's numbering
				// is not documented), so no state rule fires; Hyper-V's
				// own health (3) still makes it Critical.
				t.Errorf("PS 5.1 state number: state %q number %d rules %q", app.State, app.StateNumber, ruleIDs(app))
			}

			log := m["LOG01/primary"]
			f := log.Forecast
			if f == nil || !f.Near || f.DiskBytes != 100<<30 || f.ThresholdBytes != 50<<30 || int(f.PercentOfThreshold) != 90 || !f.HasUntil {
				t.Fatalf("near-threshold VM's forecast: %+v", f)
			}
			// 5 GiB left at 1 MiB/s.
			if f.Until != 5120*time.Second || !strings.Contains(f.Basis, "Write Bytes/sec") || !strings.Contains(f.Basis, "50%") {
				t.Errorf("forecast: until %v basis %q", f.Until, f.Basis)
			}
			if web.Forecast == nil || web.Forecast.HasUntil || web.Forecast.Near || !strings.Contains(web.Forecast.Basis, "counters name none of this VM's disks") {
				t.Errorf("forecast without counters: %+v", web.Forecast)
			}
		})
	}
}

// The kind is read from the content: the same files under other names
// give the same result.
func TestReadFilesKindFromContent(t *testing.T) {
	dir := testutil.TempDir(t)
	for i, n := range []string{"measure.json", "vmreplication.json", "events.json", "vhd.json", "counters.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", "status", "ps7", n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "file"+string(rune('a'+i))+".txt"), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s, err := ReadFiles([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	want := map[Kind]bool{KindMeasure: true, KindReplication: true, KindEvents: true, KindDisks: true, KindCounters: true}
	for _, f := range s.Files {
		delete(want, f.Kind)
	}
	if len(want) != 0 || len(s.Measurements) != 6 || len(s.Events) != 6 {
		t.Errorf("kinds not found: %v; files %+v", want, s.Files)
	}
}

func TestReadFilesBadInputNamesTheFile(t *testing.T) {
	dir := testutil.TempDir(t)
	cases := map[string]string{
		"cut.json":     `[{"VMName":"SQL01","PendingReplicationSize":12`,
		"syntax.json":  `{"VMName": "SQL01",, }`,
		"unknown.json": `{"Foo": 1, "Bar": 2}`,
		"notjson.txt":  "Measure-VMReplication : The term is not recognized",
		"array.json":   `[1, 2]`,
		"trail.json":   `[{"VMName":"A","PendingReplicationSize":1}] Get-VMReplication : error`,
		"pdh.csv":      "\"(PDH-CSV 4.0)\",\"\\\\H\\Hyper-V Replica VM(A)\\Replication Count\"\n\"13/45/2026 99:00:00\",\"1\"\n",
	}
	for name, content := range cases {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := ReadFiles([]string{p})
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "--from \"") || !strings.Contains(msg, name+"\": ") || strings.ContainsAny(msg, "\r\n") {
			t.Errorf("%s: error %q should be one line naming the file", name, msg)
		}
	}
	if _, err := ReadFiles([]string{filepath.Join(dir, "cut.json")}); err == nil || !strings.Contains(err.Error(), "cut short") {
		t.Errorf("partial JSON: %v", err)
	}
	if _, err := ReadFiles([]string{filepath.Join(dir, "missing.json")}); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
	// A directory skips what is not saved output, but refuses a broken
	// JSON file in it.
	good := testutil.TempDir(t)
	os.WriteFile(filepath.Join(good, "notes.txt"), []byte("ticket 1234"), 0o600)
	data, _ := os.ReadFile(filepath.Join("testdata", "status", "ps7", "measure.json"))
	os.WriteFile(filepath.Join(good, "m.json"), data, 0o600)
	s, err := ReadFiles([]string{good})
	if err != nil || len(s.Skipped) != 1 || !strings.Contains(s.Skipped[0], "notes.txt") {
		t.Errorf("directory: %v %+v", err, s)
	}
}

func TestReadFilesRefusesLargeFiles(t *testing.T) {
	p := filepath.Join(testutil.TempDir(t), "big.json")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxCounterFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = ReadFiles([]string{p})
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("over the limit: %v", err)
	}
}

// Dates and time spans in both PowerShell forms.
func TestDatesAndTimeSpans(t *testing.T) {
	want := time.Date(2026, 12, 6, 6, 10, 0, 0, time.UTC)
	for _, in := range []any{"/Date(1796537400000)/", "2026-12-06T06:10:00.0000000+00:00", "2026-12-06T07:10:00+01:00", "2026-12-06T06:10:00"} {
		if got := parseTime(in); !got.Equal(want) {
			t.Errorf("%v: %v, want %v", in, got, want)
		}
	}
	for _, c := range []struct {
		in   any
		want time.Duration
	}{
		{map[string]any{"Ticks": float64(300000000)}, 30 * time.Second},
		{map[string]any{"TotalSeconds": 90.5}, 90500 * time.Millisecond},
		{"00:05:00", 5 * time.Minute},
		{"1.02:00:00", 26 * time.Hour},
		{float64(12), 12 * time.Second},
	} {
		got, ok := props{"L": c.in}.durationOf("L")
		if !ok || got != c.want {
			t.Errorf("%v: %v %v, want %v", c.in, got, ok, c.want)
		}
	}
}

// Latency over 5 minutes, a last replication over an hour ago and an
// incomplete initial replication are the other documented rules.
func TestRulesLatencyAgeInitial(t *testing.T) {
	v := &VM{Name: "X", Relationship: "primary", State: "WaitingToCompleteInitialReplication", StateNumber: -1,
		LastReplication: asOf.Add(-2 * time.Hour),
		Stats:           &Measurement{HasAverageLatency: true, AverageReplicationLatency: 6 * time.Minute}}
	got := evaluate(v, asOf)
	ids := ruleIDs(VM{Rules: got})
	if ids != "initial-not-complete,latency-over-5m" {
		t.Errorf("rules %q (no-replication-1h must not fire before the initial replication)", ids)
	}
	v.State = "Replicating"
	if ids := ruleIDs(VM{Rules: evaluate(v, asOf)}); ids != "no-replication-1h,latency-over-5m" {
		t.Errorf("rules %q", ids)
	}
	// At exactly 20% missed, the rule does not fire (more than 20%).
	v2 := &VM{State: "Replicating", Stats: &Measurement{HasCounts: true, SuccessfulReplicationCount: 80, MissedReplicationCount: 20}}
	if r := evaluate(v2, asOf); len(r) != 0 {
		t.Errorf("20%% missed fired %+v", r)
	}
	v2.Stats.MissedReplicationCount = 21
	if r := evaluate(v2, asOf); len(r) != 1 || r[0].ID != "missed-cycles" {
		t.Errorf("21 of 101 missed: %+v", r)
	}
}

// A VM name with quotes and control characters is quoted for PowerShell
// in every fix.
func TestFixesQuoteValues(t *testing.T) {
	v := &VM{Name: "it's\nevil; rm", Relationship: "primary", State: "WaitingToStartResync", ReplicaServer: "r'1", StateNumber: -1}
	v.Rules = evaluate(v, asOf)
	v.Health = LevelCritical
	for _, f := range fixesFor(v) {
		if strings.ContainsAny(f.Command, "\n") {
			t.Errorf("command spans lines: %q", f.Command)
		}
		if strings.Contains(f.Command, "-VMName") && !strings.Contains(f.Command, `('it''s'+[char]10+'evil; rm')`) {
			t.Errorf("VM name not quoted: %q", f.Command)
		}
	}
}

// An event names a VM by its quoted name or its ID, not by a bare word:
// a VM named "virtual" is not in every message that says "virtual machine".
func TestEventsMatchQuotedNameOrID(t *testing.T) {
	evs := []Event{
		{ID: 32022, Time: asOf, Message: "Hyper-V could not replicate changes for virtual machine 'SQL01'."},
		{ID: 32022, Time: asOf, Message: "Hyper-V could not replicate changes for virtual machine (Virtual machine ID 1F2E3D4C-0000-4000-8000-00000000A001)."},
	}
	if got := eventsFor(evs, "virtual", "", time.Time{}); len(got) != 0 {
		t.Errorf("bare word matched: %+v", got)
	}
	if got := eventsFor(evs, "sql01", "", time.Time{}); len(got) != 1 {
		t.Errorf("quoted name (any case): %+v", got)
	}
	if got := eventsFor(evs, "OTHER", "1f2e3d4c-0000-4000-8000-00000000a001", time.Time{}); len(got) != 1 {
		t.Errorf("by ID: %+v", got)
	}
}

// Windows PowerShell 5.1's "> file" and Out-File write UTF-16 with a byte
// order mark: read as well.
func TestReadFilesUTF16(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "status", "ps51", "measure.json"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data[3:]) // without the UTF-8 BOM
	out := []byte{0xff, 0xfe}
	for _, r := range text {
		out = append(out, byte(r), byte(r>>8))
	}
	p := filepath.Join(testutil.TempDir(t), "m.json")
	if err := os.WriteFile(p, out, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := ReadFiles([]string{p})
	if err != nil || len(s.Measurements) != 6 {
		t.Fatalf("%v, %d measurements", err, len(s.Measurements))
	}
}

// Measure-VMReplication saved with MeasureScript under Windows PowerShell
// 5.1: the state is a number and a name; the name wins and the state rules
// apply.
func TestMeasureStateName(t *testing.T) {
	s := &Snapshot{}
	if _, _, err := s.addJSON(strings.NewReader(`{"VMName":"APP01","State":9,"StateName":"WaitingToStartResync","Health":3,"HealthName":"Critical",` +
		`"PendingReplicationSize":0,"SuccessfulReplicationCount":1,"MissedReplicationCount":0}`)); err != nil {
		t.Fatal(err)
	}
	v := Status(s, asOf)[0]
	if v.State != "WaitingToStartResync" || v.StateNumber != -1 || ruleIDs(v) != "resync-required" {
		t.Errorf("%+v rules %q", v, ruleIDs(v))
	}
}
