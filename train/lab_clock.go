package train

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

func init() {
	labKinds["replica-clock"] = labKind{
		auth:        "kerberos",
		about:       "a Kerberos (HTTP) replica listener whose clock runs ahead by the offset in its settings file",
		vars:        append([]string{"server_conf", "replica_port"}, commonVars...),
		verifySteps: []string{probes.IDClockSkew},
		strict:      true,
		available:   func() error { return nil },
		start:       startClockLab,
	}
}

// clockBrokenConf is the lab replica's settings: its clock is 12 minutes
// ahead, over Kerberos' default 5-minute tolerance.
const clockBrokenConf = "# The lab replica server's settings. ClockOffset is how far its clock is off\n" +
	"# (a Go duration: 12m, -7m, 0). The lab supervisor reads this file when it gets SIGHUP.\nClockOffset=12m\n"

// clockLab is an HTTP listener that answers like a Kerberos replica
// listener (401, Negotiate) and dates its answers by its own clock: the
// system clock plus the configured offset. Nothing else is skewed; the
// wizard reads the replica's clock from that Date header, as it does
// against a real replica when no KDC is given.
type clockLab struct {
	conf   string
	srv    *http.Server
	addr   string
	mu     sync.Mutex
	offset time.Duration
}

func startClockLab(ctx context.Context, dir string) (running, error) {
	l := &clockLab{conf: filepath.Join(dir, "replica-server.conf")}
	if err := os.WriteFile(l.conf, []byte(clockBrokenConf), 0o644); err != nil {
		return nil, fmt.Errorf("lab clock: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("lab clock: listen: %w", err)
	}
	l.addr = ln.Addr().String()
	l.srv = &http.Server{ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0),
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			l.mu.Lock()
			off := l.offset
			l.mu.Unlock()
			w.Header().Set("Date", time.Now().Add(off).UTC().Format(http.TimeFormat))
			w.Header().Set("Server", "hvrdoctor-lab-replica")
			w.Header().Set("WWW-Authenticate", "Negotiate")
			w.Header().Set("Connection", "close")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, "hvrdoctor lab replica listener\n")
		})}
	go l.srv.Serve(ln)
	if err := l.reload(ctx); err != nil {
		l.stop()
		return nil, err
	}
	return l, nil
}

func (l *clockLab) info() labInfo {
	return labInfo{
		targets: Targets{Replica: "127.0.0.1", Port: portOf(l.addr), Auth: "kerberos"},
		vars:    map[string]string{"server_conf": l.conf, "replica_port": strconv.Itoa(portOf(l.addr))},
	}
}

func (l *clockLab) breakLab(ctx context.Context) error {
	if err := os.WriteFile(l.conf, []byte(clockBrokenConf), 0o644); err != nil {
		return fmt.Errorf("lab clock: %w", err)
	}
	return l.reload(ctx)
}

// reload reads ClockOffset from the settings file.
func (l *clockLab) reload(context.Context) error {
	data, err := os.ReadFile(l.conf)
	if err != nil {
		return fmt.Errorf("lab clock: %w", err)
	}
	off := time.Duration(0)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "ClockOffset") {
			continue
		}
		v = strings.TrimSpace(v)
		if v == "0" {
			off = 0
			continue
		}
		if off, err = time.ParseDuration(v); err != nil {
			return fmt.Errorf("lab clock: %s: ClockOffset %q is not a duration such as 12m or 0", l.conf, v)
		}
	}
	l.mu.Lock()
	l.offset = off
	l.mu.Unlock()
	return nil
}

func (l *clockLab) stop() error {
	if err := l.srv.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
