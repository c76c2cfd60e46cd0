package probes

import (
	"net/url"
	"time"
)

// Target is what the wizard checks: the replica server the admin names and
// how the primary reaches it. Parse and validate user input with the
// constructors in this package; probes assume a validated Target.
type Target struct {
	// Replica is the replica server as the admin typed it: short name,
	// FQDN or IP address.
	Replica string
	// Port is the replica's listener port (80 Kerberos, 443 certificate
	// by default).
	Port int
	Auth AuthType

	// Proxy is the forward proxy in the path, nil when direct. ProxySource
	// says where it came from: "--proxy", "HTTPS_PROXY", "WinHTTP".
	Proxy       *url.URL
	ProxySource string
	// NoProxy is the bypass list (NO_PROXY entries or the WinHTTP bypass
	// list), honoured when deciding whether the proxy is in the path.
	NoProxy []string
	// WinHTTPServer is the machine proxy as netsh shows it (it may name
	// one proxy per scheme) when ProxySource is "WinHTTP".
	WinHTTPServer string
	// BypassProxy mirrors Enable-VMReplication -BypassProxyServer $true.
	BypassProxy bool

	// Timeout bounds each probe.
	Timeout time.Duration

	// Certificate authentication (part 2).
	CertSource   string // PEM/DER/PFX file path, or a thumbprint on Windows
	CertPassword string // PFX password; never printed
	CABundle     string // PEM file of trusted roots, "" = system roots
	// CertName is the FQDN the certificate must carry (subject CN or a
	// SAN DNS name, wildcards allowed); "" = this computer's FQDN, since
	// the certificate checked is the one this server presents to its peer.
	CertName string
	// LDAPBindDN names the account for an LDAP simple bind (a DN or, on
	// AD, user@domain); "" = Principal, and anonymous when both are empty.
	LDAPBindDN string

	// Kerberos and directory (part 2).
	KDC       string // host[:port]
	Realm     string
	Keytab    string
	Principal string // client principal for keytab/password logins
	Password  string // never printed
	CCache    string // credential cache path, "" = default
	LDAPURL   string

	// Clock times the probes and dates certificates; nil = the wall clock.
	// Tests inject a fake one.
	Clock Clock

	// VMName names the VM in fix commands; "<VM>" placeholders are used
	// when unknown.
	VMName string
}

// Clock tells the time; sampler.Clock and sampler.SystemClock satisfy it.
// Declared here so probes do not depend on the sampler package.
type Clock interface {
	Now() time.Time
}
