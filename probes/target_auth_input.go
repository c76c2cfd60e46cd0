package probes

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/keytab"
)

// authInput is the validated authentication part of a TargetInput: the
// values to set on the Target, and which of them were given.
type authInput struct {
	set map[string]string
}

// applyTo copies the given authentication fields onto t.
func (a authInput) applyTo(t *Target) {
	for k, v := range a.set {
		switch k {
		case "ca":
			t.CABundle = v
		case "cert":
			t.CertSource = v
		case "cert-password":
			t.CertPassword = v
		case "cert-name":
			t.CertName = v
		case "kdc":
			t.KDC = v
		case "realm":
			t.Realm = v
		case "principal":
			t.Principal = v
		case "keytab":
			t.Keytab = v
		case "ccache":
			t.CCache = v
		case "password":
			t.Password = v
		case "ldap":
			t.LDAPURL = v
		case "ldap-user":
			t.LDAPBindDN = v
		}
	}
}

// authFields validates the certificate, Kerberos and LDAP fields that were
// given (non-empty, or named in Given).
func (in TargetInput) authFields() (authInput, error) {
	a := authInput{set: map[string]string{}}
	given := func(name, v string) bool { return v != "" || in.Given[name] }
	type check struct {
		name string
		v    string
		fn   func(string) (string, error)
	}
	for _, c := range []check{
		{"ca", in.CABundle, validateCABundle},
		{"cert", in.CertSource, func(v string) (string, error) { return validateCertSource(v, in.CertPassword) }},
		{"cert-name", in.CertName, validateCertName},
		{"kdc", in.KDC, ValidateKDC},
		{"realm", in.Realm, ValidateRealm},
		{"principal", in.Principal, validatePrincipal},
		{"keytab", in.Keytab, validateKeytab},
		{"ccache", in.CCache, validateCCache},
		{"ldap", in.LDAPURL, ValidateLDAPURL},
		{"ldap-user", in.LDAPUser, validateLDAPUser},
	} {
		if !given(c.name, c.v) {
			continue
		}
		v, err := c.fn(c.v)
		if err != nil {
			var ie *InputError
			if errors.As(err, &ie) {
				return a, err
			}
			return a, inputErr("--"+c.name, c.v, "%s", err)
		}
		a.set[c.name] = v
	}
	if in.CertPassword != "" {
		a.set["cert-password"] = in.CertPassword
	}
	if in.Password != "" {
		a.set["password"] = in.Password
	}
	return a, nil
}

// validateCABundle reads --ca (bounded, regular files only) and checks it
// holds at least one certificate.
func validateCABundle(v string) (string, error) {
	data, err := ReadInputFile("--ca", v, MaxCABundleSize)
	if err != nil {
		return "", err
	}
	if bytes.Contains(data, []byte("-----BEGIN CERTIFICATE-----")) {
		if !x509.NewCertPool().AppendCertsFromPEM(data) {
			return "", inputErrPath("--ca", v, "no certificate in the file decodes")
		}
		return v, nil
	}
	if lc, err := LoadCertificateBytes(data, v, ""); err != nil || lc == nil || lc.Key != nil {
		return "", inputErrPath("--ca", v, "no PEM or DER certificate in the file")
	}
	return v, nil
}

// validateCertSource checks --cert: a certificate file that decodes (a
// PFX that needs a password is accepted; the password is asked later), or
// on any OS a 40-digit thumbprint (looked up in the Windows store).
func validateCertSource(v, password string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", errors.New("empty: give a certificate file or a thumbprint")
	}
	if _, err := os.Stat(v); err != nil {
		if IsThumbprint(v) {
			return v, nil
		}
		return "", inputErrPath("--cert", v, "no such file, and not a 40-digit thumbprint")
	}
	data, err := ReadInputFile("--cert", v, MaxCertFileSize)
	if err != nil {
		return "", err
	}
	if _, err := LoadCertificateBytes(data, v, password); err != nil && !errors.Is(err, ErrPFXPassword) {
		return "", inputErrPath("--cert", v, "%s", strings.TrimPrefix(strings.TrimPrefix(err.Error(), "certificate "), v+": "))
	}
	return v, nil
}

// validateCertName checks --cert-name: an FQDN.
func validateCertName(v string) (string, error) {
	h, err := ValidateHost(v)
	if err != nil {
		return "", err
	}
	if net.ParseIP(h) != nil || !strings.Contains(h, ".") {
		return "", errors.New("give the FQDN (certificates for Replica name the FQDN, not a short name or an IP address)")
	}
	return h, nil
}

// ValidateKDC checks a KDC as given to --kdc: HOST or HOST:PORT (88 by
// default), without a scheme. It returns HOST:PORT.
func ValidateKDC(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", errors.New("empty: give the KDC (domain controller) as HOST or HOST:PORT")
	}
	if strings.Contains(v, "://") {
		return "", errors.New("give HOST or HOST:PORT without a scheme (a KDC speaks Kerberos, not HTTP)")
	}
	host, port := v, "88"
	if h, p, err := net.SplitHostPort(v); err == nil {
		host, port = h, p
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return "", errors.New("the port must be between 1 and 65535")
		}
	}
	h, err := ValidateHost(host)
	if err != nil {
		return "", err
	}
	return net.JoinHostPort(h, port), nil
}

// ValidateRealm checks a Kerberos realm: ASCII letters, digits, '.', '-'
// and '_', at most 255 characters. It returns the realm in upper case.
func ValidateRealm(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", errors.New("empty: give a realm such as CONTOSO.COM")
	}
	if len(v) > 255 {
		return "", errors.New("longer than 255 characters: give a realm such as CONTOSO.COM")
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return "", errors.New("only ASCII letters, digits, '.', '-' and '_' are allowed: give a realm such as CONTOSO.COM")
		}
	}
	return strings.ToUpper(v), nil
}

