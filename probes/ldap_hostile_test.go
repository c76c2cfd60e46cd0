package probes

import (
	"bytes"
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// silentServer accepts TCP connections on loopback, records what clients
// send and never answers: a directory that hangs. It stands in for a hostile
// or broken server, which no real LDAP server can be made to be.
type silentServer struct {
	ln   net.Listener
	mu   sync.Mutex
	got  bytes.Buffer
	done chan struct{}
}

func startSilentServer(t *testing.T) *silentServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &silentServer{ln: ln, done: make(chan struct{})}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 4096)
				for {
					n, err := c.Read(buf)
					s.mu.Lock()
					s.got.Write(buf[:n])
					s.mu.Unlock()
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return s
}

func (s *silentServer) received() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.got.String()
}

// TestLDAPSilentServerHonoursCtrlC: a directory that accepts the
// connection and then says nothing held the search until the timeout, and
// Ctrl-C did nothing. Now cancelling ends the step at once.
func TestLDAPSilentServerHonoursCtrlC(t *testing.T) {
	s := startSilentServer(t)
	tg := &Target{Replica: "replica.lab.test", Auth: AuthKerberos, Timeout: 20 * time.Second, Realm: "LAB.TEST",
		LDAPURL: "ldap://" + s.ln.Addr().String()}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	done := make(chan Result, 1)
	go func() { done <- (LDAPSPNProbe{}).Run(ctx, tg) }()
	select {
	case res := <-done:
		if res.Status == StatusPass {
			t.Errorf("a silent directory passed: %s", res.Summary)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the LDAP step ignores Ctrl-C while the directory is silent (timeout 20s)")
	}
}

// TestLDAPPasswordNeverSentInClear: with a principal and a password and a
// plain ldap:// directory, the only thing sent is the StartTLS request; the
// password never goes on the wire.
func TestLDAPPasswordNeverSentInClear(t *testing.T) {
	s := startSilentServer(t)
	tg := &Target{Replica: "replica.lab.test", Auth: AuthKerberos, Timeout: 500 * time.Millisecond, Realm: "LAB.TEST",
		LDAPURL: "ldap://" + s.ln.Addr().String(), Principal: "hvradmin", Password: "Clear-Text-Secret"}
	res := (LDAPSPNProbe{}).Run(context.Background(), tg)
	if res.Status != StatusError || !strings.Contains(res.Summary, "StartTLS") {
		t.Errorf("status %s: %s; want an error saying StartTLS failed", res.Status, res.Summary)
	}
	time.Sleep(100 * time.Millisecond)
	if got := s.received(); strings.Contains(got, "Clear-Text-Secret") || strings.Contains(got, "hvradmin") {
		t.Errorf("the account or its password went over plain LDAP: %q", got)
	}
	if !strings.Contains(s.received(), "1.3.6.1.4.1.1466.20037") {
		t.Errorf("no StartTLS request was sent: %q", s.received())
	}
}
