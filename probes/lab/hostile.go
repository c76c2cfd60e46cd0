package lab

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Hostile behaviours: what a Hostile server answers to every request
// head, as an origin, a proxy (GET, POST or CONNECT) or a CRL endpoint.
const (
	// EndlessHead: a status line, then header lines without end.
	EndlessHead = "endless-head"
	// EndlessStatus: a status line that never ends (no CRLF).
	EndlessStatus = "endless-status"
	// EndlessBody: a valid head, then a body without end.
	EndlessBody = "endless-body"
	// EndlessInterim: 100 Continue answers without end.
	EndlessInterim = "endless-interim"
	// ContinueSilence: 100 Continue, then nothing (the connection stays
	// open).
	ContinueSilence = "continue-silence"
	// Continue413: 100 Continue, then 413.
	Continue413 = "continue-413"
	// GarbageTLS: random-looking bytes without end, at once on accept
	// (neither TLS nor HTTP).
	GarbageTLS = "garbage-tls"
	// Silent: accepts and reads, never answers.
	Silent = "silent"
)

// Hostile is a loopback server that misbehaves in one way, for testing
// that every read of the probes has a size limit and a deadline. Requests
// whose Content-Length is under 4 GiB can be answered like a proxy that
// forwards to a Kerberos listener instead (SmallOK), so that the large
// upload probe's control request gets through.
type Hostile struct {
	Addr string
	URL  string // http://Addr
	// Accepted counts connections.
	accepted int
	mu       sync.Mutex
	ln       net.Listener
	conns    map[net.Conn]bool
	done     chan struct{}
}

// HostileOptions configure StartHostile.
type HostileOptions struct {
	// Behaviour is one of the constants above.
	Behaviour string
	// SmallOK answers requests announcing less than 4 GiB (the control
	// POST, after reading its body when it asked for it with 100
	// Continue) with 401 Negotiate, like a proxy forwarding to the
	// replica; only large requests get the hostile behaviour.
	SmallOK bool
}

var hostileFill = bytes.Repeat([]byte("X-Pad: "+strings.Repeat("a", 1000)+"\r\n"), 32)
var hostileGarbage = func() []byte {
	b := make([]byte, 32<<10)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}()

// StartHostile starts a hostile server on a free loopback port. Stop
// closes it and every connection.
func StartHostile(opt HostileOptions) (*Hostile, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("lab hostile: listen: %w", err)
	}
	return newHostile(ln, opt), nil
}

// StartHostileTLS is StartHostile behind TLS: the handshake completes
// (with a lab certificate, asking for a client certificate like a
// replica's listener) and the hostile answer comes inside the session.
func StartHostileTLS(opt HostileOptions) (*Hostile, error) {
	ca, err := NewCA(CAOptions{Name: "hvrdoctor Lab Hostile Root"})
	if err != nil {
		return nil, err
	}
	leaf, err := ca.Issue(LeafSpec{CommonName: "localhost", DNSNames: []string{"localhost"}, ServerAuth: true, ClientAuth: true})
	if err != nil {
		return nil, err
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{leaf.TLSCertificate()}, ClientAuth: tls.RequestClientCert})
	if err != nil {
		return nil, fmt.Errorf("lab hostile tls: listen: %w", err)
	}
	return newHostile(ln, opt), nil
}

func newHostile(ln net.Listener, opt HostileOptions) *Hostile {
	h := &Hostile{Addr: ln.Addr().String(), ln: ln, conns: map[net.Conn]bool{}, done: make(chan struct{})}
	h.URL = "http://" + h.Addr
	go h.serve(opt)
	return h
}

func (h *Hostile) serve(opt HostileOptions) {
	for {
		c, err := h.ln.Accept()
		if err != nil {
			return
		}
		h.mu.Lock()
		h.accepted++
		h.conns[c] = true
		h.mu.Unlock()
		go func() {
			defer func() {
				c.Close()
				h.mu.Lock()
				delete(h.conns, c)
				h.mu.Unlock()
			}()
			h.handle(c, opt)
		}()
	}
}

