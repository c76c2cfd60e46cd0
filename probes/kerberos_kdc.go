package probes

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/jcmturner/gokrb5/v8/iana/errorcode"
	"github.com/jcmturner/gokrb5/v8/iana/nametype"
	"github.com/jcmturner/gokrb5/v8/messages"
	"github.com/jcmturner/gokrb5/v8/types"
)

// kdcReply is what one AS exchange with a KDC showed.
type kdcReply struct {
	kdc string
	// kdcTime is the KDC's clock from its reply (KRB-ERROR stime), and
	// sent/received the local clock around the exchange.
	kdcTime        time.Time
	sent, received time.Time
	errorCode      int32
	errorName      string
}

// pingKDC sends an AS-REQ for cname (no pre-authentication) to the KDCs in
// turn over TCP and returns the first reply. A KDC answers it with a
// KRB-ERROR (pre-authentication required, or unknown client) that carries
// its clock: enough to know it is reachable and how far its clock is.
// It honours ctx and bounds each attempt by timeout.
func pingKDC(ctx context.Context, ks *kerberosSetup, cname string, timeout time.Duration, now func() time.Time) (kdcReply, error) {
	pn := types.PrincipalName{NameType: nametype.KRB_NT_PRINCIPAL, NameString: []string{cname}}
	req, err := messages.NewASReqForTGT(ks.realm, ks.cfg, pn)
	if err != nil {
		return kdcReply{}, fmt.Errorf("build AS-REQ: %w", err)
	}
	b, err := req.Marshal()
	if err != nil {
		return kdcReply{}, fmt.Errorf("build AS-REQ: %w", err)
	}
	var errs []error
	for _, kdc := range ks.kdcs {
		rep, err := exchangeKDC(ctx, kdc, b, timeout, now)
		if err == nil {
			return rep, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return kdcReply{}, errors.Join(errs...)
}

// exchangeKDC sends one length-prefixed Kerberos message over TCP (RFC
// 4120 7.2.2) and decodes the reply's clock.
func exchangeKDC(ctx context.Context, kdc string, msg []byte, timeout time.Duration, now func() time.Time) (kdcReply, error) {
	rep := kdcReply{kdc: kdc}
	d := net.Dialer{Timeout: timeout}
	c, err := d.DialContext(ctx, "tcp", kdc)
	if err != nil {
		return rep, fmt.Errorf("KDC %s: %s", kdc, describeConnErr(err, timeout))
	}
	defer c.Close()
	deadline := time.Now().Add(timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	c.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	frame := make([]byte, 4+len(msg))
	binary.BigEndian.PutUint32(frame, uint32(len(msg)))
	copy(frame[4:], msg)
	rep.sent = now()
	if _, err := c.Write(frame); err != nil {
		return rep, fmt.Errorf("KDC %s: send: %w", kdc, err)
	}
	var hdr [4]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		if ctx.Err() != nil {
			return rep, fmt.Errorf("KDC %s: %w", kdc, ctx.Err())
		}
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			return rep, fmt.Errorf("KDC %s: no answer within %s (is it a KDC? is port 88 filtered?)", kdc, timeout)
		}
		return rep, fmt.Errorf("KDC %s: read: %w", kdc, err)
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n == 0 || n > 1<<20 {
		return rep, fmt.Errorf("KDC %s: answered with a %d-byte frame: not a Kerberos KDC", kdc, n)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(c, body); err != nil {
		return rep, fmt.Errorf("KDC %s: read: %w", kdc, err)
	}
	rep.received = now()
	var ke messages.KRBError
	if err := ke.Unmarshal(body); err == nil {
		rep.kdcTime = ke.STime.Add(time.Duration(ke.Susec) * time.Microsecond)
		rep.errorCode = ke.ErrorCode
		rep.errorName = errorcode.Lookup(ke.ErrorCode)
		return rep, nil
	}
	// An AS-REP (a principal without pre-authentication) has no clear-text
	// time; it still proves the KDC answers.
	var asrep messages.ASRep
	if err := asrep.Unmarshal(body); err == nil {
		return rep, nil
	}
	return rep, fmt.Errorf("KDC %s: the answer is not a Kerberos message", kdc)
}

// skew returns how far the KDC's clock is from ours (positive: KDC ahead),
// taking the midpoint of the exchange as our time of its reply.
func (r kdcReply) skew() (time.Duration, bool) {
	if r.kdcTime.IsZero() {
		return 0, false
	}
	mid := r.sent.Add(r.received.Sub(r.sent) / 2)
	return r.kdcTime.Sub(mid), true
}
