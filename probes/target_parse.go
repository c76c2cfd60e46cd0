package probes

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Default listener ports of the Hyper-V Replica server.
const (
	DefaultKerberosPort    = 80
	DefaultCertificatePort = 443
	DefaultTimeout         = 5 * time.Second
)

// TargetInput is the raw user input for a Target, as typed on the command
// line or in the wizard's form: the one validator for both (and for
// explain). Zero values mean "not given"; Given marks flags given
// explicitly, which may then not be empty.
type TargetInput struct {
	Replica string
	Port    int // 0 = default for the auth type
	// PortText is the port as typed (flag or form); when not "" it is used
	// instead of Port and must be 1 to 65535.
	PortText    string
	Auth        string // "kerberos" (default), "certificate"
	ProxyURL    string // explicit proxy; "" = detect
	BypassProxy bool
	Timeout     time.Duration // 0 = DefaultTimeout
	// TimeoutText is the timeout as typed ("5s"); when not "" it is used
	// instead of Timeout.
	TimeoutText string
	VMName      string

	// Certificate authentication.
	CABundle     string // --ca: PEM/DER file of trusted roots
	CertSource   string // --cert: PEM, DER or PFX file, or a thumbprint
	CertPassword string // PFX password (--cert-password-stdin); never shown
	CertName     string // --cert-name: the FQDN the certificate must carry

	// Kerberos and directory.
	KDC       string // --kdc HOST[:PORT]
	Realm     string // --realm
	Principal string // --principal user or user@REALM
	Keytab    string // --keytab file
	CCache    string // --ccache file (FILE: prefix allowed)
	Password  string // --password-stdin; never shown
	LDAPURL   string // --ldap ldap://HOST[:PORT] or ldaps://
	LDAPUser  string // --ldap-user DN or user@domain

	// Given holds the names (without dashes) of the flags given explicitly,
	// so that `--kdc ''` is an error rather than "not given". Nil when
	// unknown (the form: an empty field is "not given").
	Given map[string]bool

	// Env reads environment variables for proxy detection; nil = os.Getenv.
	Env func(string) string
	// WinHTTP reads the machine's WinHTTP proxy; nil = the platform's
	// reader (netsh on Windows, nothing elsewhere).
	WinHTTP func(ctx context.Context) (WinHTTPProxy, error)
	// Clock times the probes; nil = the wall clock.
	Clock Clock
}

// MaxTimeout bounds --timeout: a probe waiting longer helps nobody.
const MaxTimeout = 10 * time.Minute

// ParseTarget validates in and returns a Target ready for the probes.
// Errors are one line (an *InputError) naming the flag and the problem.
func ParseTarget(in TargetInput) (*Target, error) {
	t := &Target{}
	if err := in.ApplyTo(t); err != nil {
		return nil, err
	}
	return t, nil
}

// Validate checks every field that was given, without requiring the
// replica (the UI's form starts from flags that may not name one) and
// without detecting a proxy. Errors are as for ParseTarget.
func (in TargetInput) Validate() error {
	var t Target
	return in.ApplyGivenTo(&t)
}

// ApplyGivenTo is Validate that also fills t with the fields given (the
// authentication fields, the port, timeout and VM name), leaving the
// replica and the proxy alone.
func (in TargetInput) ApplyGivenTo(t *Target) error {
	r, p, src, np := t.Replica, t.Proxy, t.ProxySource, t.NoProxy
	err := in.apply(t, false)
	t.Replica, t.Proxy, t.ProxySource, t.NoProxy = r, p, src, np
	return err
}

// ApplyTo validates in and fills t: the connection fields always, the
// authentication fields (certificate, Kerberos, LDAP) only when given, so
// settings t already holds (from the command line, under the wizard's
// form) stay. Errors are one line (an *InputError) and name the bad input.
func (in TargetInput) ApplyTo(t *Target) error {
	return in.apply(t, true)
}

func (in TargetInput) apply(t *Target, full bool) error {
	var host string
	if full || in.Replica != "" || in.Given["replica"] {
		h, err := ValidateHost(in.Replica)
		if err != nil {
			return inputErr("--replica", in.Replica, "%s", err)
		}
		host = h
	}
	auth, err := ParseAuthType(in.Auth)
	if err != nil {
		return inputErr("--auth", in.Auth, "%s", err)
	}
	port := in.Port
	if in.PortText != "" || in.Given["port"] {
		if port, err = parsePort(in.PortText); err != nil {
			return inputErr("--port", in.PortText, "%s", err)
		}
	} else if port < 0 || port > 65535 {
		return inputErr("--port", strconv.Itoa(port), "%s", errPortRange)
	}
	if port == 0 {
		port = DefaultKerberosPort
		if auth == AuthCertificate {
			port = DefaultCertificatePort
		}
	}
	timeout := in.Timeout
	if in.TimeoutText != "" || in.Given["timeout"] {
		if timeout, err = parseTimeout(in.TimeoutText); err != nil {
			return inputErr("--timeout", in.TimeoutText, "%s", err)
		}
	} else if timeout < 0 || timeout > MaxTimeout {
		return inputErr("--timeout", timeout.String(), "must be positive and at most %s, for example 5s", MaxTimeout)
	}
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	if in.VMName != "" || in.Given["vm"] {
		if err := validateVMName(in.VMName); err != nil {
			return inputErr("--vm", in.VMName, "%s", err)
		}
	}
	var proxy *url.URL
	if in.ProxyURL != "" || in.Given["proxy"] {
		if proxy, err = ParseProxyURL(in.ProxyURL); err != nil {
			return inputErr("--proxy", in.ProxyURL, "%s", err)
		}
	}
	auths, err := in.authFields()
	if err != nil {
		return err
	}

	t.Replica = host
	t.Port = port
	t.Auth = auth
	t.Timeout = timeout
	t.BypassProxy = in.BypassProxy
	t.VMName = strings.TrimSpace(in.VMName)
	t.Clock = in.Clock
	auths.applyTo(t)
	if !full {
		return nil
	}

	if proxy != nil {
		t.Proxy, t.ProxySource, t.NoProxy = proxy, "--proxy", nil
		return nil
	}
	env := in.Env
	if env == nil {
		env = os.Getenv
	}
	winhttp := in.WinHTTP
	if winhttp == nil {
		winhttp = readWinHTTPProxy
	}
	return detectProxy(t, env, winhttp)
}

