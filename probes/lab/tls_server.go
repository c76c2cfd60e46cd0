package lab

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// MutualTLSServer is an HTTPS listener on loopback that, like the Hyper-V
// Replica certificate listener, requires a client certificate and verifies
// it against its trusted roots. It answers every request that gets through
// the handshake with 200 and a short text.
type MutualTLSServer struct {
	// Addr is 127.0.0.1:PORT.
	Addr string

	ln  net.Listener
	srv *http.Server

	mu       sync.Mutex
	accepted []string // subjects of client certificates that got through
	rejected []string // handshake errors seen by the server
}

// StartMutualTLS serves HTTPS on a free loopback port with server as its
// certificate, trusting client certificates issued by clientRoots only.
func StartMutualTLS(server *Leaf, clientRoots *x509.CertPool) (*MutualTLSServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("lab tls: listen: %w", err)
	}
	s := &MutualTLSServer{Addr: ln.Addr().String(), ln: ln}
	cfg := &tls.Config{
		Certificates: []tls.Certificate{server.TLSCertificate()},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    clientRoots,
		MinVersion:   tls.VersionTLS12,
	}
	s.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
				s.mu.Lock()
				s.accepted = append(s.accepted, r.TLS.PeerCertificates[0].Subject.String())
				s.mu.Unlock()
			}
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "hvrdoctor lab replica listener: client certificate accepted\n")
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	s.srv.ErrorLog = newSinkLogger(func(line string) {
		s.mu.Lock()
		s.rejected = append(s.rejected, line)
		s.mu.Unlock()
	})
	go s.srv.Serve(tls.NewListener(ln, cfg))
	return s, nil
}

// Accepted returns the subjects of client certificates the server accepted.
func (s *MutualTLSServer) Accepted() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.accepted...)
}

// Rejected returns the server's log lines about failed handshakes.
func (s *MutualTLSServer) Rejected() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.rejected...)
}

// Close stops the listener.
func (s *MutualTLSServer) Close() error { return s.srv.Close() }

// HTTPFileServer serves fixed bodies on loopback by path, for CRL
// distribution points and OCSP responders of lab certificates.
type HTTPFileServer struct {
	// URL is http://127.0.0.1:PORT (no trailing slash).
	URL string
	srv *http.Server
	ln  net.Listener

	mu   sync.Mutex
	hits map[string]int
}

// StartHTTPFileServer serves files (path -> body) on a free loopback port;
// other paths get 404.
func StartHTTPFileServer(files map[string][]byte) (*HTTPFileServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("lab http: listen: %w", err)
	}
	s := &HTTPFileServer{URL: "http://" + ln.Addr().String(), ln: ln, hits: map[string]int{}}
	s.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.mu.Lock()
			s.hits[r.URL.Path]++
			s.mu.Unlock()
			body, ok := files[r.URL.Path]
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/pkix-crl")
			w.Write(body)
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go s.srv.Serve(ln)
	return s, nil
}

// Hits returns how many requests path received.
func (s *HTTPFileServer) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// Close stops the server.
func (s *HTTPFileServer) Close() error { return s.srv.Close() }

// ClosedPort returns a loopback address on which nothing listens (a port
// that was free a moment ago), for "endpoint unreachable" cases.
func ClosedPort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("lab: closed port: %w", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return "", err
	}
	return addr, nil
}
