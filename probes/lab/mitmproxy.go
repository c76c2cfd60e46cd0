package lab

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// Mitmproxy is a real HTTPS-inspecting proxy (mitmdump) on a loopback
// port. Through it, TLS clients see leaf certificates issued by
// "CN=mitmproxy, O=mitmproxy" instead of the server's real issuer.
type Mitmproxy struct {
	Addr string
	URL  string
	// Dir is mitmproxy's confdir (its CA lives there); removed by Stop.
	Dir string
	d   *daemon
}

// MitmproxyOptions configure StartMitmproxy.
type MitmproxyOptions struct {
	// StartTimeout defaults to 40 s (the first start creates a CA).
	StartTimeout time.Duration
	// Port is the loopback port to listen on; 0 = a free one.
	Port int
	// ConfDir is mitmproxy's confdir (its CA and config.yaml), kept by
	// Stop; "" = a new temporary one that Stop removes.
	ConfDir string
}

// MitmproxyAvailable reports why mitmdump cannot run here, or nil.
func MitmproxyAvailable() error {
	if _, err := exec.LookPath("mitmdump"); err != nil {
		return unavailable("mitmdump not found on PATH (apt-get install mitmproxy)")
	}
	return nil
}

// StartMitmproxy starts mitmdump on a free loopback port with a fresh CA.
// It does not verify upstream certificates (--ssl-insecure), so it can
// inspect connections to self-signed lab servers. The caller must call Stop.
func StartMitmproxy(ctx context.Context, opt MitmproxyOptions) (*Mitmproxy, error) {
	if err := MitmproxyAvailable(); err != nil {
		return nil, err
	}
	wd, err := newWorkDir("mitmproxy", opt.ConfDir, "hvrdoctor-mitm-")
	if err != nil {
		return nil, err
	}
	dir := wd.path
	port := opt.Port
	if port == 0 {
		if port, err = freePort(); err != nil {
			wd.remove()
			return nil, fmt.Errorf("lab mitmproxy: %w", err)
		}
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	cmd := exec.Command("mitmdump", "--listen-host", "127.0.0.1", "--listen-port", strconv.Itoa(port),
		"--set", "confdir="+dir, "--ssl-insecure", "-q")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir)
	d, err := startDaemon(ctx, "mitmproxy", cmd, wd.ownedPath(), filepath.Join(dir, "mitmdump.out"), addr, orDefault(opt.StartTimeout, 40*time.Second))
	if err != nil {
		wd.remove()
		return nil, err
	}
	return &Mitmproxy{Addr: addr, URL: "http://" + addr, Dir: dir, d: d}, nil
}

// PID of the mitmdump process.
func (m *Mitmproxy) PID() int { return m.d.pid() }

// Stop ends mitmdump by its PID and removes its directory when
// StartMitmproxy created it.
func (m *Mitmproxy) Stop() error { return m.d.stop() }
