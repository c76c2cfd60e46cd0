package probes

import (
	"context"
	"net"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
)

// floodingLDAP answers every request with search result entries of 128 KiB
// each, up to 400 (50 MiB) per request, and never ends the search: a
// directory that ignores the size limit. It stands in for a hostile
// server, which no real directory can be made to be.
func floodingLDAP(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	big := strings.Repeat("x", 128<<10)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				for {
					req, err := ber.ReadPacket(c)
					if err != nil || len(req.Children) < 1 {
						return
					}
					id := req.Children[0].Value
					for i := 0; i < 400; i++ {
						msg := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
						msg.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, id, ""))
						entry := ber.Encode(ber.ClassApplication, ber.TypeConstructed, 4, nil, "")
						entry.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "cn=x", ""))
						attrs := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
						attr := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
						attr.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "namingContexts", ""))
						vals := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSet, nil, "")
						vals.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, big, ""))
						attr.AppendChild(vals)
						attrs.AppendChild(attr)
						entry.AppendChild(attrs)
						msg.AppendChild(entry)
						if _, err := c.Write(msg.Bytes()); err != nil {
							return
						}
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// TestLDAPFloodBoundedMemory: go-ldap's Search keeps every entry a server
// sends; a directory that ignores the size limit filled memory until the
// timeout. The probe now reads the root DSE's first entry and at most 20
// holders per SPN, so the heap stays small (its growth includes garbage
// not yet collected: 23-29 MiB measured, 184 MiB before for 50 MiB sent).
func TestLDAPFloodBoundedMemory(t *testing.T) {
	addr := floodingLDAP(t)
	// HeapInuse counts garbage not yet collected, so with the default
	// GOGC the peak depended on when the collector ran (69 MiB seen once
	// on a loaded machine): collecting at 25% growth makes it track what
	// the probe keeps.
	defer debug.SetGCPercent(debug.SetGCPercent(25))
	tg := &Target{Replica: "replica.lab.test", Auth: AuthKerberos, Timeout: 3 * time.Second, Realm: "LAB.TEST", LDAPURL: "ldap://" + addr}
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	res := LDAPSPNProbe{}.Run(context.Background(), tg)
	close(stop)
	grew := int64(peak.Load()) - int64(base.HeapInuse)
	t.Logf("%s: %s; live heap grew by at most %d MiB", res.Status, res.Summary, grew>>20)
	if grew > 48<<20 {
		t.Errorf("the live heap grew by %d MiB while a directory flooded the search", grew>>20)
	}
}