func (h *Hostile) handle(c net.Conn, opt HostileOptions) {
	if opt.Behaviour == GarbageTLS {
		h.endless(c, hostileGarbage)
		return
	}
	br := bufio.NewReader(c)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	if opt.SmallOK && req.ContentLength < 4<<30 {
		if req.Header.Get("Expect") != "" || req.ContentLength > 0 {
			// A proxy that wants the body first: ask for it, read it.
			fmt.Fprint(c, "HTTP/1.1 100 Continue\r\n\r\n")
			buf := make([]byte, req.ContentLength)
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.ReadFull(br, buf); err != nil {
				return
			}
		}
		fmt.Fprint(c, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Negotiate\r\nServer: Microsoft-HTTPAPI/2.0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		return
	}
	switch opt.Behaviour {
	case EndlessHead:
		if _, err := fmt.Fprint(c, "HTTP/1.1 200 OK\r\n"); err == nil {
			h.endless(c, hostileFill)
		}
	case EndlessStatus:
		if _, err := fmt.Fprint(c, "HTTP/1.1 200 "); err == nil {
			h.endless(c, bytes.Repeat([]byte("A"), 32<<10))
		}
	case EndlessBody:
		if _, err := fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Type: application/pkix-crl\r\nConnection: close\r\n\r\n"); err == nil {
			h.endless(c, hostileGarbage)
		}
	case EndlessInterim:
		h.endless(c, bytes.Repeat([]byte("HTTP/1.1 100 Continue\r\n\r\n"), 1024))
	case ContinueSilence:
		fmt.Fprint(c, "HTTP/1.1 100 Continue\r\n\r\n")
		h.hold(c)
	case Continue413:
		fmt.Fprint(c, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 413 Request Entity Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
	case Silent:
		h.hold(c)
	}
}

// endless writes chunk until the peer goes away or Stop.
func (h *Hostile) endless(c net.Conn, chunk []byte) {
	for {
		select {
		case <-h.done:
			return
		default:
		}
		c.SetWriteDeadline(time.Now().Add(30 * time.Second))
		if _, err := c.Write(chunk); err != nil {
			return
		}
	}
}

// hold keeps c open, reading and discarding, until the peer closes it or
// Stop.
func (h *Hostile) hold(c net.Conn) {
	go func() {
		<-h.done
		c.Close()
	}()
	buf := make([]byte, 4096)
	for {
		c.SetReadDeadline(time.Time{})
		if _, err := c.Read(buf); err != nil {
			return
		}
	}
}

// Accepted is how many connections the server accepted.
func (h *Hostile) Accepted() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.accepted
}

// Stop closes the listener and every connection.
func (h *Hostile) Stop() error {
	select {
	case <-h.done:
		return nil
	default:
	}
	close(h.done)
	err := h.ln.Close()
	h.mu.Lock()
	for c := range h.conns {
		c.Close()
	}
	h.mu.Unlock()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

// LongChainTLS is a TLS server presenting a certificate chain of n copies
// of a lab CA's certificate after its leaf: a chain far longer than any
// real one (crypto/tls bounds the whole message to 256 KiB).
type LongChainTLS struct {
	Addr string
	ln   net.Listener
}

// StartLongChainTLS starts it on a free loopback port.
func StartLongChainTLS(n int) (*LongChainTLS, error) {
	ca, err := NewCA(CAOptions{Name: "hvrdoctor Lab Long Chain Root"})
	if err != nil {
		return nil, err
	}
	leaf, err := ca.Issue(LeafSpec{CommonName: "localhost", DNSNames: []string{"localhost"}, ServerAuth: true, ClientAuth: true})
	if err != nil {
		return nil, err
	}
	cert := leaf.TLSCertificate()
	for i := 0; i < n; i++ {
		cert.Certificate = append(cert.Certificate, ca.Cert.Raw)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		return nil, fmt.Errorf("lab long chain: listen: %w", err)
	}
	s := &LongChainTLS{Addr: ln.Addr().String(), ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				c.(*tls.Conn).Handshake()
				buf := make([]byte, 4096)
				c.Read(buf)
			}()
		}
	}()
	return s, nil
}

// Stop closes the listener.
func (s *LongChainTLS) Stop() error { return s.ln.Close() }
