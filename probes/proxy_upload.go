package probes

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Content-Length values of the large-upload probe. The large one mirrors
// the ~500 GB POST Hyper-V Replica opens for Kerberos (HTTP) transfers; the
// control differs only in size. Only headers are ever sent.
const (
	LargeUploadLength   int64 = 500 << 30 // 500 GiB
	ControlUploadLength int64 = 1024
)

// LargeUploadProbe sends, through the proxy, a POST with a ~500 GB
// Content-Length and one with a small Content-Length, headers only, and
// compares the answers. Proxies such as Forefront TMG refuse uploads over
// 4 GB, which Replica reports as a timeout.
type LargeUploadProbe struct{}

// ID implements Probe.
func (LargeUploadProbe) ID() string { return IDProxyLargeUpload }

// Title implements Probe.
func (LargeUploadProbe) Title() string { return "Proxy large upload" }

// About implements Probe.
func (LargeUploadProbe) About() string {
	return "Sends through the proxy a POST announcing a ~500 GB body, as Replica does, next to one announcing 1 KB; headers only, no body is ever sent. " +
		"Proxies that refuse uploads over 4 GB answer the large one with 413 or 400, reset it, or never answer, and the primary reports a timeout."
}

// AppliesTo implements Probe: the proxy sees the Content-Length only on
// Kerberos (plain HTTP) traffic; certificate traffic is a CONNECT tunnel.
func (LargeUploadProbe) AppliesTo(a AuthType) bool { return a == AuthKerberos }

// squidNoBodyLimit is the squid.conf line that lifts the upload limit.
const squidNoBodyLimit = "request_body_max_size 0 KB"

// uploadOutcome is how one headers-only POST ended.
type uploadOutcome struct {
	length  int64
	status  int // final status; 0 when no final answer
	line    string
	interim []string // 1xx answers before the final one (or before silence)
	from    replyFrom
	class   ConnClass
	err     error
	took    time.Duration
}

func (o uploadOutcome) String() string {
	what := fmt.Sprintf("POST Content-Length %d", o.length)
	if o.length >= 1<<30 {
		what += fmt.Sprintf(" (%d GiB, headers only)", o.length>>30)
	} else {
		what += " (headers only)"
	}
	first := ""
	if len(o.interim) > 0 {
		first = strings.Join(o.interim, ", then ") + ", then "
	}
	if o.status != 0 {
		s := fmt.Sprintf("%s: %s%s in %s", what, first, o.line, fmtDur(o.took))
		if o.from.proxy {
			s += "; answered by the proxy itself (" + o.from.sign + ")"
		}
		return s
	}
	if first != "" {
		return fmt.Sprintf("%s: %sno final answer: %s after %s (%v)", what, first, o.class, fmtDur(o.took), o.err)
	}
	return fmt.Sprintf("%s: %s after %s (%v)", what, o.class, fmtDur(o.took), o.err)
}

// postHeadersOnly sends one POST head through the proxy and reads the
// answer up to the final status, past any 1xx. The large body is never
// sent; the small control body (ControlUploadLength bytes) is sent only
// when the proxy asks for it with 100 Continue, so that a proxy that
// waits for the body before forwarding still gives the control a final
// answer. The connection is closed afterwards.
func postHeadersOnly(ctx context.Context, t *Target, length int64) uploadOutcome {
	o := uploadOutcome{length: length}
	start := t.now()
	c, err := dialProxy(ctx, t)
	if err != nil {
		o.class, o.err = classifyConnErr(err), err
		o.took = t.now().Sub(start)
		return o
	}
	defer c.Close()
	head := requestHead("POST", "http://"+t.Addr()+"/", t.Addr(),
		"Content-Type: application/octet-stream",
		fmt.Sprintf("Content-Length: %d", length))
	opt := exchangeOptions{}
	if length <= ControlUploadLength {
		sent := false
		opt.onContinue = func(w io.Writer) error {
			if sent {
				return nil
			}
			sent = true
			_, err := w.Write(make([]byte, length))
			return err
		}
	}
	r, err := exchangeReply(ctx, t, c, head, opt)
	o.took = t.now().Sub(start)
	o.interim = r.interim
	if err != nil {
		o.class, o.err = classifyConnErr(err), err
		return o
	}
	body := readEvidenceBody(r.resp)
	o.status, o.line, o.class = r.resp.StatusCode, statusLine(r.resp), ConnOK
	o.from = whoAnswered(r.resp, body, false).nameCheck(ctx, t)
	return o
}

