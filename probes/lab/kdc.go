// Package lab starts real components on loopback, each in its own temporary
// directory on a free port and stopped by its own PID: an MIT Kerberos KDC
// in its own realm, an OpenLDAP directory shaped like AD, forward and
// HTTPS-inspecting proxies, TLS listeners that require client certificates,
// and a generator of lab certificates. The tests use them, and the training
// mode reuses them, so nothing here depends on package testing.
package lab

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// KDCTools are the MIT Kerberos programs a lab KDC needs (Debian packages
// krb5-kdc, krb5-admin-server, krb5-user).
var KDCTools = []string{"kdb5_util", "krb5kdc", "kadmin.local", "kinit"}

// KDCAvailable reports why a lab KDC cannot start here (a missing program),
// or nil when it can.
func KDCAvailable() error {
	return needTools("MIT Kerberos KDC (apt-get install krb5-kdc krb5-admin-server krb5-user)", KDCTools)
}

// KDC is an MIT Kerberos KDC running in its own realm, in its own directory,
// on a loopback port (TCP and UDP). It is a real krb5kdc process; Stop ends
// it by its PID.
type KDC struct {
	// Realm is the Kerberos realm, for example LAB.TEST.
	Realm string
	// Addr is host:port of the KDC (TCP and UDP).
	Addr string
	// Dir holds the database, the stash, the configuration files and the log.
	Dir string
	// Krb5Conf is a client krb5.conf naming this KDC only.
	Krb5Conf string
	// KDCConf is the kdc.conf of this KDC.
	KDCConf string

	d *daemon
}

// KDCOptions configure StartKDC. Zero values get defaults.
type KDCOptions struct {
	// Realm defaults to LAB.TEST.
	Realm string
	// Dir is where the KDC keeps its files; a new temporary directory
	// when empty (removed by Stop).
	Dir string
	// StartTimeout bounds how long StartKDC waits for the KDC to listen
	// (default 15s).
	StartTimeout time.Duration
}

// StartKDC creates a realm database and starts krb5kdc in the foreground on
// a free loopback port. The caller must call Stop.
func StartKDC(ctx context.Context, opt KDCOptions) (*KDC, error) {
	if err := KDCAvailable(); err != nil {
		return nil, err
	}
	realm := opt.Realm
	if realm == "" {
		realm = "LAB.TEST"
	}
	wd, err := newWorkDir("kdc", opt.Dir, "hvrdoctor-kdc-")
	if err != nil {
		return nil, err
	}
	dir := wd.path
	port, err := freeTCPUDPPort()
	if err != nil {
		wd.remove()
		return nil, fmt.Errorf("lab kdc: %w", err)
	}
	k := &KDC{
		Realm:    realm,
		Addr:     net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		Dir:      dir,
		Krb5Conf: filepath.Join(dir, "krb5.conf"),
		KDCConf:  filepath.Join(dir, "kdc.conf"),
	}
	kdcConf := fmt.Sprintf(`[kdcdefaults]
 kdc_ports = %[2]d
 kdc_tcp_ports = %[2]d

[realms]
 %[1]s = {
  database_name = %[3]s/principal
  key_stash_file = %[3]s/stash
  acl_file = %[3]s/kadm5.acl
  kdc_ports = %[2]d
  kdc_tcp_ports = %[2]d
  max_life = 10h 0m 0s
  supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
 }

[logging]
 kdc = FILE:%[3]s/kdc.log
 admin_server = FILE:%[3]s/kadmin.log
 default = FILE:%[3]s/krb5lib.log
`, realm, port, dir)
	krb5Conf := fmt.Sprintf(`[libdefaults]
 default_realm = %[1]s
 dns_lookup_kdc = false
 dns_lookup_realm = false
 rdns = false
 udp_preference_limit = 1

[realms]
 %[1]s = {
  kdc = %[2]s
 }
`, realm, k.Addr)
	for name, content := range map[string]string{
		k.KDCConf:                       kdcConf,
		k.Krb5Conf:                      krb5Conf,
		filepath.Join(dir, "kadm5.acl"): "",
	} {
		if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
			wd.remove()
			return nil, fmt.Errorf("lab kdc: write %s: %w", name, err)
		}
	}
	// The master password only protects this throw-away database.
	master := "lab-master-" + strconv.Itoa(port)
	if out, err := k.run(ctx, "kdb5_util", "create", "-s", "-r", realm, "-P", master); err != nil {
		wd.remove()
		return nil, fmt.Errorf("lab kdc: kdb5_util create: %w: %s", err, outputHead(out))
	}
	cmd := exec.Command("krb5kdc", "-n", "-r", realm, "-P", filepath.Join(dir, "krb5kdc.pid"))
	cmd.Env = k.Env()
	cmd.Dir = dir
	d, err := startDaemon(ctx, "kdc", cmd, wd.ownedPath(), filepath.Join(dir, "krb5kdc.out"), k.Addr, orDefault(opt.StartTimeout, 15*time.Second))
	if err != nil {
		wd.remove()
		return nil, err
	}
	k.d = d
	return k, nil
}

