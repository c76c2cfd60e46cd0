package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// FormBase is what the wizard's form keeps from the command line without
// showing it: the timeout, the proxy URL with its password (the form
// shows it without, probes.RedactURL), and the secrets given at start.
type FormBase struct {
	// Proxy is --proxy as given; when the form's field still shows it
	// redacted, the target gets it back whole.
	Proxy   string
	Timeout time.Duration
	// CertSource and CertPassword: the PFX password given at start
	// (--cert-password-stdin or the prompt), for that file only.
	CertSource, CertPassword string
	// PasswordFor and Password: the Kerberos or LDAP password given at
	// start (--password-stdin or the prompt), for that user only.
	PasswordFor, Password string
	// Env and WinHTTP detect the proxy for an empty field; nil = the
	// process environment and the machine's WinHTTP settings.
	Env     func(string) string
	WinHTTP func(context.Context) (probes.WinHTTPProxy, error)
}

// formSecrets are the passwords typed in the form's prompts (or given at
// start), by the file or user they open. They are never shown or written.
type formSecrets struct {
	cert map[string]string // PFX path -> password
	pass map[string]string // principal or LDAP user -> password
}

func newFormSecrets(b FormBase) formSecrets {
	s := formSecrets{cert: map[string]string{}, pass: map[string]string{}}
	if b.CertSource != "" && b.CertPassword != "" {
		s.cert[b.CertSource] = b.CertPassword
	}
	if b.PasswordFor != "" && b.Password != "" {
		s.pass[b.PasswordFor] = b.Password
	}
	return s
}

// clone copies the secrets for a validation in the background.
func (s formSecrets) clone() formSecrets {
	c := formSecrets{cert: make(map[string]string, len(s.cert)), pass: make(map[string]string, len(s.pass))}
	for k, v := range s.cert {
		c.cert[k] = v
	}
	for k, v := range s.pass {
		c.pass[k] = v
	}
	return c
}

// formCheckedMsg is the form's validation, done in the background
// (submit): the target, or the error, and a password still needed.
type formCheckedMsg struct {
	gen    int
	fields TargetFields
	target *probes.Target
	err    error
	need   secretPrompt
	needs  bool
}

// pfxCheckedMsg is whether pw opens the PFX at path (checkPFXPassword).
type pfxCheckedMsg struct {
	path, pw string
	err      error
}

// passwordUser is who a password is for: the LDAP user, else a principal
// that has neither keytab nor credential cache; "" when none is needed.
func passwordUser(v TargetFields) string {
	if u := strings.TrimSpace(v.LDAPUser); u != "" {
		return u
	}
	if strings.TrimSpace(v.Keytab) == "" && strings.TrimSpace(v.CCache) == "" {
		return strings.TrimSpace(v.Principal)
	}
	return ""
}

// Input is the form's values as the input of probes' one validator: an
// empty field is "not given" (the validator's defaults apply).
func (v TargetFields) Input() (probes.TargetInput, error) {
	in := probes.TargetInput{
		Replica: strings.TrimSpace(v.Replica), PortText: strings.TrimSpace(v.Port), Auth: strings.TrimSpace(v.Auth),
		ProxyURL: strings.TrimSpace(v.Proxy), VMName: strings.TrimSpace(v.VM),
		CABundle: strings.TrimSpace(v.CA), CertSource: strings.TrimSpace(v.Cert), CertName: strings.TrimSpace(v.CertName),
		KDC: strings.TrimSpace(v.KDC), Realm: strings.TrimSpace(v.Realm), Principal: strings.TrimSpace(v.Principal),
		Keytab: strings.TrimSpace(v.Keytab), CCache: strings.TrimSpace(v.CCache),
		LDAPURL: strings.TrimSpace(v.LDAP), LDAPUser: strings.TrimSpace(v.LDAPUser),
	}
	switch strings.ToLower(strings.TrimSpace(v.Bypass)) {
	case "", "no":
	case "yes":
		in.BypassProxy = true
	default:
		return in, fmt.Errorf("--bypass-proxy %q: choose yes or no", v.Bypass)
	}
	return in, nil
}

// ParseFields validates the form's values with probes.ParseTarget, the
// validator of the command line too: errors are one line naming the
// field's flag. base adds what the form does not show.
func ParseFields(base FormBase, v TargetFields) (*probes.Target, error) {
	return parseFields(base, v, newFormSecrets(base))
}

func parseFields(base FormBase, v TargetFields, s formSecrets) (*probes.Target, error) {
	in, err := v.Input()
	if err != nil {
		return nil, err
	}
	if base.Proxy != "" && in.ProxyURL == probes.RedactURL(base.Proxy) {
		in.ProxyURL = base.Proxy
	}
	in.Timeout, in.Env, in.WinHTTP = base.Timeout, base.Env, base.WinHTTP
	in.CertPassword = s.cert[in.CertSource]
	if who := passwordUser(v); who != "" {
		in.Password = s.pass[who]
	}
	return probes.ParseTarget(in)
}

// secretPrompt is what the form asks for before the checks can run: the
// password of a PFX file, or of a Kerberos principal or LDAP user.
type secretPrompt struct {
	// cert is the PFX file, or "" for a user's password (user).
	cert, user string
}

// label is the prompt's text.
func (s secretPrompt) label() string {
	if s.cert != "" {
		return "Password for " + probes.ShowPath(s.cert)
	}
	return "Password for " + probes.ShowValue(s.user)
}

// secretNeeded says which password the target still lacks: a PFX that
// does not open without one (or with the one given), then the password
// of a principal without keytab or ccache, or of the LDAP user. The
// certificate file is read bounded (probes.ReadInputFile).
func secretNeeded(t *probes.Target, v TargetFields) (secretPrompt, bool) {
	if t.CertSource != "" {
		if data, err := probes.ReadInputFile("--cert", t.CertSource, probes.MaxCertFileSize); err == nil && probes.PFXNeedsPassword(data) {
			if _, err := probes.LoadCertificateBytes(data, t.CertSource, t.CertPassword); errors.Is(err, probes.ErrPFXPassword) {
				return secretPrompt{cert: t.CertSource}, true
			}
		}
	}
	if who := passwordUser(v); who != "" && t.Password == "" {
		return secretPrompt{user: who}, true
	}
	return secretPrompt{}, false
}

// checkPFXPassword reports whether pw opens the PFX at path: nil when it
// does, probes.ErrPFXPassword when it does not, another error when the
// file cannot be read.
func checkPFXPassword(path, pw string) error {
	data, err := probes.ReadInputFile("--cert", path, probes.MaxCertFileSize)
	if err != nil {
		return err
	}
	_, err = probes.LoadCertificateBytes(data, path, pw)
	return err
}
