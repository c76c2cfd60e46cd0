package probes

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/jcmturner/gokrb5/v8/config"
)

// kerberosSetup is what the Kerberos probes use: the client configuration,
// the realm and the KDC addresses, and where they came from.
type kerberosSetup struct {
	cfg   *config.Config
	realm string
	kdcs  []string
	from  string
}

// errNoKerberos means the user named no KDC and no realm: hvrdoctor
// contacts only the hosts the user names, so it neither takes the system
// configuration's default realm nor asks DNS for KDCs.
var errNoKerberos = errors.New("no KDC named: give --kdc HOST[:PORT] (with --realm), or --realm to use that realm's KDCs from krb5.conf")

// kerberosFor builds the configuration from --kdc/--realm. Without --kdc,
// only a realm the user named (--realm, or user@REALM in --principal) may
// take its KDCs from the krb5.conf named by KRB5_CONFIG (else
// /etc/krb5.conf); its default realm and DNS lookups are never used.
func kerberosFor(t *Target) (*kerberosSetup, error) {
	if t.KDC != "" {
		kdc := t.KDC
		if _, _, err := net.SplitHostPort(kdc); err != nil {
			kdc = net.JoinHostPort(kdc, "88")
		}
		realm := strings.ToUpper(t.Realm)
		if realm == "" {
			_, realm = splitPrincipal(t.Principal, "")
		}
		if realm == "" {
			realm = realmFromHost(t.Replica)
		}
		if realm == "" {
			return nil, fmt.Errorf("--kdc %s: the realm is unknown: give --realm (the AD domain in upper case)", ShowValue(t.KDC))
		}
		conf := fmt.Sprintf("[libdefaults]\n default_realm = %s\n dns_lookup_kdc = false\n dns_lookup_realm = false\n"+
			" udp_preference_limit = 1\n\n[realms]\n %s = {\n  kdc = %s\n }\n", realm, realm, kdc)
		cfg, err := config.NewFromString(conf)
		if err != nil {
			return nil, fmt.Errorf("--kdc %s: %w", ShowValue(t.KDC), err)
		}
		return &kerberosSetup{cfg: cfg, realm: realm, kdcs: []string{kdc}, from: "--kdc"}, nil
	}
	realm := strings.ToUpper(t.Realm)
	if realm == "" {
		_, realm = splitPrincipal(t.Principal, "")
	}
	if realm == "" {
		return nil, errNoKerberos
	}
	path, from := krb5ConfigPath()
	if path == "" {
		return nil, fmt.Errorf("%w (realm %s: no krb5.conf found to name its KDCs)", errNoKerberos, realm)
	}
	data, err := ReadInputFile(from, path, MaxKrb5ConfigSize)
	if err != nil {
		return nil, err
	}
	cfg, err := parseKrb5Config(data)
	if err != nil {
		return nil, inputErrPath(from, path, "%s", oneLine(err.Error()))
	}
	// TCP only: it crosses firewalls better and gives clear errors. No DNS:
	// only the KDCs the file names for the realm the user named.
	cfg.LibDefaults.UDPPreferenceLimit = 1
	cfg.LibDefaults.DNSLookupKDC = false
	cfg.LibDefaults.DNSLookupRealm = false
	_, kdcs, err := cfg.GetKDCs(realm, true)
	if err != nil || len(kdcs) == 0 {
		return nil, fmt.Errorf("%w (krb5.conf %s names no KDC for realm %s)", errNoKerberos, ShowValue(path), realm)
	}
	var list []string
	for i := 1; i <= len(kdcs); i++ {
		list = append(list, kdcs[i])
	}
	return &kerberosSetup{cfg: cfg, realm: realm, kdcs: list, from: path}, nil
}

// krb5ConfigPath is the first existing file of KRB5_CONFIG (a list, as
// for MIT Kerberos), else /etc/krb5.conf; "" when none exists. The second
// value names it for messages.
func krb5ConfigPath() (string, string) {
	if v := os.Getenv("KRB5_CONFIG"); v != "" {
		for _, p := range filepath.SplitList(v) {
			if _, err := os.Lstat(p); err == nil {
				return p, "KRB5_CONFIG"
			}
		}
		return "", ""
	}
	if _, err := os.Lstat("/etc/krb5.conf"); err == nil {
		return "/etc/krb5.conf", "krb5.conf"
	}
	return "", ""
}

// parseKrb5Config decodes a krb5.conf, turning a decoder panic into an
// error.
func parseKrb5Config(data []byte) (cfg *config.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			cfg, err = nil, fmt.Errorf("cannot decode: %v", r)
		}
	}()
	return config.NewFromString(string(data))
}

// realmFromHost guesses the realm from an FQDN: its domain in upper case.
func realmFromHost(h string) string {
	if net.ParseIP(h) != nil {
		return ""
	}
	parts := strings.SplitN(strings.TrimSuffix(h, "."), ".", 2)
	if len(parts) < 2 {
		return ""
	}
	return strings.ToUpper(parts[1])
}