// Run implements Probe. Both POSTs run at the same time, so the step
// takes one timeout at most.
func (p LargeUploadProbe) Run(ctx context.Context, t *Target) Result {
	inPath, why := t.ProxyInPath()
	if !inPath {
		return Result{Status: StatusSkip, Summary: "No proxy in the path: uploads go straight to the replica.", Evidence: []string{why}}
	}
	var control, large uploadOutcome
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); control = postHeadersOnly(ctx, t, ControlUploadLength) }()
	go func() { defer wg.Done(); large = postHeadersOnly(ctx, t, LargeUploadLength) }()
	wg.Wait()
	return judgeUpload(t, control, large)
}

// judgeUpload compares the two answers. Separate from Run so every proxy
// behaviour (413, TMG's 400, a reset, silence) is unit-tested.
func judgeUpload(t *Target, control, large uploadOutcome) Result {
	ev := []string{"control " + control.String(), "large   " + large.String()}
	if control.status != 0 && control.from.proxy && control.from.fault != faultTooBig {
		// The proxy answered even the small POST itself: that is the
		// finding (authentication, a deny rule, a name it cannot
		// resolve), and the size test cannot say more.
		res := proxyFinding(t, fmt.Sprintf("POST http://%s/ (Content-Length %d)", t.Addr(), ControlUploadLength), control.from, ev)
		res.Summary += " The size limit could not be tested."
		return res
	}
	if control.status == 0 {
		return Result{Status: StatusError, Evidence: ev,
			Summary: fmt.Sprintf("Inconclusive: the proxy did not answer even the small POST (%s).", control.class),
			Reason:  "Without an answer to the control request the probe cannot tell a size limit from a proxy that cannot reach the replica; see the listener and proxy steps."}
	}
	refused := ""
	switch {
	case large.status != 0 && large.status == control.status:
	case large.status != 0 && large.status < 400:
	case large.status == http.StatusRequestEntityTooLarge:
		refused = fmt.Sprintf("answered %d Payload Too Large", large.status)
	case large.status == http.StatusBadRequest:
		refused = "answered 400 Bad Request (Forefront TMG's answer to uploads over 4 GB)"
	case large.status >= 400:
		refused = fmt.Sprintf("answered %s", large.line)
	case len(large.interim) > 0 && large.class == ConnTimedOut:
		refused = fmt.Sprintf("answered %s, then nothing within %s (it waits for the 500 GiB body before forwarding, which it would have to hold or scan whole)",
			large.interim[len(large.interim)-1], t.timeout())
	case large.class == ConnTimedOut:
		refused = fmt.Sprintf("never answered (no response within %s)", t.timeout())
	default:
		refused = fmt.Sprintf("dropped the connection (%s)", large.class)
	}
	if refused == "" {
		return Result{Status: StatusPass, Evidence: ev,
			Summary: fmt.Sprintf("The proxy forwards a POST announcing %d GiB like a small one (%d).", LargeUploadLength>>30, large.status)}
	}
	return Result{
		Status:   StatusFail,
		Evidence: ev,
		Summary:  fmt.Sprintf("The proxy refuses large uploads: a ~%d GB POST %s while the 1 KB one got %d.", LargeUploadLength>>30, refused, control.status),
		Reason: "With Kerberos, Hyper-V Replica sends its data as an HTTP POST whose Content-Length is about 500 GB. Proxies such as Forefront TMG " +
			"terminate uploads over 4 GB, so replication never reaches the replica; the primary reports that it \"cannot connect to the specified Replica server " +
			"due to connection timed out\" (usually 0x00002EE2) and asks you to verify the proxy settings.",
		Codes: []string{"0x00002EE2"},
		Fixes: append(append(fixesBypassProxy(t),
			Fix{Text: "Or use certificate-based authentication (HTTPS through a CONNECT tunnel), the second workaround.",
				Command: fmt.Sprintf("Enable-VMReplication -VMName %s -ReplicaServerName %s -ReplicaServerPort 443 -AuthenticationType Certificate -CertificateThumbprint %s", t.vm(), t.replicaArg(), t.thumbprint()),
				Where:   OnPrimary},
			Fix{Text: "Or let the proxy pass uploads over 4 GB. Squid: replace the request_body_max_size line in squid.conf with this one (0 = no limit; " +
				"the setting applies to every destination), then run squid -k reconfigure. Forefront TMG has no such setting.",
				Command: squidNoBodyLimit, Where: OnProxy},
		), fixTestConnection(t, true)),
	}
}
