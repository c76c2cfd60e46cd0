package hyperv

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// FuzzParseVMReplicationJSON: the JSON of Get-VMReplication yields
// relationships or a one-line error, never a panic. Seed corpus in
// testdata/fuzz/FuzzParseVMReplicationJSON (moved here with the parser;
// tui keeps its own target over the form's fields).
func FuzzParseVMReplicationJSON(f *testing.F) {
	f.Add([]byte(`{"VMName":"SQL01","ReplicaServer":"hv-dr01.contoso.com","ReplicaPort":80}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		vms, err := ParseVMReplicationJSON(data)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error spans lines: %q", err.Error())
			}
			return
		}
		for _, v := range vms {
			_ = v.Describe()
		}
	})
}

// FuzzSavedOutput: any saved file's content is read as one of the kinds,
// or refused with a one-line error; status, the forecast and the audit
// never panic on what was read.
func FuzzSavedOutput(f *testing.F) {
	f.Add([]byte(`{"VMName":"A","PendingReplicationSize":1,"SuccessfulReplicationCount":3,"MissedReplicationCount":1,"LastReplicationTime":"/Date(0)/"}`))
	f.Add([]byte(`[{"Id":32086,"TimeCreated":"2026-12-06T06:40:00Z","Message":"'A' suspended"}]`))
	f.Add([]byte(`{"ReplicationEnabled":true,"AllowedAuthenticationType":3,"ReplicationAllowedFromAnyServer":false}`))
	f.Add([]byte("\"(PDH-CSV 4.0)\",\"\\\\H\\Hyper-V Replica VM(A)\\Replication Count\"\n\"12/06/2026 09:00:00.000\",\"1\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &Snapshot{}
		text := stripBOM(data)
		if _, _, err := s.addJSON(bytes.NewReader(text)); err != nil && strings.ContainsAny(err.Error(), "\r\n") {
			t.Fatalf("error spans lines: %q", err)
		}
		if series, err := parseCounterCSV(data); err == nil {
			s.Counters = series
		} else if strings.ContainsAny(err.Error(), "\r\n") {
			t.Fatalf("error spans lines: %q", err)
		}
		_ = Status(s, time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC))
		_ = Audit(s)
	})
}
