package lab

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// Origin is a stand-in for a replica server's listener on loopback: it
// answers every request at once, as soon as the request head arrives,
// without waiting for (or reading) a request body. That is how the large
// upload probe tells a proxy that forwards a 500 GB POST from one that
// refuses it. The default answer, 401 with "WWW-Authenticate: Negotiate",
// mimics a listener that wants Kerberos; the real listener's exact answer
// is not documented.
type Origin struct {
	// Addr is 127.0.0.1:port; URL is http:// or https:// plus Addr.
	Addr string
	URL  string
	// Leaf is the certificate a TLS origin presents (nil for HTTP), CA the
	// root that issued it.
	Leaf *Leaf
	CA   *CA

	srv      *http.Server
	ln       net.Listener
	requests atomic.Int64
}

// OriginOptions configure an origin. Zero values get defaults.
type OriginOptions struct {
	// Status is the answer's status code (default 401).
	Status int
	// Addr is the loopback address to listen on; "" = a free port.
	Addr string
	// Leaf is the TLS certificate of StartTLSOrigin; nil = a new lab CA
	// and a leaf for localhost with both Replica EKUs.
	Leaf *Leaf
	CA   *CA
	// ClientAuth for StartTLSOrigin (default tls.RequestClientCert: asks
	// for a client certificate like Replica's mutual authentication, but
	// lets clients without one finish the handshake).
	ClientAuth tls.ClientAuthType
}

// StartHTTPOrigin starts a plain HTTP origin on a free loopback port.
func StartHTTPOrigin(opt OriginOptions) (*Origin, error) {
	return startOrigin(opt, nil)
}

// StartTLSOrigin starts an HTTPS origin on a free loopback port.
func StartTLSOrigin(opt OriginOptions) (*Origin, error) {
	leaf, ca := opt.Leaf, opt.CA
	if leaf == nil {
		var err error
		ca, err = NewCA(CAOptions{Name: "hvrdoctor Lab Replica Root"})
		if err != nil {
			return nil, fmt.Errorf("lab tls origin: %w", err)
		}
		leaf, err = ca.Issue(LeafSpec{CommonName: "localhost", DNSNames: []string{"localhost"}, ServerAuth: true, ClientAuth: true})
		if err != nil {
			return nil, fmt.Errorf("lab tls origin: %w", err)
		}
	}
	auth := opt.ClientAuth
	if auth == tls.NoClientCert {
		auth = tls.RequestClientCert
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{leaf.TLSCertificate()}, ClientAuth: auth}
	o, err := startOrigin(opt, cfg)
	if err != nil {
		return nil, err
	}
	o.Leaf, o.CA = leaf, ca
	return o, nil
}

func startOrigin(opt OriginOptions, cfg *tls.Config) (*Origin, error) {
	status := opt.Status
	if status == 0 {
		status = http.StatusUnauthorized
	}
	addr := opt.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("lab origin: listen: %w", err)
	}
	o := &Origin{Addr: ln.Addr().String(), ln: ln}
	scheme := "http"
	if cfg != nil {
		ln = tls.NewListener(ln, cfg)
		scheme = "https"
	}
	o.URL = scheme + "://" + o.Addr
	o.srv = &http.Server{
		ReadHeaderTimeout: 10 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			o.requests.Add(1)
			// Answer before the body: full duplex stops net/http from
			// reading (waiting for) a small unread body first.
			http.NewResponseController(w).EnableFullDuplex()
			w.Header().Set("Server", "hvrdoctor-lab-origin")
			w.Header().Set("Connection", "close")
			if status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", "Negotiate")
			}
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(status)
			fmt.Fprintf(w, "hvrdoctor lab origin: %s %s\n", r.Method, r.URL.Path)
			http.NewResponseController(w).Flush()
		}),
	}
	o.srv.ErrorLog = log.New(io.Discard, "", 0) // handshakes cut short by probes are expected
	go o.srv.Serve(ln)
	return o, nil
}

// Requests is how many requests reached the origin.
func (o *Origin) Requests() int64 { return o.requests.Load() }

// Stop closes the listener and every connection.
func (o *Origin) Stop() error {
	err := o.srv.Close()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
