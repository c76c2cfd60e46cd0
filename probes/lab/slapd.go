package lab

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// SlapdTools are the OpenLDAP programs a lab directory needs (Debian package
// slapd).
var SlapdTools = []string{"slapd"}

// slapdModulePath is where Debian installs the slapd backends.
const slapdModulePath = "/usr/lib/ldap"

// SlapdAvailable reports why a lab directory cannot start here, or nil.
func SlapdAvailable() error {
	if err := needTools("OpenLDAP slapd (apt-get install slapd)", SlapdTools); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(slapdModulePath, "back_mdb.so")); err != nil {
		return fmt.Errorf("OpenLDAP slapd: mdb backend missing in %s (apt-get install slapd)", slapdModulePath)
	}
	if _, err := os.Stat("/etc/ldap/schema/core.schema"); err != nil {
		return errors.New("OpenLDAP slapd: /etc/ldap/schema/core.schema missing (apt-get install slapd)")
	}
	return nil
}

// adMiniSchema is the smallest part of the Active Directory schema the SPN
// probes read: the attributes servicePrincipalName, sAMAccountName and
// dNSHostName and the classes computer and user, under Microsoft's own OIDs
// so that entries look as they do in AD. OpenLDAP ships msuser.schema (the
// full AD user/computer classes), but its classes require a dozen AD
// operational attributes (nTSecurityDescriptor, objectCategory, ...) that a
// lab has no use for; this file is what the probes need and nothing more.
const adMiniSchema = `
attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.771 NAME 'servicePrincipalName'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
attributetype ( 1.2.840.113556.1.4.619 NAME 'dNSHostName'
  EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
objectclass ( 1.2.840.113556.1.3.30 NAME 'computer' SUP top STRUCTURAL
  MUST ( cn $ sAMAccountName )
  MAY ( servicePrincipalName $ dNSHostName $ description ) )
objectclass ( 1.2.840.113556.1.5.9 NAME 'user' SUP top STRUCTURAL
  MUST ( cn $ sAMAccountName )
  MAY ( servicePrincipalName $ userPassword $ description ) )
`

// Slapd is an OpenLDAP server on a loopback port holding a tiny AD-shaped
// tree: the suffix (dc=lab,dc=test by default), and the accounts added with
// AddComputer and AddUser. Anonymous clients may read it, as an AD lets
// authenticated users read servicePrincipalName.
type Slapd struct {
	// URL is ldap://127.0.0.1:PORT.
	URL string
	// BaseDN is the suffix, for example dc=lab,dc=test.
	BaseDN string
	// AdminDN and AdminPassword bind as the directory's root.
	AdminDN       string
	AdminPassword string
	// Dir holds the configuration, schema and database.
	Dir string
	// CAFile is the PEM file of the lab root that issued the directory's
	// TLS certificate (SlapdOptions.TLS); "" without TLS.
	CAFile string

	d *daemon
}

// SlapdOptions configure StartSlapd.
type SlapdOptions struct {
	// Domain is the DNS domain whose dc= components form the suffix
	// (default lab.test).
	Domain string
	// Dir defaults to a new temporary directory removed by Stop.
	Dir string
	// StartTimeout defaults to 15s.
	StartTimeout time.Duration
	// TLS makes the directory offer StartTLS with a certificate for
	// "localhost" from a new lab root (Slapd.CAFile); URL then names
	// localhost so that the name matches.
	TLS bool
}

// StartSlapd writes a slapd.conf with the mini AD schema, starts slapd in
// the foreground on a free loopback port and creates the suffix entry.
func StartSlapd(ctx context.Context, opt SlapdOptions) (*Slapd, error) {
	if err := SlapdAvailable(); err != nil {
		return nil, err
	}
	domain := opt.Domain
	if domain == "" {
		domain = "lab.test"
	}
	base := domainDN(domain)
	wd, err := newWorkDir("slapd", opt.Dir, "hvrdoctor-slapd-")
	if err != nil {
		return nil, err
	}
	dir := wd.path
	port, err := freePort()
	if err != nil {
		wd.remove()
		return nil, fmt.Errorf("lab slapd: %w", err)
	}
	s := &Slapd{
		URL:           "ldap://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		BaseDN:        base,
		AdminDN:       "cn=admin," + base,
		AdminPassword: "lab-admin-" + strconv.Itoa(port),
		Dir:           dir,
	}
	if err := os.MkdirAll(filepath.Join(dir, "db"), 0o700); err != nil {
		wd.remove()
		return nil, fmt.Errorf("lab slapd: %w", err)
	}
	schema := filepath.Join(dir, "ad-mini.schema")
	conf := fmt.Sprintf(`include /etc/ldap/schema/core.schema
include %s
pidfile %s/slapd.pid
modulepath %s
moduleload back_mdb
database mdb
maxsize 16777216
suffix "%s"
rootdn "%s"
rootpw %s
directory %s/db
index objectClass eq
index servicePrincipalName eq
access to * by * read
`, schema, dir, slapdModulePath, base, s.AdminDN, s.AdminPassword, dir)
	if opt.TLS {
		tlsConf, err := s.writeTLS(port)
		if err != nil {
			wd.remove()
			return nil, err
		}
		conf = tlsConf + conf
	}
	if err := os.WriteFile(schema, []byte(adMiniSchema), 0o600); err != nil {
		wd.remove()
		return nil, fmt.Errorf("lab slapd: %w", err)
	}
	confPath := filepath.Join(dir, "slapd.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		wd.remove()
		return nil, fmt.Errorf("lab slapd: %w", err)
	}
	// -d 0: stay in the foreground (no fork) so Stop can end it by PID.
	cmd := exec.Command("slapd", "-f", confPath, "-h", "ldap://"+net.JoinHostPort("127.0.0.1", strconv.Itoa(port))+"/", "-d", "0")
	cmd.Dir = dir
	d, err := startDaemon(ctx, "slapd", cmd, wd.ownedPath(), filepath.Join(dir, "slapd.out"), net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), orDefault(opt.StartTimeout, 15*time.Second))
	if err != nil {
		wd.remove()
		return nil, err
	}
	s.d = d
	first, _ := splitDN(base)
	err = s.add(ctx, base, map[string][]string{
		"objectClass": {"dcObject", "organization"},
		"dc":          {first},
		"o":           {domain},
	})
	if err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// writeTLS writes a lab root and a certificate for localhost into the
