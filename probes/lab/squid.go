package lab

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Squid is a real squid forward proxy on a loopback port, with its
// configuration, logs and PID file in its own temporary directory.
type Squid struct {
	// Addr is host:port of the proxy; URL is http://Addr.
	Addr string
	URL  string
	// Dir holds squid.conf, cache.log and access.log; removed by Stop.
	Dir string
	d   *daemon
	dns *NXDomainDNS
}

// SquidOptions configure StartSquid.
type SquidOptions struct {
	// RequestBodyMaxSize sets request_body_max_size ("4 GB" behaves like
	// Forefront TMG's limit); "" leaves squid's default (no limit).
	RequestBodyMaxSize string
	// StartTimeout defaults to 20 s.
	StartTimeout time.Duration
	// ProxyAuth makes squid demand Basic proxy authentication from every
	// client (basic_ncsa_auth with an htpasswd file of one user,
	// SquidUser): squid answers 407 without credentials.
	ProxyAuth bool
	// DenyDst lists destination addresses (squid "dst" ACL values) that
	// squid's access rules deny: it answers 403 with ERR_ACCESS_DENIED.
	DenyDst []string
	// NXDomainDNS gives squid a name server that answers every name "no
	// such name", so that squid answers with ERR_DNS_FAIL for names not in
	// /etc/hosts (the default, 127.0.0.1, has no name server: squid
	// answers ERR_READ_ERROR).
	NXDomainDNS bool
}

// SquidUser and SquidPassword are the one account of ProxyAuth's
// htpasswd file (a lab value, not a secret).
const (
	SquidUser     = "hvrlab"
	SquidPassword = "lab-password"
	// squidHtpasswd is SquidPassword hashed with openssl passwd -apr1
	// -salt hvrlab00.
	squidHtpasswd = SquidUser + ":$apr1$hvrlab00$jhbPlG60fpn/ovSy/IVJl0\n"
)

// ncsaAuthHelper finds squid's basic_ncsa_auth helper.
func ncsaAuthHelper() (string, error) {
	for _, p := range []string{"/usr/lib/squid/basic_ncsa_auth", "/usr/lib64/squid/basic_ncsa_auth", "/usr/libexec/squid/basic_ncsa_auth"} {
		if fileExists(p) {
			return p, nil
		}
	}
	return "", unavailable("squid's basic_ncsa_auth helper not found (package squid)")
}

// SquidAvailable reports why squid cannot run here, or nil.
func SquidAvailable() error {
	if _, err := exec.LookPath("squid"); err != nil {
		return unavailable("squid not found on PATH (apt-get install squid)")
	}
	if os.Geteuid() != 0 {
		return unavailable("squid needs root here (it switches to the proxy user)")
	}
	if _, err := user.Lookup("proxy"); err != nil {
		return unavailable("user 'proxy' missing (the squid package creates it)")
	}
	return nil
}

// StartSquid starts squid in the foreground (-N) on a free loopback port,
// allowing requests from localhost to any port (CONNECT included), caching
// nothing. The caller must call Stop.
func StartSquid(ctx context.Context, opt SquidOptions) (*Squid, error) {
	if err := SquidAvailable(); err != nil {
		return nil, err
	}
	u, _ := user.Lookup("proxy")
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	dir, err := os.MkdirTemp("", "hvrdoctor-squid-")
	if err != nil {
		return nil, fmt.Errorf("lab squid: temp dir: %w", err)
	}
	if err := os.Chown(dir, uid, gid); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("lab squid: chown %s to proxy: %w", dir, err)
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("lab squid: %w", err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	dnsIP := "127.0.0.1"
	var dns *NXDomainDNS
	if opt.NXDomainDNS {
		if dns, err = StartNXDomainDNS(); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		dnsIP = dns.IP
	}
	cleanup := func() {
		os.RemoveAll(dir)
		if dns != nil {
			dns.Stop()
		}
	}
	conf := []string{
		"http_port " + addr,
		"pid_filename " + filepath.Join(dir, "squid.pid"),
		"cache_log " + filepath.Join(dir, "cache.log"),
		"access_log stdio:" + filepath.Join(dir, "access.log"),
		"coredump_dir " + dir,
		"netdb_filename none",
		"cache deny all",
	}
	if len(opt.DenyDst) > 0 {
		conf = append(conf, "acl hvr_denied dst "+strings.Join(opt.DenyDst, " "), "http_access deny hvr_denied")
	}
	if opt.ProxyAuth {
		helper, err := ncsaAuthHelper()
		if err != nil {
			cleanup()
			return nil, err
		}
		pw := filepath.Join(dir, "htpasswd")
		if err := os.WriteFile(pw, []byte(squidHtpasswd), 0o644); err != nil {
			cleanup()
			return nil, fmt.Errorf("lab squid: write htpasswd: %w", err)
		}
		conf = append(conf, "auth_param basic program "+helper+" "+pw, "auth_param basic realm hvrdoctor-lab",
			"acl hvr_authed proxy_auth REQUIRED", "http_access deny !hvr_authed")
	}
	conf = append(conf,
		"http_access allow localhost",
		"http_access deny all",
		"shutdown_lifetime 1 seconds",
		"dns_nameservers "+dnsIP,
		"dns_timeout 2 seconds",
		"dns_retransmit_interval 1 seconds",
	)
	if opt.RequestBodyMaxSize != "" {
		conf = append(conf, "request_body_max_size "+opt.RequestBodyMaxSize)
	}
	confPath := filepath.Join(dir, "squid.conf")
	if err := os.WriteFile(confPath, []byte(strings.Join(conf, "\n")+"\n"), 0o644); err != nil {
		cleanup()
		return nil, fmt.Errorf("lab squid: write config: %w", err)
	}
	cmd := exec.Command("squid", "-f", confPath, "-N")
	cmd.Dir = dir
	d, err := startDaemon(ctx, "squid", cmd, dir, filepath.Join(dir, "squid.out"), addr, orDefault(opt.StartTimeout, 20*time.Second))
	if err != nil {
		if cacheLog := filepath.Join(dir, "cache.log"); fileExists(cacheLog) {
			err = fmt.Errorf("%w; cache.log: %s", err, tail(cacheLog, 3))
		}
		cleanup()
		return nil, err
	}
	return &Squid{Addr: addr, URL: "http://" + addr, Dir: dir, d: d, dns: dns}, nil
}

// PID of the squid process.
func (s *Squid) PID() int { return s.d.pid() }

// Stop ends squid by its PID and removes its directory.
func (s *Squid) Stop() error {
	if s.dns != nil {
		s.dns.Stop()
	}
	return s.d.stop()
}

// DNSQueries is how many queries reached the NXDomainDNS stub (0
// without one).
func (s *Squid) DNSQueries() int64 {
	if s.dns == nil {
		return 0
	}
	return s.dns.Queries()
}

// AccessLog returns squid's access log so far.
func (s *Squid) AccessLog() string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, "access.log"))
	return string(b)
}