var errPortRange = errors.New("must be between 1 and 65535 (Kerberos listens on 80, certificate on 443 by default)")

// parsePort parses a port as typed.
func parsePort(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty: give a port number between 1 and 65535")
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, errors.New("not a number: give a port between 1 and 65535")
	}
	if n < 1 || n > 65535 {
		return 0, errPortRange
	}
	return n, nil
}

// parseTimeout parses a timeout as typed ("5s", "1m30s").
func parseTimeout(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty: give a duration such as 5s")
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		if _, nerr := strconv.ParseFloat(s, 64); nerr == nil {
			return 0, errors.New("give a unit, for example 5s or 500ms")
		}
		return 0, errors.New("not a duration: give one such as 5s or 500ms")
	}
	if d <= 0 || d > MaxTimeout {
		return 0, fmt.Errorf("must be positive and at most %s, for example 5s", MaxTimeout)
	}
	return d, nil
}

// maxVMName is Hyper-V's limit on a VM name.
const maxVMName = 100

// validateVMName checks a VM name for the fix commands.
func validateVMName(v string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New("empty: give the VM name as Get-VM shows it")
	}
	if utf8.RuneCountInString(v) > maxVMName {
		return fmt.Errorf("longer than %d characters, the most Hyper-V allows", maxVMName)
	}
	if strings.ContainsAny(v, "\"`$") {
		return errors.New("a VM name cannot contain quotes, backticks or $")
	}
	if hasControl(v) {
		return errors.New("a VM name cannot contain line breaks or control characters")
	}
	return nil
}

// hasControl reports whether s holds control characters (line breaks,
// tabs, escapes) or invalid UTF-8.
func hasControl(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

// ParseAuthType accepts "kerberos" or "certificate" (any case, also "cert",
// "krb", "negotiate"); "" means Kerberos, the default.
func ParseAuthType(s string) (AuthType, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "kerberos", "krb", "negotiate":
		return AuthKerberos, nil
	case "certificate", "cert", "certificates", "https":
		return AuthCertificate, nil
	}
	return "", fmt.Errorf("unknown authentication type: use kerberos or certificate")
}

// ValidateHost checks a replica server name: a short name, an FQDN, or an
// IPv4/IPv6 address (brackets allowed). It returns the name cleaned of
// surrounding space, brackets and a trailing dot.
func ValidateHost(s string) (string, error) {
	h := strings.TrimSpace(s)
	if h == "" {
		return "", fmt.Errorf("empty: give a name, FQDN or IP address")
	}
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		h = h[1 : len(h)-1]
	}
	if ip := net.ParseIP(h); ip != nil {
		return ip.String(), nil
	}
	if strings.Contains(h, "://") || strings.ContainsAny(h, "/\\@ ") {
		return "", fmt.Errorf("not a host name: give only the server name, without scheme, path or port")
	}
	if strings.Count(h, ":") == 1 {
		return "", fmt.Errorf("not a host name: give the port with --port, not after a colon")
	}
	h = strings.TrimSuffix(h, ".")
	if len(h) > 253 {
		return "", fmt.Errorf("host name longer than 253 characters")
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 {
			return "", fmt.Errorf("host name has an empty or over-long label")
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return "", fmt.Errorf("host name label %q starts or ends with a hyphen", label)
		}
		for _, r := range label {
			if r > unicode.MaxASCII || !(r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
				return "", fmt.Errorf("host name contains %q: only letters, digits, '-' and '.' are allowed", r)
			}
		}
	}
	return h, nil
}

// Addr returns host:port of the replica listener.
func (t *Target) Addr() string {
	return net.JoinHostPort(t.Replica, strconv.Itoa(t.Port))
}

// IsShortName reports whether the replica was given as a single-label name
// (no dots, not an IP address).
func (t *Target) IsShortName() bool {
	return net.ParseIP(t.Replica) == nil && !strings.Contains(t.Replica, ".")
}

// timeout returns the per-probe timeout, DefaultTimeout when unset.
func (t *Target) timeout() time.Duration {
	if t.Timeout <= 0 {
		return DefaultTimeout
	}
	return t.Timeout
}

// now reads the target's clock (the wall clock when none was injected).
func (t *Target) now() time.Time {
	if t.Clock == nil {
		return time.Now()
	}
	return t.Clock.Now()
}