// maxPrincipal bounds --principal and --ldap-user (AD's UPN limit is
// 1024; DNs rarely pass 200).
const maxPrincipal = 1024

// validatePrincipal checks user or user@REALM.
func validatePrincipal(v string) (string, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return "", errors.New("empty: give user or user@REALM")
	case len(v) > maxPrincipal:
		return "", fmt.Errorf("longer than %d bytes: give user or user@REALM", maxPrincipal)
	case hasControl(v) || strings.ContainsAny(v, " \t"):
		return "", errors.New("spaces or control characters: give user or user@REALM")
	case strings.Count(v, "@") > 1 || strings.HasPrefix(v, "@") || strings.HasSuffix(v, "@"):
		return "", errors.New("give user or user@REALM")
	}
	if i := strings.LastIndex(v, "@"); i >= 0 {
		if _, err := ValidateRealm(v[i+1:]); err != nil {
			return "", errors.New("the realm after @ " + strings.TrimPrefix(err.Error(), "only "))
		}
	}
	return v, nil
}

// validateKeytab reads --keytab (bounded) and decodes it.
func validateKeytab(v string) (string, error) {
	data, err := ReadInputFile("--keytab", v, MaxKeytabSize)
	if err != nil {
		return "", err
	}
	if err := decodeKeytab(data); err != nil {
		return "", inputErrPath("--keytab", v, "not a keytab file")
	}
	return v, nil
}

// decodeKeytab checks that data decodes as a keytab.
func decodeKeytab(data []byte) error {
	return decodeKeytabInto(keytab.New(), data)
}

// decodeKeytabInto decodes a keytab into kt, turning a decoder panic into
// an error.
func decodeKeytabInto(kt *keytab.Keytab, data []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot decode: %v", r)
		}
	}()
	return kt.Unmarshal(data[:len(data):len(data)])
}

// validateCCache checks --ccache: a credential cache file (FILE: prefix
// allowed); other cache types are not readable here.
func validateCCache(v string) (string, error) {
	p, err := ccachePath(v)
	if err != nil {
		return "", err
	}
	data, err := ReadInputFile("--ccache", p, MaxCCacheSize)
	if err != nil {
		var ie *InputError
		if errors.As(err, &ie) && strings.HasPrefix(ie.Problem, "no such file") {
			ie.Problem += " (run kinit first)"
		}
		return "", err
	}
	if _, err := decodeCCache(data); err != nil {
		return "", inputErrPath("--ccache", p, "not a Kerberos credential cache (%s)", err)
	}
	return p, nil
}

// ccachePath strips the FILE: prefix of a cache name; other types (KCM:,
// KEYRING:, DIR:, MEMORY:, API:) cannot be read as a file.
func ccachePath(v string) (string, error) {
	if rest, ok := strings.CutPrefix(v, "FILE:"); ok {
		v = rest
	} else if i := strings.Index(v, ":"); i > 1 && strings.ToUpper(v[:i]) == v[:i] && !strings.ContainsAny(v[:i], `/\`) {
		return "", fmt.Errorf("%s: caches are not readable here: give a FILE: cache (kinit -c FILE:/tmp/krb5cc_hvr)", v[:i])
	}
	if v == "" {
		return "", errors.New("empty: give a credential cache file")
	}
	return v, nil
}

// decodeCCache decodes a credential cache, turning a decoder panic into an
// error.
func decodeCCache(data []byte) (cc *credentials.CCache, err error) {
	defer func() {
		if r := recover(); r != nil {
			cc, err = nil, fmt.Errorf("cannot decode: %v", r)
		}
	}()
	// gokrb5 slices past len(data) up to its capacity (b[p:p+n] does not
	// panic there) and then trusts counts read from whatever memory lies
	// beyond: give it a slice whose capacity ends with the data.
	data = data[:len(data):len(data)]
	if err := checkCCacheShape(data); err != nil {
		return nil, err
	}
	cc = new(credentials.CCache)
	if err := cc.Unmarshal(data); err != nil {
		return nil, errors.New(oneLine(err.Error()))
	}
	return cc, nil
}

// ValidateLDAPURL checks --ldap: ldap://HOST[:PORT] or ldaps://HOST[:PORT],
// without credentials in the URL. It returns scheme://host[:port].
func ValidateLDAPURL(v string) (string, error) {
	s := strings.TrimSpace(v)
	if s == "" {
		return "", errors.New("empty: give ldap://HOST[:PORT] or ldaps://HOST[:PORT]")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "ldap" && u.Scheme != "ldaps") {
		return "", errors.New("give ldap://HOST[:PORT] or ldaps://HOST[:PORT]")
	}
	if u.User != nil {
		return "", errors.New("no account in the URL: give the account with --ldap-user and the password with --password-stdin")
	}
	if _, err := ValidateHost(u.Hostname()); err != nil {
		return "", fmt.Errorf("host: %s", err)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", errors.New("give ldap://HOST[:PORT] without a path: the base DN is read from the directory")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", errors.New("the port must be between 1 and 65535")
		}
	}
	return u.Scheme + "://" + u.Host, nil
}

// validateLDAPUser checks --ldap-user: a DN or user@domain.
func validateLDAPUser(v string) (string, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return "", errors.New("empty: give a DN or user@domain")
	case len(v) > maxPrincipal:
		return "", fmt.Errorf("longer than %d bytes: give a DN or user@domain", maxPrincipal)
	case hasControl(v) || !utf8.ValidString(v):
		return "", errors.New("control characters: give a DN or user@domain")
	}
	return v, nil
}
