package train

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
)

func init() {
	labKinds["squid-4gb-limit"] = labKind{
		auth:        "kerberos",
		about:       "a real squid forward proxy with request_body_max_size 4 GB in front of a Kerberos (HTTP) listener",
		vars:        append([]string{"squid_conf", "replica_port"}, commonVars...),
		verifySteps: []string{probes.IDProxyLargeUpload},
		available:   lab.SquidAvailable,
		start: func(ctx context.Context, dir string) (running, error) {
			return startSquidLab(ctx, lab.SquidOptions{RequestBodyMaxSize: "4 GB"})
		},
	}
	labKinds["squid-proxy-auth"] = labKind{
		auth:        "kerberos",
		about:       "a real squid forward proxy that demands Basic proxy authentication, in front of a Kerberos (HTTP) listener",
		vars:        append([]string{"squid_conf", "replica_port"}, commonVars...),
		verifySteps: []string{probes.IDProxyLargeUpload},
		available:   lab.SquidAvailable,
		start: func(ctx context.Context, dir string) (running, error) {
			return startSquidLab(ctx, lab.SquidOptions{ProxyAuth: true})
		},
	}
}

// squidLab is a squid proxy in front of an HTTP origin that answers like a
// Kerberos listener. The learner edits squid.conf and runs squid -k
// reconfigure; reset puts the original squid.conf back the same way.
type squidLab struct {
	origin *lab.Origin
	squid  *lab.Squid
	conf   string
	broken []byte
}

func startSquidLab(ctx context.Context, opt lab.SquidOptions) (running, error) {
	origin, err := lab.StartHTTPOrigin(lab.OriginOptions{})
	if err != nil {
		return nil, err
	}
	sq, err := lab.StartSquid(ctx, opt)
	if err != nil {
		origin.Stop()
		return nil, err
	}
	l := &squidLab{origin: origin, squid: sq, conf: filepath.Join(sq.Dir, "squid.conf")}
	if l.broken, err = os.ReadFile(l.conf); err != nil {
		l.stop()
		return nil, fmt.Errorf("lab squid: %w", err)
	}
	return l, nil
}

func (l *squidLab) info() labInfo {
	return labInfo{
		targets: Targets{Replica: "127.0.0.1", Port: portOf(l.origin.Addr), Auth: "kerberos", Proxy: l.squid.URL},
		vars:    map[string]string{"squid_conf": l.conf, "replica_port": strconv.Itoa(portOf(l.origin.Addr))},
		procs:   []Proc{{PID: l.squid.PID(), Name: "squid"}},
		dirs:    []string{l.squid.Dir},
	}
}

func (l *squidLab) breakLab(ctx context.Context) error {
	cur, err := os.ReadFile(l.conf)
	if err == nil && bytes.Equal(cur, l.broken) {
		return nil
	}
	if err := os.WriteFile(l.conf, l.broken, 0o644); err != nil {
		return fmt.Errorf("lab squid: restore %s: %w", l.conf, err)
	}
	return squidReconfigure(ctx, l.conf)
}

// squidReconfigure runs squid -k reconfigure, as the learner does.
func squidReconfigure(ctx context.Context, conf string) error {
	out, err := exec.CommandContext(ctx, "squid", "-k", "reconfigure", "-f", conf).CombinedOutput()
	if err != nil {
		return fmt.Errorf("lab squid: squid -k reconfigure: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

func (l *squidLab) reload(context.Context) error { return nil }

func (l *squidLab) stop() error {
	err := l.squid.Stop()
	l.origin.Stop()
	return err
}

// portOf is the port of a host:port address (0 when it has none).
func portOf(addr string) int {
	i := strings.LastIndex(addr, ":")
	p, _ := strconv.Atoi(addr[i+1:])
	return p
}
