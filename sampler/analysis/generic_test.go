package analysis

import (
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// Another tool's long CSV: bytes written per 10 s interval, own column
// names, its own time layout.
const genericCSV = `When,Image,ProcessId,BytesWritten,Note
2026-11-24 13:51:50,sqlservr.exe,1800,5000000,x
2026-11-24 13:51:50,MsMpEng.exe,2400,10000,x
2026-11-24 13:52:00,sqlservr.exe,1800,5000000,x
2026-11-24 13:52:00,explorer.exe,3120,125000000,"copy, big"
2026-11-24 13:52:10,sqlservr.exe,1800,5000000,x
2026-11-24 13:52:10,explorer.exe,3120,125000000,x
2026-11-24 13:52:20,sqlservr.exe,1800,5000000,x
`

func TestGenericCSVWithColumnMapping(t *testing.T) {
	p := writeFile(t, "tool.csv", genericCSV)
	m := ColumnMap{Time: "When", Process: "Image", PID: "ProcessId", Write: "BytesWritten", WriteKind: "bytes", TimeFormat: "2006-01-02 15:04:05"}
	cl := sampler.DefaultClassifier()
	res, err := AnalyzeFiles([]string{p}, m, Options{Classify: cl.Classify})
	if err != nil {
		t.Fatal(err)
	}
	if res.Inputs[0].Kind != KindGeneric || res.Inputs[0].Samples != 4 {
		t.Fatalf("inputs %+v", res.Inputs)
	}
	r := res.Report
	got := map[string]ProcessStat{}
	for _, ps := range r.Processes {
		got[ps.Name] = ps
	}
	if got["explorer.exe"].WriteBytes != 250000000 || got["explorer.exe"].Class != sampler.ClassInbox {
		t.Errorf("explorer %+v", got["explorer.exe"])
	}
	if got["sqlservr.exe"].WriteBytes != 20000000 || got["sqlservr.exe"].Class != sampler.ClassWorkload {
		t.Errorf("sqlservr %+v", got["sqlservr.exe"])
	}
	if got["MsMpEng.exe"].PID != 2400 || got["MsMpEng.exe"].Class == "" {
		t.Errorf("MsMpEng %+v should be classified", got["MsMpEng.exe"])
	}
	// Minute 13:52 holds 15 MB of SQL and 250 MB of copy.
	if r.TopMinutes[0].Label != "13:52" || r.TopMinutes[0].Bytes != 265000000 {
		t.Errorf("top minute %+v", r.TopMinutes[0])
	}
}

func TestGenericCSVByColumnNumberAndRates(t *testing.T) {
	body := "t,name,rate\n1764000000,dd,1000\n1764000010,dd,1000\n1764000020,dd,3000\n"
	p := writeFile(t, "rates.csv", body)
	res, err := AnalyzeFiles([]string{p}, ColumnMap{Time: "1", Process: "2", Write: "3", TimeFormat: "unix"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Rates x 10 s gaps (the first sample takes the gap to the next one).
	if got := res.Report.Processes[0].WriteBytes; got != 50000 {
		t.Errorf("dd wrote %.0f, want 50000", got)
	}
	if res.Report.Processes[0].Class != "" || !strings.Contains(strings.Join(res.Notes, " "), "unclassified") {
		t.Errorf("no classifier and no class column: %+v %q", res.Report.Processes[0], res.Notes)
	}
}

func TestColumnMapErrors(t *testing.T) {
	p := writeFile(t, "x.csv", "a,b\n1,2\n")
	if _, err := OpenFile(p, ColumnMap{Time: "9"}); err == nil || !strings.Contains(err.Error(), "--time-col 9") {
		t.Errorf("column out of range: %v", err)
	}
	if err := (ColumnMap{WriteKind: "kb"}).Validate(); err == nil {
		t.Error("write kind kb accepted")
	}
	if err := (ColumnMap{TimeFormat: "yyyy"}).Validate(); err == nil || !strings.Contains(err.Error(), "Go layout") {
		t.Errorf("time format yyyy: %v", err)
	}
}

func TestParseLinkRate(t *testing.T) {
	for in, want := range map[string]float64{
		"100Mbit": 12.5e6, "1Gbit": 125e6, "10 Mbps": 1.25e6, "50MB/s": 50e6,
		"12.5MiB/s": 12.5 * (1 << 20), "512kbit": 64000, "100Mbit/s": 12.5e6, "1.5Gbps": 187.5e6,
	} {
		got, err := ParseLinkRate(in)
		if err != nil || got != want {
			t.Errorf("%s = %v %v, want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "100", "fast", "-5Mbit", "10 furlongs", "100MX"} {
		if _, err := ParseLinkRate(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

// CSVs a user actually has are read without flags: common column names
// (ProcessName, Id, Time, "Write Bytes/sec" or BytesWritten), Excel's
// semicolon-separated files with decimal commas, day-first dates; the
// mapping used is stated in the notes.
func TestGenericCSVDetectedWithoutFlags(t *testing.T) {
	cases := []struct {
		name, body string
		wantNote   []string
		bytesOnly  bool
	}{
		{"processname.csv", "Time,ProcessName,Id,Write Bytes/sec\n" +
			"2026-11-24 13:52:00,sqlservr,1800,1000000\n2026-11-24 13:52:10,sqlservr,1800,1000000\n2026-11-24 13:52:20,sqlservr,1800,1000000\n",
			[]string{`time from "Time"`, `process from "ProcessName"`, `PID from "Id"`, `writes from "Write Bytes/sec" (bytes per second)`, "comma-separated"}, false},
		{"excel.csv", "Zeitstempel;Image;PID;BytesWritten\n" +
			"24.11.2026 13:52:00;sqlservr.exe;1800;10000000,0\n24.11.2026 13:52:10;sqlservr.exe;1800;10000000,0\n24.11.2026 13:52:20;sqlservr.exe;1800;10000000\n",
			nil, true},
		{"dayfirst.csv", "DateTime;Process Name;Process ID;Bytes Written\n" +
			"24.11.2026 13:52:00;sqlservr.exe;1800;10000000,0\n24.11.2026 13:52:10;sqlservr.exe;1800;10000000,0\n24.11.2026 13:52:20;sqlservr.exe;1800;10000000\n",
			[]string{"semicolon-separated", `time from "DateTime" (day-first date (DD.MM.YYYY))`, `writes from "Bytes Written" (bytes per interval)`}, true},
		{"slashes.csv", "Timestamp,Image,PID,WriteBytes\n" +
			"24/11/2026 13:52:00,sqlservr.exe,1800,10000000\n24/11/2026 13:52:10,sqlservr.exe,1800,10000000\n24/11/2026 13:52:20,sqlservr.exe,1800,10000000\n",
			[]string{"(day-first date (DD/MM/YYYY))"}, true},
	}
	for _, c := range cases {
		p := writeFile(t, c.name, c.body)
		res, err := AnalyzeFiles([]string{p}, ColumnMap{}, Options{})
		if c.name == "excel.csv" {
			// A time column named in another language is not guessed:
			// the message says which flag names it.
			if err == nil || !strings.Contains(err.Error(), "--time-col") {
				t.Errorf("%s: err %v, want a hint to --time-col", c.name, err)
			}
			res, err = AnalyzeFiles([]string{p}, ColumnMap{Time: "Zeitstempel"}, Options{})
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		r := res.Report
		if res.Partial() || r.Samples != 3 || len(r.Processes) != 1 || r.Processes[0].PID != 1800 {
			t.Errorf("%s: partial %v samples %d processes %+v", c.name, res.Partial(), r.Samples, r.Processes)
			continue
		}
		want := 30e6 // three samples of 10 MB, or 1 MB/s for 30 s
		if r.Processes[0].WriteBytes != want || r.Start.Format("2006-01-02 15:04:05") != "2026-11-24 13:52:00" {
			t.Errorf("%s: wrote %.0f from %s, want %.0f from 2026-11-24 13:52:00", c.name, r.Processes[0].WriteBytes, r.Start, want)
		}
		notes := strings.Join(res.Notes, "\n")
		for _, w := range c.wantNote {
			if !strings.Contains(notes, w) {
				t.Errorf("%s: the mapping should say %q:\n%s", c.name, w, notes)
			}
		}
	}
}

// A slashed date read month first from an ambiguous first row says what to
// pass when a later row shows the dates are day first.
func TestGenericAmbiguousSlashDateSaysWhatToPass(t *testing.T) {
	p := writeFile(t, "amb.csv", "Timestamp,Process,PID,WriteBytesPerSec\n"+
		"05/11/2026 13:52:00,a.exe,1,100\n13/11/2026 13:52:10,a.exe,1,100\n")
	res, err := AnalyzeFiles([]string{p}, ColumnMap{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Inputs[0].Skipped.String()
	if !strings.Contains(s, "day first") || !strings.Contains(s, `--time-format "2/1/2006 15:04:05"`) {
		t.Errorf("skipped %q should say the dates are day first and what to pass", s)
	}
}
