package probes

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"time"
)

// Size limits of what the probes read from the network. Every read also
// has a deadline (the target's timeout, or the step's when sooner).
const (
	// maxHeadBytes bounds the response heads of one exchange: the
	// interim (1xx) responses and the final status line and headers.
	// Real heads are a few hundred bytes; proxies' error heads stay far
	// below this.
	maxHeadBytes = 64 << 10
	// maxInterim bounds the number of 1xx responses read before the
	// final one.
	maxInterim = 8
	// maxEvidenceBody bounds a response body read for evidence.
	maxEvidenceBody = 512
	// maxCRLBody bounds a CRL download (large CAs publish CRLs of a few
	// MB).
	maxCRLBody = 8 << 20
)

// errHeadTooLarge is returned when a response head exceeds maxHeadBytes:
// endless header lines, or a status line that never ends.
var errHeadTooLarge = fmt.Errorf("the answer's head went past %d KiB without ending (endless header lines or a status line without end): not an HTTP server", maxHeadBytes>>10)

// errTooManyInterim is returned after maxInterim 1xx responses.
var errTooManyInterim = fmt.Errorf("more than %d interim (1xx) answers without a final one", maxInterim)

// capReader reads from r until left bytes have been read, then fails
// with err. The limit can be raised once the head has been read.
type capReader struct {
	r    io.Reader
	left int64
	err  error
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, c.err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// exhausted reports whether the cap was reached.
func (c *capReader) exhausted() bool { return c.left <= 0 }

// httpReply is the final answer of one exchange with the interim (1xx)
// answers that came before it.
type httpReply struct {
	resp    *http.Response
	interim []string // status lines of 1xx answers, in order
	br      *bufio.Reader
	cap     *capReader
}

// exchangeOptions tune exchange.
type exchangeOptions struct {
	// onContinue is called after each 100 Continue with the connection,
	// to send a (small) body; nil = send nothing and keep reading.
	onContinue func(w io.Writer) error
	// tunnel lifts the size limit after the head, for a CONNECT tunnel
	// whose bytes are TLS (bounded by crypto/tls itself).
	tunnel bool
}

// interimError is an error after one or more 1xx answers: the final
// answer never came.
type interimError struct {
	interim []string
	err     error
}

func (e *interimError) Error() string {
	return fmt.Sprintf("after %s: %v", e.interim[len(e.interim)-1], e.err)
}
func (e *interimError) Unwrap() error { return e.err }

// exchange writes a request head (no body) on c and reads the answer up
// to the final (non-1xx) response head, bounded by t's timeout, ctx and
// maxHeadBytes. The connection is left open; the response body can be
// read through the reply (up to maxEvidenceBody more bytes unless
// opt.tunnel).
func exchange(ctx context.Context, t *Target, c net.Conn, head string) (*http.Response, *bufio.Reader, error) {
	r, err := exchangeReply(ctx, t, c, head, exchangeOptions{})
	if err != nil {
		return nil, nil, err
	}
	return r.resp, r.br, nil
}

// exchangeReply is exchange with options and the interim answers.
func exchangeReply(ctx context.Context, t *Target, c net.Conn, head string, opt exchangeOptions) (httpReply, error) {
	deadline := time.Now().Add(t.timeout())
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	c.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := c.Write([]byte(head)); err != nil {
		return httpReply{}, ctxErr(ctx, err)
	}
	r, err := readReply(c, c, opt)
	if err != nil {
		return r, ctxErr(ctx, err)
	}
	return r, nil
}

// readReply reads answers from rd until a final one, within maxHeadBytes
// and maxInterim. w receives a body when opt.onContinue asks for one.
func readReply(rd io.Reader, w io.Writer, opt exchangeOptions) (httpReply, error) {
	cr := &capReader{r: rd, left: maxHeadBytes, err: errHeadTooLarge}
	br := bufio.NewReaderSize(cr, 4096)
	r := httpReply{br: br, cap: cr}
	for {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			if cr.exhausted() {
				err = errHeadTooLarge
			}
			if len(r.interim) > 0 {
				err = &interimError{interim: r.interim, err: err}
			}
			return r, err
		}
		if resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
			r.interim = append(r.interim, resp.Proto+" "+resp.Status)
			if len(r.interim) > maxInterim {
				return r, &interimError{interim: r.interim, err: errTooManyInterim}
			}
			if resp.StatusCode == http.StatusContinue && opt.onContinue != nil {
				if err := opt.onContinue(w); err != nil {
					return r, &interimError{interim: r.interim, err: err}
				}
			}
			continue
		}
		r.resp = resp
		// What follows the head: a bounded body for evidence, or a
		// tunnel's TLS bytes (bounded by crypto/tls).
		cr.left = maxEvidenceBody
		if opt.tunnel {
			cr.left = math.MaxInt64
		}
		return r, nil
	}
}

// readEvidenceBody reads at most maxEvidenceBody bytes of resp's body and
// closes it.
func readEvidenceBody(resp *http.Response) []byte {
	if resp == nil || resp.Body == nil {
		return nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxEvidenceBody))
	return b
}

// ctxErr prefers the context's error when it ended the read.
func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil && !errors.Is(err, errHeadTooLarge) {
		if ie, ok := err.(*interimError); ok {
			return &interimError{interim: ie.interim, err: ctx.Err()}
		}
		return ctx.Err()
	}
	return err
}
