package probes

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// TCPProbe connects to the replica's listener port on every resolved
// address and tells refused, timed out and unreachable apart.
type TCPProbe struct {
	Resolver Resolver // nil = system resolver
}

// ID implements Probe.
func (TCPProbe) ID() string { return IDTCP }

// Title implements Probe.
func (TCPProbe) Title() string { return "TCP reach" }

// About implements Probe.
func (TCPProbe) About() string {
	return "Opens a TCP connection to the replica's listener port, as the primary does, and times it. " +
		"Refused means nothing listens or a firewall rejects; timed out means a firewall drops; unreachable means no route."
}

// AppliesTo implements Probe.
func (TCPProbe) AppliesTo(AuthType) bool { return true }

type dialOutcome struct {
	addr  string
	class ConnClass
	took  time.Duration
	err   error
}

// Run implements Probe.
func (p TCPProbe) Run(ctx context.Context, t *Target) Result {
	viaProxy, why := t.ProxyInPath()
	ips, err := resolveForDial(ctx, p.Resolver, t)
	if err != nil {
		if viaProxy {
			return Result{Status: StatusWarn, Summary: "Direct reach not tested: " + t.Replica + " does not resolve here; the proxy connects for the primary.",
				Evidence: []string{why, "lookup: " + err.Error()}}
		}
		return Result{Status: StatusError, Summary: fmt.Sprintf("Cannot test TCP reach: %s does not resolve.", t.Replica), Evidence: []string{err.Error()}}
	}
	outs := make([]dialOutcome, len(ips))
	var wg sync.WaitGroup
	for i, ip := range ips {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addr := net.JoinHostPort(ip, strconv.Itoa(t.Port))
			outs[i] = dialTimed(ctx, t, addr)
		}()
	}
	wg.Wait()

	var ev []string
	ok := 0
	counts := map[ConnClass]int{}
	for _, o := range outs {
		counts[o.class]++
		if o.class == ConnOK {
			ok++
			ev = append(ev, fmt.Sprintf("%s connected in %s", o.addr, fmtDur(o.took)))
		} else {
			ev = append(ev, fmt.Sprintf("%s %s after %s: %s", o.addr, o.class, fmtDur(o.took), o.err))
		}
	}
	if ok > 0 {
		res := Result{Status: StatusPass, Evidence: ev,
			Summary: fmt.Sprintf("Port %d accepts connections (%s in %s).", t.Port, outs[firstOK(outs)].addr, fmtDur(outs[firstOK(outs)].took))}
		if ok < len(outs) {
			res.Status = StatusWarn
			res.Summary = fmt.Sprintf("Port %d accepts connections on %d of %d addresses.", t.Port, ok, len(outs))
			res.Reason = "The primary may pick an address that fails; fix the firewall or DNS records so every address of the replica answers."
			res.Fixes = fixesListener(t)
		}
		return res
	}
	// Every address failed: the dominant class decides the explanation.
	class := ConnOther
	for _, c := range []ConnClass{ConnRefused, ConnTimedOut, ConnUnreachable, ConnReset, ConnOther} {
		if counts[c] > counts[class] {
			class = c
		}
	}
	res := Result{Status: StatusFail, Evidence: ev, Codes: []string{"0x00002EFD"}}
	switch class {
	case ConnRefused:
		res.Summary = fmt.Sprintf("Connection to %s refused: nothing listens on port %d, or a firewall rejects it.", t.Addr(), t.Port)
		res.Reason = "The replica answered with a reset. Either the Hyper-V Replica listener is not enabled on this port or the firewall rule for it is off. " +
			"The primary reports 0x00002EFD (ERROR_WINHTTP_CANNOT_CONNECT)."
		res.Fixes = fixesListener(t)
	case ConnTimedOut:
		res.Summary = fmt.Sprintf("Connection to %s timed out after %s: packets are dropped on the way.", t.Addr(), t.timeout())
		res.Reason = "No answer at all usually means a firewall that drops (the replica's own, or one between the sites), or a host that is down. " +
			"The primary reports a timeout (0x00002EE2) or cannot connect (0x00002EFD)."
		res.Codes = []string{"0x00002EE2", "0x00002EFD"}
		res.Fixes = append(fixesListener(t), Fix{Text: fmt.Sprintf("Ask the network team to allow TCP %d from the primary to %s on firewalls between the sites.", t.Port, t.Replica), Where: OnThisHost})
	case ConnUnreachable:
		res.Summary = fmt.Sprintf("%s is unreachable: no route from this host.", t.Replica)
		res.Reason = "The network stack has no route to the replica's address (or a router said so). Check routing, VPN or the address DNS returns."
		res.Fixes = []Fix{{Text: "Check the route to the replica.", Command: "Test-NetConnection " + t.replicaArg() + " -Port " + strconv.Itoa(t.Port) + " -TraceRoute", Where: OnPrimary}}
	default:
		res.Summary = fmt.Sprintf("Connection to %s failed: %s.", t.Addr(), outs[0].err)
		res.Fixes = fixesListener(t)
	}
	if viaProxy {
		res.Status = StatusWarn
		res.Summary = "Direct: " + res.Summary + " The primary goes through the proxy, so this matters only with -BypassProxyServer."
		res.Evidence = append([]string{why}, res.Evidence...)
	}
	return res
}

func firstOK(outs []dialOutcome) int {
	for i, o := range outs {
		if o.class == ConnOK {
			return i
		}
	}
	return 0
}

// dialTimed opens and closes one TCP connection within t's timeout.
func dialTimed(ctx context.Context, t *Target, addr string) dialOutcome {
	d := net.Dialer{Timeout: t.timeout()}
	start := t.now()
	c, err := d.DialContext(ctx, "tcp", addr)
	took := t.now().Sub(start)
	if err == nil {
		c.Close()
	}
	return dialOutcome{addr: addr, class: classifyConnErr(err), took: took, err: trimOpErr(err)}
}

// trimOpErr drops the "dial tcp 1.2.3.4:80: " prefix the evidence already
// shows.
func trimOpErr(err error) error {
	if err == nil {
		return nil
	}
	if oe, ok := err.(*net.OpError); ok && oe.Err != nil {
		msg := oe.Err.Error()
		msg = strings.TrimPrefix(msg, "connect: ")
		return trimmedErr{msg: msg, err: oe.Err}
	}
	return err
}

// trimmedErr is an error with a shorter message that keeps the cause, so
// classifyConnErr still tells refused from timed out after trimOpErr.
type trimmedErr struct {
	msg string
	err error
}

func (e trimmedErr) Error() string { return e.msg }
func (e trimmedErr) Unwrap() error { return e.err }

// resolveForDial returns the replica's addresses (the literal for an IP).
func resolveForDial(ctx context.Context, r Resolver, t *Target) ([]string, error) {
	if ip := net.ParseIP(t.Replica); ip != nil {
		return []string{ip.String()}, nil
	}
	if r == nil {
		r = net.DefaultResolver
	}
	ctx, cancel := context.WithTimeout(ctx, t.timeout())
	defer cancel()
	addrs, err := r.LookupIPAddr(ctx, t.Replica)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", t.Replica, err)
	}
	out := make([]string, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, a.IP.String())
	}
	return out, nil
}
