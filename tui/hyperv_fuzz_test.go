package tui

import (
	"strings"
	"testing"
)

// FuzzParseVMReplicationJSON: the JSON of Get-VMReplication, read on the
// host, yields relationships or a one-line error, never a panic. Seed
// corpus in testdata/fuzz/FuzzParseVMReplicationJSON.
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
			_ = vmFields(v)
		}
	})
}
