package probes

import (
	"errors"
	"fmt"
	"net"
	"os"
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

// errNoKerberos means neither flags nor a krb5.conf say where the KDC is.
var errNoKerberos = errors.New("no KDC known: give --kdc HOST[:PORT] and --realm, or a krb5.conf (KRB5_CONFIG)")

// kerberosFor builds the configuration from --kdc/--realm, or loads the
// krb5.conf named by KRB5_CONFIG (else /etc/krb5.conf).
func kerberosFor(t *Target) (*kerberosSetup, error) {
	if t.KDC != "" {
		kdc := t.KDC
		if _, _, err := net.SplitHostPort(kdc); err != nil {
			kdc = net.JoinHostPort(kdc, "88")
		}
		realm := strings.ToUpper(t.Realm)
		if realm == "" {
			realm = realmFromHost(t.Replica)
		}
		if realm == "" {
			return nil, fmt.Errorf("--kdc %s: the realm is unknown: give --realm (the AD domain in upper case)", t.KDC)
		}
		conf := fmt.Sprintf("[libdefaults]\n default_realm = %s\n dns_lookup_kdc = false\n dns_lookup_realm = false\n"+
			" udp_preference_limit = 1\n\n[realms]\n %s = {\n  kdc = %s\n }\n", realm, realm, kdc)
		cfg, err := config.NewFromString(conf)
		if err != nil {
			return nil, fmt.Errorf("--kdc %s: %w", t.KDC, err)
		}
		return &kerberosSetup{cfg: cfg, realm: realm, kdcs: []string{kdc}, from: "--kdc"}, nil
	}
	// A machine's krb5.conf names its own realm's KDCs: use it only when
	// the user asked for Kerberos checks (a Kerberos flag or KRB5_CONFIG),
	// so that a plain check contacts no host the user did not name.
	path := os.Getenv("KRB5_CONFIG")
	if path == "" {
		if t.Realm == "" && t.Keytab == "" && t.Principal == "" && t.CCache == "" {
			return nil, errNoKerberos
		}
		path = "/etc/krb5.conf"
	}
	if _, err := os.Stat(path); err != nil {
		return nil, errNoKerberos
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, fmt.Errorf("krb5.conf %s: %s", path, oneLine(err.Error()))
	}
	// TCP only: it crosses firewalls better and gives clear errors.
	cfg.LibDefaults.UDPPreferenceLimit = 1
	realm := strings.ToUpper(t.Realm)
	if realm == "" {
		realm = cfg.LibDefaults.DefaultRealm
	}
	if realm == "" {
		return nil, fmt.Errorf("krb5.conf %s names no default realm: give --realm", path)
	}
	_, kdcs, err := cfg.GetKDCs(realm, true)
	if err != nil || len(kdcs) == 0 {
		return nil, fmt.Errorf("krb5.conf %s: no KDC for realm %s: give --kdc", path, realm)
	}
	var list []string
	for i := 1; i <= len(kdcs); i++ {
		list = append(list, kdcs[i])
	}
	return &kerberosSetup{cfg: cfg, realm: realm, kdcs: list, from: path}, nil
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
