package train

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
)

func init() {
	labKinds["listener-off"] = labKind{
		auth:        "kerberos",
		about:       "a replica listener (HTTP, Kerberos) that is switched off in its server settings file",
		vars:        append([]string{"server_conf", "replica_port"}, commonVars...),
		verifySteps: []string{probes.IDTCP, probes.IDListener},
		available:   func() error { return nil },
		start:       startListenerLab,
	}
}

// listenerBrokenConf is the lab's stand-in for Get-VMReplicationServer:
// replication is not enabled, so nothing listens on the port.
const listenerBrokenConf = "# The lab replica server's settings (the lab's Set-VMReplicationServer).\n" +
	"# The lab supervisor reads this file when it gets SIGHUP.\nReplicationEnabled=false\n"

// listenerLab serves an HTTP listener on a fixed loopback port while
// replica-server.conf says ReplicationEnabled=true.
type listenerLab struct {
	addr   string
	conf   string
	origin *lab.Origin
}

func startListenerLab(ctx context.Context, dir string) (running, error) {
	addr, err := lab.ClosedPort()
	if err != nil {
		return nil, err
	}
	l := &listenerLab{addr: addr, conf: filepath.Join(dir, "replica-server.conf")}
	if err := os.WriteFile(l.conf, []byte(listenerBrokenConf), 0o644); err != nil {
		return nil, fmt.Errorf("lab listener: %w", err)
	}
	return l, nil
}

func (l *listenerLab) info() labInfo {
	return labInfo{
		targets: Targets{Replica: "127.0.0.1", Port: portOf(l.addr), Auth: "kerberos"},
		vars:    map[string]string{"server_conf": l.conf, "replica_port": strconv.Itoa(portOf(l.addr))},
	}
}

func (l *listenerLab) breakLab(ctx context.Context) error {
	if err := os.WriteFile(l.conf, []byte(listenerBrokenConf), 0o644); err != nil {
		return fmt.Errorf("lab listener: %w", err)
	}
	return l.reload(ctx)
}

// reload starts or stops the listener as the settings file says.
func (l *listenerLab) reload(context.Context) error {
	data, err := os.ReadFile(l.conf)
	if err != nil {
		return fmt.Errorf("lab listener: %w", err)
	}
	enabled := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "ReplicationEnabled") {
			enabled = strings.EqualFold(strings.TrimSpace(v), "true")
		}
	}
	switch {
	case enabled && l.origin == nil:
		o, err := lab.StartHTTPOrigin(lab.OriginOptions{Addr: l.addr})
		if err != nil {
			return err
		}
		l.origin = o
	case !enabled && l.origin != nil:
		l.origin.Stop()
		l.origin = nil
	}
	return nil
}

func (l *listenerLab) stop() error {
	if l.origin != nil {
		return l.origin.Stop()
	}
	return nil
}
