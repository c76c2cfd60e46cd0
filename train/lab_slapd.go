package train

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
)

func init() {
	labKinds["ldap-duplicate-spn"] = labKind{
		auth:        "kerberos",
		about:       "a real OpenLDAP directory shaped like AD where a service account also holds the replica's SPN",
		vars:        append([]string{"ldap_url", "ldap_admin", "ldap_pwfile", "dup_dn"}, commonVars...),
		verifySteps: []string{probes.IDSPNDirectory},
		available:   lab.SlapdAvailable,
		start:       startSlapdLab,
	}
}

// slapdLab is a directory where REPLICA$ holds both Hyper-V Replica SPNs
// and the service account svc-backup also holds the FQDN one (a
// duplicate: Kerberos fails with 0x80090322).
type slapdLab struct {
	s      *lab.Slapd
	pwfile string
	dupDN  string
}

func startSlapdLab(ctx context.Context, dir string) (running, error) {
	sdir := filepath.Join(dir, "slapd")
	if err := os.MkdirAll(sdir, 0o700); err != nil {
		return nil, fmt.Errorf("lab slapd: %w", err)
	}
	s, err := lab.StartSlapd(ctx, lab.SlapdOptions{Domain: "lab.test", Dir: sdir})
	if err != nil {
		return nil, err
	}
	l := &slapdLab{s: s, pwfile: filepath.Join(dir, "ldap-admin.pw")}
	if _, err := s.AddComputer(ctx, labReplicaHost, labReplicaFQDN, replicaSPNs...); err != nil {
		s.Stop()
		return nil, err
	}
	if l.dupDN, err = s.AddUser(ctx, "svc-backup"); err != nil {
		s.Stop()
		return nil, err
	}
	// ldapmodify -y reads the password from a file, without a newline.
	if err := lab.WriteFile(l.pwfile, []byte(s.AdminPassword)); err != nil {
		s.Stop()
		return nil, err
	}
	return l, nil
}

func (l *slapdLab) info() labInfo {
	return labInfo{
		targets: Targets{Replica: labReplicaFQDN, Auth: "kerberos", Realm: labRealm, LDAP: l.s.URL},
		vars:    map[string]string{"ldap_url": l.s.URL, "ldap_admin": l.s.AdminDN, "ldap_pwfile": l.pwfile, "dup_dn": l.dupDN},
		procs:   []Proc{{PID: l.s.PID(), Name: "slapd"}},
	}
}

// breakLab gives svc-backup the replica's FQDN SPN again (when it lacks
// it), with an LDAP modify as the directory's admin.
func (l *slapdLab) breakLab(ctx context.Context) error {
	conn, err := ldap.DialURL(l.s.URL, ldap.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}))
	if err != nil {
		return fmt.Errorf("lab slapd: %w", err)
	}
	defer conn.Close()
	conn.SetTimeout(10 * time.Second)
	if err := conn.Bind(l.s.AdminDN, l.s.AdminPassword); err != nil {
		return fmt.Errorf("lab slapd: bind: %w", err)
	}
	res, err := conn.Search(ldap.NewSearchRequest(l.dupDN, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 10, false,
		"(objectClass=*)", []string{"servicePrincipalName"}, nil))
	if err != nil {
		return fmt.Errorf("lab slapd: read %s: %w", l.dupDN, err)
	}
	for _, e := range res.Entries {
		for _, v := range e.GetAttributeValues("servicePrincipalName") {
			if v == replicaSPNs[1] {
				return nil
			}
		}
	}
	req := ldap.NewModifyRequest(l.dupDN, nil)
	req.Add("servicePrincipalName", []string{replicaSPNs[1]})
	if err := conn.Modify(req); err != nil {
		return fmt.Errorf("lab slapd: give %s the SPN: %w", l.dupDN, err)
	}
	return nil
}

func (l *slapdLab) reload(context.Context) error { return nil }
func (l *slapdLab) stop() error                  { return l.s.Stop() }