// directory and returns the slapd.conf lines that serve it.
func (s *Slapd) writeTLS(port int) (string, error) {
	ca, err := NewCA(CAOptions{Name: "hvrdoctor Lab LDAP Root"})
	if err != nil {
		return "", fmt.Errorf("lab slapd: %w", err)
	}
	leaf, err := ca.Issue(LeafSpec{CommonName: "localhost", DNSNames: []string{"localhost"}, ServerAuth: true})
	if err != nil {
		return "", fmt.Errorf("lab slapd: %w", err)
	}
	s.CAFile = filepath.Join(s.Dir, "ca.pem")
	certFile, keyFile := filepath.Join(s.Dir, "tls.pem"), filepath.Join(s.Dir, "tls.key")
	for path, data := range map[string][]byte{s.CAFile: ca.CertPEM(), certFile: leaf.CertPEM(), keyFile: leaf.KeyPEM()} {
		if err := WriteFile(path, data); err != nil {
			return "", fmt.Errorf("lab slapd: %w", err)
		}
	}
	s.URL = "ldap://" + net.JoinHostPort("localhost", strconv.Itoa(port))
	return fmt.Sprintf("TLSCACertificateFile %s\nTLSCertificateFile %s\nTLSCertificateKeyFile %s\n", s.CAFile, certFile, keyFile), nil
}

// AddComputer adds a computer account cn=NAME,<base> with sAMAccountName
// NAME$ (as AD names computer accounts), its dNSHostName and SPNs. It
// returns the entry's DN.
func (s *Slapd) AddComputer(ctx context.Context, name, dnsHostName string, spns ...string) (string, error) {
	attrs := map[string][]string{
		"objectClass":    {"computer"},
		"cn":             {name},
		"sAMAccountName": {name + "$"},
	}
	if dnsHostName != "" {
		attrs["dNSHostName"] = []string{dnsHostName}
	}
	if len(spns) > 0 {
		attrs["servicePrincipalName"] = spns
	}
	dn := "cn=" + ldap.EscapeDN(name) + "," + s.BaseDN
	return dn, s.add(ctx, dn, attrs)
}

// AddUser adds a user account cn=NAME,<base> (sAMAccountName NAME) with
// SPNs, for example a service account that wrongly holds a host's SPN.
func (s *Slapd) AddUser(ctx context.Context, name string, spns ...string) (string, error) {
	attrs := map[string][]string{
		"objectClass":    {"user"},
		"cn":             {name},
		"sAMAccountName": {name},
	}
	if len(spns) > 0 {
		attrs["servicePrincipalName"] = spns
	}
	dn := "cn=" + ldap.EscapeDN(name) + "," + s.BaseDN
	return dn, s.add(ctx, dn, attrs)
}

func (s *Slapd) add(ctx context.Context, dn string, attrs map[string][]string) error {
	conn, err := ldap.DialURL(s.URL, ldap.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}))
	if err != nil {
		return fmt.Errorf("lab slapd: connect %s: %w", s.URL, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetTimeout(time.Until(dl))
	} else {
		conn.SetTimeout(10 * time.Second)
	}
	if err := conn.Bind(s.AdminDN, s.AdminPassword); err != nil {
		return fmt.Errorf("lab slapd: bind %s: %w", s.AdminDN, err)
	}
	req := ldap.NewAddRequest(dn, nil)
	for name, vals := range attrs {
		req.Attribute(name, vals)
	}
	if err := conn.Add(req); err != nil {
		return fmt.Errorf("lab slapd: add %s: %w", dn, err)
	}
	return nil
}

// PID is the slapd process ID (0 when not running).
func (s *Slapd) PID() int { return s.d.pid() }

// Stop ends slapd by its PID (SIGTERM, then SIGKILL), waits for it and
// removes the directory when StartSlapd created it. Safe to call twice.
func (s *Slapd) Stop() error { return s.d.stop() }

// domainDN turns lab.test into dc=lab,dc=test.
func domainDN(domain string) string {
	var parts []string
	for _, label := range strings.Split(domain, ".") {
		if label != "" {
			parts = append(parts, "dc="+ldap.EscapeDN(label))
		}
	}
	return strings.Join(parts, ",")
}

// splitDN returns the value of the first RDN of dn and the rest.
func splitDN(dn string) (string, string) {
	parsed, err := ldap.ParseDN(dn)
	if err != nil || len(parsed.RDNs) == 0 || len(parsed.RDNs[0].Attributes) == 0 {
		return "", dn
	}
	return parsed.RDNs[0].Attributes[0].Value, dn
}
