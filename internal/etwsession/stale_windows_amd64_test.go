//go:build windows && amd64

package etwsession

import (
	"slices"
	"testing"

	"github.com/tekert/golang-etw/etw"
)

// A session left by a killed hvrdoctor (a PID that does not run) is
// stopped when a new one starts; this one's own session is not.
func TestStaleSessionsStopped(t *testing.T) {
	const dead = "hvrdoctor-999999" // no such process
	s := etw.NewRealTimeSession(dead)
	if err := s.Start(); err != nil {
		t.Skipf("cannot start an ETW session here (%v): needs Administrator on Windows", err)
	}
	defer s.Stop()
	if err := etw.QueryTrace(etw.NewQueryTraceProperties(dead)); err != nil {
		t.Skipf("this system cannot query an ETW session by name (%v)", err)
	}
	if !slices.Contains(listSessions(), dead) {
		// Wine 8: QueryAllTracesW succeeds and lists no session.
		t.Skip("this system does not list its ETW sessions (QueryAllTracesW gives none; wine's is a stub)")
	}
	stopStaleSessions()
	if err := etw.QueryTrace(etw.NewQueryTraceProperties(dead)); err == nil {
		t.Errorf("the session %s of a process that no longer runs is still there", dead)
	}
}
