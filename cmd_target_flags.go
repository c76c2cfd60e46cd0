package main

import (
	"errors"
	"flag"
	"strconv"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/tui"
)

// targetFlags are the flags that name a replica server and how to reach it:
// `hvrdoctor check` requires them, the UI's wizard takes them as its
// form's starting values and validates the form with them too. The flags
// only collect what was typed; probes.TargetInput validates it (the one
// validator of flags, form and explain), so every error names its flag.
type targetFlags struct {
	in probes.TargetInput
	t  *probes.Target
	fs *flag.FlagSet
	// err is the first error of a flag that reads stdin while parsing
	// (--password-stdin, --cert-password-stdin), reported by apply.
	err error
	// owns holds the names of the flags added here.
	owns map[string]bool
}

// addTargetFlags adds --replica, --port, --auth, --proxy, --bypass-proxy,
// --timeout, --vm and the authentication flags (addAuthFlags) to fs,
// filling t (a new Target when nil).
func addTargetFlags(fs *flag.FlagSet, t *probes.Target, replicaUsage string) *targetFlags {
	if t == nil {
		t = &probes.Target{}
	}
	tf := &targetFlags{t: t, fs: fs}
	before := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) { before[f.Name] = true })
	tf.str(&tf.in.Replica, "replica", replicaUsage)
	tf.str(&tf.in.PortText, "port", "replica listener port (default 80 for kerberos, 443 for certificate)")
	tf.str(&tf.in.Auth, "auth", "authentication type: kerberos (default) or certificate")
	tf.str(&tf.in.ProxyURL, "proxy", "forward proxy http://HOST:PORT (default: HTTP(S)_PROXY, then the WinHTTP machine proxy)")
	fs.BoolFunc("bypass-proxy", "check as with Enable-VMReplication -BypassProxyServer $true", func(v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("give true or false (or --bypass-proxy alone)")
		}
		tf.in.BypassProxy = b
		return nil
	})
	tf.str(&tf.in.TimeoutText, "timeout", "timeout of each network operation, up to 10m (default 5s)")
	tf.str(&tf.in.VMName, "vm", "VM name to put in fix commands (default <VM>)")
	addAuthFlags(fs, tf)
	tf.owns = map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) {
		if !before[f.Name] {
			tf.owns[f.Name] = true
		}
	})
	return tf
}

// str adds a string flag that only records what was typed.
func (tf *targetFlags) str(p *string, name, usage string) {
	tf.fs.Func(name, usage, func(v string) error {
		*p = v
		return nil
	})
}

// given reports which flags were set on the command line.
func (tf *targetFlags) given() map[string]bool {
	g := map[string]bool{}
	tf.fs.Visit(func(f *flag.Flag) { g[f.Name] = true })
	return g
}

// firstGiven names the first target or authentication flag given on the
// command line (in flag-set order), "" when none was.
func (tf *targetFlags) firstGiven() string {
	name := ""
	tf.fs.Visit(func(f *flag.Flag) {
		if name == "" && tf.owns[f.Name] {
			name = f.Name
		}
	})
	return name
}

// apply validates the parsed flags and fills the target. Errors are one
// line naming the flag.
func (tf *targetFlags) apply() error {
	if tf.err != nil {
		return tf.err
	}
	tf.in.Given = tf.given()
	return tf.in.ApplyTo(tf.t)
}

// validate checks every flag given without requiring --replica (the UI
// opens its form then) and fills the target's fields that were given.
func (tf *targetFlags) validate() error {
	if tf.err != nil {
		return tf.err
	}
	tf.in.Given = tf.given()
	return tf.in.ApplyGivenTo(tf.t)
}

// fields are the flags as the wizard form's starting values: every field
// the form has. A password in the proxy URL is not shown (FormBase puts
// it back).
func (tf *targetFlags) fields() tui.TargetFields {
	g := tf.given()
	in := tf.in
	f := tui.TargetFields{Replica: in.Replica, Proxy: probes.RedactURL(in.ProxyURL), VM: in.VMName, Bypass: "no",
		CA: in.CABundle, Cert: in.CertSource, CertName: in.CertName, KDC: in.KDC, Realm: in.Realm,
		Principal: in.Principal, Keytab: in.Keytab, CCache: in.CCache, LDAP: in.LDAPURL, LDAPUser: in.LDAPUser}
	if g["port"] {
		f.Port = in.PortText
	}
	if g["auth"] {
		f.Auth = in.Auth
	}
	if in.BypassProxy {
		f.Bypass = "yes"
	}
	return f
}

// formBase is what the wizard's form keeps from the command line without
// showing it: the timeout, --proxy with its password, and the passwords
// given at start (--cert-password-stdin, --password-stdin or the prompt)
// for the file or user they were given for.
func formBase(t probes.Target, timeout time.Duration, proxy string) tui.FormBase {
	who := t.LDAPBindDN
	if who == "" && t.Keytab == "" && t.CCache == "" {
		who = t.Principal
	}
	return tui.FormBase{Proxy: proxy, Timeout: timeout, CertSource: t.CertSource, CertPassword: t.CertPassword,
		PasswordFor: who, Password: t.Password}
}

// formParser validates the wizard form the way the UI does: the form's
// values become a probes.TargetInput for probes' one validator
// (tui.ParseFields), over formBase. No flag set is involved.
func formParser(base probes.Target, timeout time.Duration, proxy string) func(tui.TargetFields) (*probes.Target, error) {
	b := formBase(base, timeout, proxy)
	return func(v tui.TargetFields) (*probes.Target, error) { return tui.ParseFields(b, v) }
}
