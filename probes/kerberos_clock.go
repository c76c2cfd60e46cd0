package probes

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// maxClockSkew is Kerberos' default tolerance (KRB_AP_ERR_SKEW beyond it).
const maxClockSkew = 5 * time.Minute

// ClockSkewProbe compares this host's clock with the KDC's (from its
// reply) or, without a KDC, with the Date header of the replica's HTTP
// listener. Kerberos refuses tickets beyond 5 minutes of skew.
type ClockSkewProbe struct{}

// ID implements Probe.
func (ClockSkewProbe) ID() string { return IDClockSkew }

// Title implements Probe.
func (ClockSkewProbe) Title() string { return "Clock skew" }

// About implements Probe.
func (ClockSkewProbe) About() string {
	return "Kerberos tolerates 5 minutes of clock difference by default; beyond that authentication fails (KRB_AP_ERR_SKEW). " +
		"Compares this host's clock with the KDC's, or with the replica's HTTP Date header."
}

// AppliesTo implements Probe.
func (ClockSkewProbe) AppliesTo(a AuthType) bool { return a == AuthKerberos }

// Run implements Probe.
func (ClockSkewProbe) Run(ctx context.Context, t *Target) Result {
	var skew time.Duration
	var ev []string
	if ks, err := kerberosFor(t); err == nil {
		user, _ := splitPrincipal(t.Principal, ks.realm)
		if user == "" {
			user = "hvrdoctor-probe"
		}
		rep, err := pingKDC(ctx, ks, user, t.timeout(), t.now)
		if err != nil {
			return Result{Status: StatusError, Summary: "Cannot read the KDC's clock: " + oneLine(err.Error()) + "."}
		}
		s, ok := rep.skew()
		if !ok && user != "hvrdoctor-probe" {
			// The account needs no pre-authentication, so the KDC answered
			// with a ticket (no clear-text time); an unknown name gets an
			// error that carries the KDC's clock.
			if rep, err = pingKDC(ctx, ks, "hvrdoctor-probe", t.timeout(), t.now); err == nil {
				s, ok = rep.skew()
			}
		}
		if !ok {
			return Result{Status: StatusSkip, Summary: "The KDC's answer carried no time."}
		}
		skew = s
		ev = append(ev, fmt.Sprintf("method: KDC %s reply time %s (%s)", rep.kdc, rep.kdcTime.UTC().Format(time.RFC3339), rep.errorName))
	} else {
		s, line, err := httpDateSkew(ctx, t)
		var pe *proxyClockError
		if errors.As(err, &pe) {
			return Result{
				Status:   StatusSkip,
				Summary:  "Clocks not compared: only proxy " + pe.proxy + " answered, and its Date header is its own clock, not the replica's. Give --kdc to compare with the KDC.",
				Evidence: []string{"replica Date header: " + oneLine(err.Error())},
			}
		}
		if err != nil {
			return Result{
				Status:   StatusSkip,
				Summary:  "No KDC given (--kdc) and the replica's listener sent no Date header to compare clocks with.",
				Evidence: []string{"replica Date header: " + oneLine(err.Error())},
			}
		}
		skew = s
		ev = append(ev, "method: "+line)
	}
	ev = append(ev, "this host: "+t.now().UTC().Format(time.RFC3339), fmt.Sprintf("difference: %s (KDC/replica minus this host)", skew.Round(time.Second)))
	abs := skew
	if abs < 0 {
		abs = -abs
	}
	if abs <= maxClockSkew {
		return Result{Status: StatusPass, Summary: fmt.Sprintf("Clocks agree within %s.", abs.Round(time.Second)), Evidence: ev}
	}
	return Result{
		Status:   StatusWarn,
		Summary:  fmt.Sprintf("Clocks differ by %s, more than Kerberos' 5 minutes.", abs.Round(time.Second)),
		Evidence: ev,
		Reason:   "Kerberos rejects requests from a clock more than 5 minutes off (KRB_AP_ERR_SKEW), which shows as an authentication failure.",
		Fixes: []Fix{
			{Text: "Check the time source of this host (domain members follow the domain hierarchy).", Command: "w32tm /query /status", Where: OnThisHost},
			{Text: "Resynchronise the clock.", Command: "w32tm /resync /force", Where: OnThisHost},
		},
	}
}

// httpDateSkew reads the Date header of the replica's HTTP listener,
// directly or through the proxy in the path. A reply the proxy generated
// itself carries the proxy's clock, not the replica's: it is refused with
// the reason.
func httpDateSkew(ctx context.Context, t *Target) (time.Duration, string, error) {
	if t.Replica == "" || t.Port == 0 {
		return 0, "", fmt.Errorf("no replica listener given")
	}
	viaProxy, _ := t.ProxyInPath()
	var c net.Conn
	var err error
	head := requestHead("GET", "/", t.Addr(), "Connection: close")
	if viaProxy {
		c, err = dialProxy(ctx, t)
		head = requestHead("GET", "http://"+t.Addr()+"/", t.Addr(), "Connection: close")
	} else {
		c, err = (&net.Dialer{Timeout: t.timeout()}).DialContext(ctx, "tcp", t.Addr())
	}
	if err != nil {
		return 0, "", fmt.Errorf("GET http://%s/: %w", t.Addr(), trimOpErr(err))
	}
	defer c.Close()
	sent := t.now()
	r, err := exchangeReply(ctx, t, c, head, exchangeOptions{})
	if err != nil {
		return 0, "", fmt.Errorf("GET http://%s/: %w", t.Addr(), err)
	}
	got := t.now()
	body := readEvidenceBody(r.resp)
	if viaProxy {
		if from := whoAnswered(r.resp, body, false); from.proxy {
			return 0, "", &proxyClockError{proxy: t.Proxy.Host, sign: from.sign}
		}
	}
	date := r.resp.Header.Get("Date")
	d, err := http.ParseTime(date)
	if err != nil {
		return 0, "", fmt.Errorf("http://%s/ answered without a Date header", t.Addr())
	}
	mid := sent.Add(got.Sub(sent) / 2)
	where := ""
	if viaProxy {
		where = " (forwarded by proxy " + t.Proxy.Host + ")"
	}
	// The header has 1-second resolution.
	return d.Sub(mid.Truncate(time.Second)), fmt.Sprintf("Date header of http://%s/%s: %s", t.Addr(), where, date), nil
}

// proxyClockError: the only answer came from the proxy, whose Date is the
// proxy's clock.
type proxyClockError struct{ proxy, sign string }

func (e *proxyClockError) Error() string {
	return fmt.Sprintf("the answer came from proxy %s itself (%s): its Date is the proxy's clock, not the replica's", e.proxy, e.sign)
}
