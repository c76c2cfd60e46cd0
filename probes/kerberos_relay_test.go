package probes

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jcmturner/gokrb5/v8/iana/errorcode"
	"github.com/jcmturner/gokrb5/v8/iana/nametype"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/types"
)

// hostileKDC answers the first connection like a KDC (a KRB-ERROR asking
// for pre-authentication, which hvrdoctor's reachability check reads) and
// every later one with a frame that announces 4 GiB and sends junk. It
// stands in for a broken or hostile KDC, which a real KDC cannot be made
// to be.
func hostileKDC(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	ke := messages.NewKRBError(types.PrincipalName{NameType: nametype.KRB_NT_SRV_INST, NameString: []string{"krbtgt", "LAB.TEST"}},
		"LAB.TEST", errorcode.KDC_ERR_PREAUTH_REQUIRED, "")
	good, err := ke.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			first := n.Add(1) == 1
			go func() {
				defer c.Close()
				var hdr [4]byte
				if _, err := io.ReadFull(c, hdr[:]); err != nil {
					return
				}
				io.CopyN(io.Discard, c, int64(binary.BigEndian.Uint32(hdr[:])))
				if first {
					binary.BigEndian.PutUint32(hdr[:], uint32(len(good)))
					c.Write(append(hdr[:], good...))
					return
				}
				binary.BigEndian.PutUint32(hdr[:], 0xFFFFFFF0)
				c.Write(hdr[:])
				junk := make([]byte, 64<<10)
				for end := time.Now().Add(3 * time.Second); time.Now().Before(end); {
					if _, err := c.Write(junk); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String(), &n
}

// TestKDCReplySizeBounded: gokrb5 allocates the length a KDC's TCP reply
// announces (4 GiB here). Through the relays the frame is refused and the
// step ends with an error, allocating little.
func TestKDCReplySizeBounded(t *testing.T) {
	kdc, conns := hostileKDC(t)
	tg := &Target{Replica: "replica.lab.test", Auth: AuthKerberos, Timeout: 2 * time.Second, KDC: kdc, Realm: "LAB.TEST",
		Principal: "hvradmin", Password: "pw"}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res := SPNProbe{}.Run(context.Background(), tg)
	runtime.ReadMemStats(&after)
	if conns.Load() < 2 {
		t.Fatalf("the login never reached the KDC (%d connections): %s %s", conns.Load(), res.Status, res.Summary)
	}
	if res.Status != StatusError || !strings.Contains(res.Summary, "4294967280-byte reply") || strings.Contains(res.Summary, "\n") {
		t.Errorf("status %s: %s; want an error", res.Status, res.Summary)
	}
	t.Logf("%s: %s (%d connections, %d KiB allocated)", res.Status, res.Summary, conns.Load(), (after.TotalAlloc-before.TotalAlloc)>>10)
	if d := after.TotalAlloc - before.TotalAlloc; d > 64<<20 {
		t.Errorf("the step allocated %d MiB for a hostile KDC reply", d>>20)
	}
}
