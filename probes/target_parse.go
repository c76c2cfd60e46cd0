package probes

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Default listener ports of the Hyper-V Replica server.
const (
	DefaultKerberosPort    = 80
	DefaultCertificatePort = 443
	DefaultTimeout         = 5 * time.Second
)

// TargetInput is the raw user input for a Target, as typed on the command
// line or in the wizard's form. Zero values mean "not given".
type TargetInput struct {
	Replica     string
	Port        int    // 0 = default for the auth type
	Auth        string // "kerberos" (default), "certificate"
	ProxyURL    string // explicit proxy; "" = detect
	BypassProxy bool
	Timeout     time.Duration // 0 = DefaultTimeout
	VMName      string

	// Env reads environment variables for proxy detection; nil = os.Getenv.
	Env func(string) string
	// WinHTTP reads the machine's WinHTTP proxy; nil = the platform's
	// reader (netsh on Windows, nothing elsewhere).
	WinHTTP func(ctx context.Context) (WinHTTPProxy, error)
	// Clock times the probes; nil = the wall clock.
	Clock Clock
}

// ParseTarget validates in and returns a Target ready for the probes.
func ParseTarget(in TargetInput) (*Target, error) {
	t := &Target{}
	if err := in.ApplyTo(t); err != nil {
		return nil, err
	}
	return t, nil
}

// ApplyTo validates in and fills the connection fields of t, leaving the
// authentication fields (certificate, Kerberos, LDAP) that other flags may
// have set untouched. Errors are one line and name the bad input.
func (in TargetInput) ApplyTo(t *Target) error {
	host, err := ValidateHost(in.Replica)
	if err != nil {
		return fmt.Errorf("--replica %q: %w", in.Replica, err)
	}
	auth, err := ParseAuthType(in.Auth)
	if err != nil {
		return fmt.Errorf("--auth %q: %w", in.Auth, err)
	}
	port := in.Port
	if port == 0 {
		port = DefaultKerberosPort
		if auth == AuthCertificate {
			port = DefaultCertificatePort
		}
	} else if port < 1 || port > 65535 {
		return fmt.Errorf("--port %d: must be between 1 and 65535 (Kerberos listens on 80, certificate on 443 by default)", in.Port)
	}
	if in.Timeout < 0 {
		return fmt.Errorf("--timeout %s: must be positive, for example 5s", in.Timeout)
	}
	timeout := in.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	if strings.ContainsAny(in.VMName, "\"`$\r\n") {
		return fmt.Errorf("--vm %q: a VM name cannot contain quotes, backticks, $ or line breaks", in.VMName)
	}

	t.Replica = host
	t.Port = port
	t.Auth = auth
	t.Timeout = timeout
	t.BypassProxy = in.BypassProxy
	t.VMName = strings.TrimSpace(in.VMName)
	t.Clock = in.Clock

	if in.ProxyURL != "" {
		u, err := ParseProxyURL(in.ProxyURL)
		if err != nil {
			return fmt.Errorf("--proxy %q: %w", in.ProxyURL, err)
		}
		t.Proxy, t.ProxySource, t.NoProxy = u, "--proxy", nil
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
		return "", fmt.Errorf("the replica server name is empty: give its name, FQDN or IP address")
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