// Env returns the process environment with KRB5_CONFIG and
// KRB5_KDC_PROFILE pointing at this KDC's files, for MIT tools.
func (k *KDC) Env() []string {
	env := os.Environ()
	env = append(env,
		"KRB5_CONFIG="+k.Krb5Conf,
		"KRB5_KDC_PROFILE="+k.KDCConf,
		"KRB5CCNAME=FILE:"+filepath.Join(k.Dir, "ccache"),
	)
	return env
}

// PID is the krb5kdc process ID (0 when not running).
func (k *KDC) PID() int { return k.d.pid() }

// AddPrincipal creates a principal. An empty password gives it a random key
// (a service principal). Names may contain spaces, as the Hyper-V Replica
// SPNs do ("Hyper-V Replica Service/replica.lab.test").
func (k *KDC) AddPrincipal(ctx context.Context, name, password string) error {
	if strings.ContainsAny(name, "\"'\n") || strings.ContainsAny(password, "\"'\n ") {
		return fmt.Errorf("lab kdc: principal %q: quotes, newlines (and spaces in passwords) are not supported", name)
	}
	q := "addprinc -randkey \"" + name + "\""
	if password != "" {
		q = "addprinc -pw " + password + " \"" + name + "\""
	}
	return k.kadmin(ctx, q)
}

// DeletePrincipal removes a principal.
func (k *KDC) DeletePrincipal(ctx context.Context, name string) error {
	if strings.ContainsAny(name, "\"'\n") {
		return fmt.Errorf("lab kdc: principal %q: quotes and newlines are not supported", name)
	}
	return k.kadmin(ctx, "delprinc -force \""+name+"\"")
}

// Keytab writes the current keys of principal to a keytab file without
// changing them (ktadd -norandkey).
func (k *KDC) Keytab(ctx context.Context, principal, path string) error {
	if strings.ContainsAny(principal+path, "\"'\n ") {
		return fmt.Errorf("lab kdc: keytab for %q: quotes, spaces and newlines are not supported", principal)
	}
	return k.kadmin(ctx, "ktadd -norandkey -k "+path+" "+principal)
}

// Kinit obtains a TGT for principal from keytab into the credential cache
// file ccache, with MIT kinit.
func (k *KDC) Kinit(ctx context.Context, principal, keytab, ccache string) error {
	cmd := exec.CommandContext(ctx, "kinit", "-k", "-t", keytab, "-c", "FILE:"+ccache, principal)
	cmd.Env = k.Env()
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("lab kdc: kinit %s: %w: %s", principal, err, outputHead(out))
	}
	return nil
}

func (k *KDC) kadmin(ctx context.Context, query string) error {
	out, err := k.run(ctx, "kadmin.local", "-r", k.Realm, "-q", query)
	if err != nil {
		return fmt.Errorf("lab kdc: kadmin.local %q: %w: %s", query, err, outputHead(out))
	}
	// kadmin.local exits 0 even when the query fails; it reports on stderr.
	low := strings.ToLower(string(out))
	for _, bad := range []string{"error", "failed", "not found", "unknown"} {
		if strings.Contains(low, bad) {
			return fmt.Errorf("lab kdc: kadmin.local %q: %s", query, outputHead(out))
		}
	}
	return nil
}

func (k *KDC) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = k.Env()
	cmd.Dir = k.Dir
	return cmd.CombinedOutput()
}

// Stop ends the KDC by its PID (SIGTERM, then SIGKILL) and waits for it;
// it removes the directory when StartKDC created it. Stop is safe to call
// twice.
func (k *KDC) Stop() error { return k.d.stop() }
