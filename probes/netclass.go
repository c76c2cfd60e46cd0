package probes

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"
)

// ConnClass says how a TCP connection attempt ended. The distinction
// matters: refused means a host answered with a reset (nothing listens or a
// firewall rejects), timed out means SYNs were dropped on the way (a
// firewall that drops), unreachable means no route.
type ConnClass string

// Connection outcomes.
const (
	ConnOK          ConnClass = "connected"
	ConnRefused     ConnClass = "refused"
	ConnTimedOut    ConnClass = "timed out"
	ConnUnreachable ConnClass = "unreachable"
	ConnReset       ConnClass = "reset"
	ConnOther       ConnClass = "failed"
)

// classifyConnErr maps a dial or read error to a ConnClass.
func classifyConnErr(err error) ConnClass {
	switch {
	case err == nil:
		return ConnOK
	case isRefused(err):
		return ConnRefused
	case isUnreachable(err):
		return ConnUnreachable
	case isReset(err), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return ConnReset
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded), isWinErrno(err, wsaeTimedOut):
		return ConnTimedOut
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return ConnTimedOut
	}
	return ConnOther
}

func isRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || isWinErrno(err, wsaeConnRefused)
}

func isUnreachable(err error) bool {
	return errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) ||
		isWinErrno(err, wsaeHostUnreach) || isWinErrno(err, wsaeNetUnreach)
}

func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNABORTED) || isWinErrno(err, wsaeConnReset) || isWinErrno(err, wsaeConnAborted)
}

// Winsock error numbers; syscall's ECONNREFUSED and friends do not match
// them on Windows.
const (
	wsaeConnAborted = 10053
	wsaeConnReset   = 10054
	wsaeTimedOut    = 10060
	wsaeConnRefused = 10061
	wsaeHostUnreach = 10065
	wsaeNetUnreach  = 10051
)

func isWinErrno(err error, n uintptr) bool {
	var en syscall.Errno
	return errors.As(err, &en) && uintptr(en) == n
}

// fmtDur formats a duration for evidence: 0.4 ms, 12 ms, 1.25 s.
func fmtDur(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// describeConnErr returns a short human cause for a connection error.
func describeConnErr(err error, timeout time.Duration) string {
	switch classifyConnErr(err) {
	case ConnRefused:
		return "connection refused (the host answered with a reset: nothing listens on the port, or a firewall rejects)"
	case ConnTimedOut:
		return fmt.Sprintf("timed out after %s (no answer: a firewall drops the packets, or the host is down)", timeout)
	case ConnUnreachable:
		return "unreachable (no route to the host or network)"
	case ConnReset:
		return "connection reset or closed by the peer"
	}
	return err.Error()
}
