package train

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
)

func init() {
	labKinds["mitmproxy-inspection"] = labKind{
		auth:        "certificate",
		about:       "a real HTTPS-inspecting proxy (mitmdump) in front of a certificate (HTTPS) listener",
		vars:        append([]string{"mitm_config", "replica_port"}, commonVars...),
		verifySteps: []string{probes.IDHTTPSInspection},
		available:   lab.MitmproxyAvailable,
		start:       startMitmLab,
	}
}

// mitmBrokenConfig is mitmproxy's options file as the lab starts: it
// inspects every host.
const mitmBrokenConfig = "# mitmproxy options (https://docs.mitmproxy.org/stable/concepts-options/)\nignore_hosts: []\n"

// mitmLab is mitmdump inspecting HTTPS to a TLS origin. Its confdir
// (config.yaml, its CA) is in the lab directory; mitmdump reads
// config.yaml when it starts, so a SIGHUP to the supervisor restarts it on
// the same port.
type mitmLab struct {
	origin  *lab.Origin
	mitm    *lab.Mitmproxy
	port    int
	confDir string
	config  string
}

func startMitmLab(ctx context.Context, dir string) (running, error) {
	origin, err := lab.StartTLSOrigin(lab.OriginOptions{})
	if err != nil {
		return nil, err
	}
	addr, err := lab.ClosedPort()
	if err != nil {
		origin.Stop()
		return nil, err
	}
	l := &mitmLab{origin: origin, port: portOf(addr), confDir: filepath.Join(dir, "mitmproxy")}
	l.config = filepath.Join(l.confDir, "config.yaml")
	if err := os.MkdirAll(l.confDir, 0o700); err != nil {
		origin.Stop()
		return nil, fmt.Errorf("lab mitmproxy: %w", err)
	}
	if err := os.WriteFile(l.config, []byte(mitmBrokenConfig), 0o644); err != nil {
		origin.Stop()
		return nil, fmt.Errorf("lab mitmproxy: %w", err)
	}
	if err := l.reload(ctx); err != nil {
		origin.Stop()
		return nil, err
	}
	return l, nil
}

func (l *mitmLab) info() labInfo {
	var procs []Proc
	if l.mitm != nil {
		procs = []Proc{{PID: l.mitm.PID(), Name: "mitmdump"}}
	}
	return labInfo{
		targets: Targets{Replica: "127.0.0.1", Port: portOf(l.origin.Addr), Auth: "certificate", Proxy: "http://127.0.0.1:" + strconv.Itoa(l.port)},
		vars:    map[string]string{"mitm_config": l.config, "replica_port": strconv.Itoa(portOf(l.origin.Addr))},
		procs:   procs,
	}
}

func (l *mitmLab) breakLab(ctx context.Context) error {
	if cur, err := os.ReadFile(l.config); err == nil && string(cur) == mitmBrokenConfig {
		return nil
	}
	if err := os.WriteFile(l.config, []byte(mitmBrokenConfig), 0o644); err != nil {
		return fmt.Errorf("lab mitmproxy: restore %s: %w", l.config, err)
	}
	return l.reload(ctx)
}

// reload restarts mitmdump on the same port so that it reads config.yaml.
func (l *mitmLab) reload(ctx context.Context) error {
	if l.mitm != nil {
		l.mitm.Stop()
	}
	m, err := lab.StartMitmproxy(ctx, lab.MitmproxyOptions{Port: l.port, ConfDir: l.confDir})
	if err != nil {
		l.mitm = nil
		return err
	}
	l.mitm = m
	return nil
}

func (l *mitmLab) stop() error {
	var err error
	if l.mitm != nil {
		err = l.mitm.Stop()
	}
	l.origin.Stop()
	return err
}
