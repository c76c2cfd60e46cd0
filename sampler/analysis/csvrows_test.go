package analysis

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
)

func readAllRows(t testing.TB, data string) ([][]string, []int, error) {
	rr := newRowReader(strings.NewReader(data))
	var out [][]string
	var lines []int
	for {
		f, err := rr.Read()
		if err == io.EOF {
			return out, lines, nil
		}
		if err != nil {
			return out, lines, err
		}
		row := make([]string, len(f))
		for i, b := range f {
			row[i] = string(b)
		}
		out = append(out, row)
		lines = append(lines, rr.Line())
	}
}

func TestRowReaderRFC4180(t *testing.T) {
	data := "\xef\xbb\xbfa,b,c\r\n" +
		"1,\"two, with comma\",3\n" +
		"\n" +
		"\"multi\nline\",\"say \"\"hi\"\"\",\n" +
		"x,,\"\"\n"
	rows, lines, err := readAllRows(t, data)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"a", "b", "c"}, {"1", "two, with comma", "3"}, {"multi\nline", `say "hi"`, ""}, {"x", "", ""}}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") || len(rows[i]) != len(want[i]) {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
	if !equalInts(lines, []int{1, 2, 4, 6}) {
		t.Errorf("lines %v, want 1 2 4 6", lines)
	}
}

func TestRowReaderLongLine(t *testing.T) {
	long := strings.Repeat("x", 700<<10)
	rows, _, err := readAllRows(t, "a,"+long+"\nb,c\n")
	if err != nil || len(rows) != 2 || rows[0][1] != long || rows[1][1] != "c" {
		t.Fatalf("long line: err %v, %d rows", err, len(rows))
	}
}

func TestRowReaderBadQuoteContinues(t *testing.T) {
	rr := newRowReader(strings.NewReader("a,\"b\"x,c\nd,e\n"))
	if _, err := rr.Read(); !errors.Is(err, errQuote) {
		t.Fatalf("err = %v, want errQuote", err)
	}
	f, err := rr.Read()
	if err != nil || string(f[0]) != "d" || rr.Line() != 2 {
		t.Fatalf("after a bad row: %q %v line %d", f, err, rr.Line())
	}
}

// FuzzRowReader checks the streaming reader never panics, and that on any
// input encoding/csv accepts it returns exactly the same records.
func FuzzRowReader(f *testing.F) {
	for _, s := range []string{
		"a,b,c\n1,2,3\n",
		"\"q,1\",\"x\"\"y\"\n",
		"a,\"multi\r\nline\"\r\nz\n",
		"2026-11-24T04:57:01.000+01:00,04:57,sqlservr.exe,1800,workload,100,0,100,0,5\n2026-11-24T04:57:02",
		"\"unterminated\n",
		"a,\"b\"c\n",
		"\xef\xbb\xbfh1,h2\n\n\nv1,v2",
		",,\n\"\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, _, err := readAllRows(t, string(data))
		cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
		cr.FieldsPerRecord = -1
		want, werr := cr.ReadAll()
		if werr != nil || err != nil {
			return // where either rejects the input, only "no panic" is required
		}
		if len(rows) != len(want) {
			t.Fatalf("%q: %d records, encoding/csv %d: %q vs %q", data, len(rows), len(want), rows, want)
		}
		for i := range want {
			if len(rows[i]) != len(want[i]) {
				t.Fatalf("%q record %d: %q vs %q", data, i, rows[i], want[i])
			}
			for j := range want[i] {
				if rows[i][j] != want[i][j] {
					t.Fatalf("%q record %d field %d: %q vs %q", data, i, j, rows[i][j], want[i][j])
				}
			}
		}
	})
}

// FuzzOpenFile feeds arbitrary bytes through a whole reader: no panic, no
// hang; errors are FileErrors naming the file.
func FuzzOpenFile(f *testing.F) {
	f.Add([]byte(procHeader + "2026-11-24T04:57:00.000+01:00,04:57,sqlservr.exe,1800,workload,1000,0,10000,0,5\n"))
	f.Add([]byte("(PDH-CSV 4.0) (W. Europe Standard Time)(-60),\\\\H\\Process(a)\\IO Write Bytes/sec\n11/24/2026 04:57:00.000,5\n"))
	f.Add([]byte("Timestamp,Process,PID,WriteBytesPerSec\n1,x,2,3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := writeFile(t, "in.csv", string(data))
		r, err := OpenFile(p, ColumnMap{})
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) || fe.File != p {
				t.Fatalf("error %v is not a FileError for %s", err, p)
			}
			return
		}
		defer r.Close()
		a := NewAnalyzer(Options{})
		for i := 0; ; i++ {
			s, err := r.Next()
			if err != nil {
				break
			}
			a.AddSample(s)
		}
		a.Report()
	})
}
