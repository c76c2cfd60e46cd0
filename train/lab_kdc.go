package train

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
)

// The lab realm and the replica whose SPNs the Kerberos lab is about.
const (
	labRealm       = "LAB.TEST"
	labReplicaFQDN = "replica.lab.test"
	labReplicaHost = "REPLICA"
)

// replicaSPNs are the two SPNs vmms registers for the replica.
var replicaSPNs = []string{"Hyper-V Replica Service/" + labReplicaHost, "Hyper-V Replica Service/" + labReplicaFQDN}

func init() {
	labKinds["kdc-missing-spn"] = labKind{
		auth:        "kerberos",
		about:       "a real MIT Kerberos KDC (realm LAB.TEST) without the replica's Hyper-V Replica SPNs",
		vars:        append([]string{"kadmin", "realm"}, commonVars...),
		verifySteps: []string{probes.IDSPN},
		available:   lab.KDCAvailable,
		start:       startKDCLab,
	}
}

// kdcLab is a KDC with an admin account (keytab in the lab directory) and
// the replica's SPNs deleted.
type kdcLab struct {
	kdc    *lab.KDC
	keytab string
}

func startKDCLab(ctx context.Context, dir string) (running, error) {
	kdir := filepath.Join(dir, "kdc")
	if err := os.MkdirAll(kdir, 0o700); err != nil {
		return nil, fmt.Errorf("lab kdc: %w", err)
	}
	k, err := lab.StartKDC(ctx, lab.KDCOptions{Realm: labRealm, Dir: kdir})
	if err != nil {
		return nil, err
	}
	l := &kdcLab{kdc: k, keytab: filepath.Join(dir, "hvradmin.keytab")}
	if err := k.AddPrincipal(ctx, "hvradmin", ""); err != nil {
		k.Stop()
		return nil, err
	}
	if err := k.Keytab(ctx, "hvradmin", l.keytab); err != nil {
		k.Stop()
		return nil, err
	}
	return l, nil
}

func (l *kdcLab) info() labInfo {
	return labInfo{
		targets: Targets{Replica: labReplicaFQDN, Auth: "kerberos", KDC: l.kdc.Addr, Realm: labRealm, Principal: "hvradmin", Keytab: l.keytab},
		vars: map[string]string{
			"kadmin": fmt.Sprintf("env KRB5_CONFIG=%s KRB5_KDC_PROFILE=%s kadmin.local -r %s", l.kdc.Krb5Conf, l.kdc.KDCConf, labRealm),
			"realm":  labRealm,
		},
		procs: []Proc{{PID: l.kdc.PID(), Name: "krb5kdc"}},
	}
}

// breakLab deletes the replica's SPNs (those that exist).
func (l *kdcLab) breakLab(ctx context.Context) error {
	for _, spn := range replicaSPNs {
		if err := l.kdc.DeletePrincipal(ctx, spn); err != nil && !strings.Contains(err.Error(), "not exist") {
			return err
		}
	}
	return nil
}

func (l *kdcLab) reload(context.Context) error { return nil }
func (l *kdcLab) stop() error                  { return l.kdc.Stop() }
