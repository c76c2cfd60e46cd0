package probes

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jcmturner/gokrb5/v8/config"
)

// maxKDCMessage bounds a Kerberos message over TCP (RFC 4120 7.2.2 frames):
// tickets with a large PAC are tens of KB; AD's own limit is 64 KB.
const maxKDCMessage = 1 << 20

// kdcRelays stand between gokrb5 and the KDCs. gokrb5's TCP exchange
// allocates whatever length a KDC's reply announces (up to 4 GiB) and takes
// no context; through the relays every reply frame is checked against
// maxKDCMessage (a larger one ends the connection) and every connection is
// closed when the step's context ends.
type kdcRelays struct {
	mu     sync.Mutex
	lns    []net.Listener
	conns  []net.Conn
	closed bool
	stop   func() bool
	// oversize is the length of the first reply frame refused, 0 = none.
	oversize atomic.Uint32
}

// refused returns the announced length of a reply frame that was refused
// for its size, 0 when none was.
func (r *kdcRelays) refused() uint32 { return r.oversize.Load() }

// relayedConfig returns a copy of ks's configuration whose realm's KDCs are
// loopback relays to the real ones, and the relays to close after use.
// Other realms lose their KDCs: only the realm the user named is asked.
func relayedConfig(ctx context.Context, ks *kerberosSetup, timeout time.Duration) (*config.Config, *kdcRelays, error) {
	r := &kdcRelays{}
	r.stop = context.AfterFunc(ctx, r.Close)
	var local []string
	for _, kdc := range ks.kdcs {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			r.Close()
			return nil, nil, fmt.Errorf("KDC relay: %w", err)
		}
		r.mu.Lock()
		r.lns = append(r.lns, ln)
		r.mu.Unlock()
		local = append(local, ln.Addr().String())
		go r.serve(ctx, ln, kdc, timeout)
	}
	cfg := *ks.cfg
	cfg.LibDefaults.UDPPreferenceLimit = 1 // TCP only: every message goes through a relay
	cfg.LibDefaults.DNSLookupKDC = false
	cfg.Realms = nil
	for _, realm := range ks.cfg.Realms {
		realm.KDC = nil
		if realm.Realm == ks.realm {
			realm.KDC = local
		}
		cfg.Realms = append(cfg.Realms, realm)
	}
	found := false
	for _, realm := range cfg.Realms {
		found = found || realm.Realm == ks.realm
	}
	if !found {
		cfg.Realms = append(cfg.Realms, config.Realm{Realm: ks.realm, KDC: local})
	}
	return &cfg, r, nil
}

// track remembers c for Close; false when the relays are already closed.
func (r *kdcRelays) track(c net.Conn) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	r.conns = append(r.conns, c)
	return true
}

// Close ends every relay and connection.
func (r *kdcRelays) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	r.closed = true
	if r.stop != nil {
		r.stop()
	}
	for _, ln := range r.lns {
		ln.Close()
	}
	for _, c := range r.conns {
		c.Close()
	}
}

func (r *kdcRelays) serve(ctx context.Context, ln net.Listener, kdc string, timeout time.Duration) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		if !r.track(c) {
			c.Close()
			return
		}
		go r.relay(ctx, c, kdc, timeout)
	}
}

// relay passes requests to kdc and checked reply frames back.
func (r *kdcRelays) relay(ctx context.Context, c net.Conn, kdc string, timeout time.Duration) {
	defer c.Close()
	d := net.Dialer{Timeout: timeout}
	up, err := d.DialContext(ctx, "tcp", kdc)
	if err != nil {
		return
	}
	defer up.Close()
	if !r.track(up) {
		return
	}
	deadline := time.Now().Add(timeout)
	c.SetDeadline(deadline)
	up.SetDeadline(deadline)
	go func() {
		// Requests: gokrb5's own, framed the same way; bounded too.
		copyFrames(up, c)
		up.(*net.TCPConn).CloseWrite()
	}()
	if n := copyFrames(c, up); n > 0 {
		r.oversize.CompareAndSwap(0, n)
	}
}

// copyFrames copies length-prefixed Kerberos frames from src to dst until
// EOF, an error, or a frame over maxKDCMessage, which ends the copy and
// whose announced length it returns (0 otherwise).
func copyFrames(dst io.Writer, src io.Reader) uint32 {
	var hdr [4]byte
	for {
		if _, err := io.ReadFull(src, hdr[:]); err != nil {
			return 0
		}
		n := binary.BigEndian.Uint32(hdr[:])
		if n > maxKDCMessage {
			return n
		}
		if n == 0 {
			return 0
		}
		if _, err := dst.Write(hdr[:]); err != nil {
			return 0
		}
		if _, err := io.CopyN(dst, src, int64(n)); err != nil {
			return 0
		}
	}
}
