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
}

// SquidOptions configure StartSquid.
type SquidOptions struct {
	// RequestBodyMaxSize sets request_body_max_size ("4 GB" behaves like
	// Forefront TMG's limit); "" leaves squid's default (no limit).
	RequestBodyMaxSize string
	// StartTimeout defaults to 20 s.
	StartTimeout time.Duration
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
	conf := []string{
		"http_port " + addr,
		"pid_filename " + filepath.Join(dir, "squid.pid"),
		"cache_log " + filepath.Join(dir, "cache.log"),
		"access_log stdio:" + filepath.Join(dir, "access.log"),
		"coredump_dir " + dir,
		"netdb_filename none",
		"cache deny all",
		"http_access allow localhost",
		"http_access deny all",
		"shutdown_lifetime 1 seconds",
		"dns_nameservers 127.0.0.1",
	}
	if opt.RequestBodyMaxSize != "" {
		conf = append(conf, "request_body_max_size "+opt.RequestBodyMaxSize)
	}
	confPath := filepath.Join(dir, "squid.conf")
	if err := os.WriteFile(confPath, []byte(strings.Join(conf, "\n")+"\n"), 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("lab squid: write config: %w", err)
	}
	cmd := exec.Command("squid", "-f", confPath, "-N")
	cmd.Dir = dir
	d, err := startDaemon(ctx, "squid", cmd, dir, filepath.Join(dir, "squid.out"), addr, orDefault(opt.StartTimeout, 20*time.Second))
	if err != nil {
		if cacheLog := filepath.Join(dir, "cache.log"); fileExists(cacheLog) {
			err = fmt.Errorf("%w; cache.log: %s", err, tail(cacheLog, 3))
		}
		os.RemoveAll(dir)
		return nil, err
	}
	return &Squid{Addr: addr, URL: "http://" + addr, Dir: dir, d: d}, nil
}

// PID of the squid process.
func (s *Squid) PID() int { return s.d.pid() }

// Stop ends squid by its PID and removes its directory.
func (s *Squid) Stop() error { return s.d.stop() }

// AccessLog returns squid's access log so far.
func (s *Squid) AccessLog() string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, "access.log"))
	return string(b)
}
