package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
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
}

// addTargetFlags adds --replica, --port, --auth, --proxy, --bypass-proxy,
// --timeout, --vm and the authentication flags (addAuthFlags) to fs,
// filling t (a new Target when nil).
func addTargetFlags(fs *flag.FlagSet, t *probes.Target, replicaUsage string) *targetFlags {
	if t == nil {
		t = &probes.Target{}
	}
	tf := &targetFlags{t: t, fs: fs}
	tf.str(&tf.in.Replica, "replica", replicaUsage)
	tf.str(&tf.in.PortText, "port", "replica listener port (default 80 for kerberos, 443 for certificate)")
	tf.str(&tf.in.Auth, "auth", "authentication type: kerberos (default) or certificate")
	tf.str(&tf.in.ProxyURL, "proxy", "forward proxy http://HOST:PORT (default: HTTP(S)_PROXY, then the WinHTTP machine proxy)")
	fs.BoolVar(&tf.in.BypassProxy, "bypass-proxy", false, "check as with Enable-VMReplication -BypassProxyServer $true")
	tf.str(&tf.in.TimeoutText, "timeout", "timeout of each network operation, up to 10m (default 5s)")
	tf.str(&tf.in.VMName, "vm", "VM name to put in fix commands (default <VM>)")
	addAuthFlags(fs, tf)
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

// fields are the flags as the wizard form's starting values. A password in
// the proxy URL is not shown (the form parser puts it back).
func (tf *targetFlags) fields() tui.TargetFields {
	g := tf.given()
	f := tui.TargetFields{Replica: tf.in.Replica, Proxy: probes.RedactURL(tf.in.ProxyURL), Cert: tf.in.CertSource,
		KDC: tf.in.KDC, Realm: tf.in.Realm, VM: tf.in.VMName, Bypass: "no"}
	if g["port"] {
		f.Port = tf.in.PortText
	}
	if g["auth"] {
		f.Auth = tf.in.Auth
	}
	if tf.in.BypassProxy {
		f.Bypass = "yes"
	}
	return f
}

// formParser validates the wizard form with the same flag definitions as
// `check`: the form's fields become flags, parsed onto a copy of base (the
// target from the command line, which keeps the keytab, principal,
// password, CA file and the other settings the form does not show).
// proxy is --proxy as given: the form shows it without its password and
// gets it back here when the field was not changed.
func formParser(base probes.Target, timeout time.Duration, proxy string) func(tui.TargetFields) (*probes.Target, error) {
	return func(v tui.TargetFields) (*probes.Target, error) {
		if proxy != "" && strings.TrimSpace(v.Proxy) == probes.RedactURL(proxy) {
			v.Proxy = proxy
		}
		args, err := v.Args()
		if err != nil {
			return nil, err
		}
		t := base
		cert := strings.TrimSpace(v.Cert)
		if cert != base.CertSource {
			t.CertPassword = ""
		}
		t.CertSource, t.KDC, t.Realm = "", "", ""
		fs := flag.NewFlagSet("wizard", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		tf := addTargetFlags(fs, &t, "")
		if err := fs.Parse(args); err != nil {
			return nil, errors.New(flagErrorLine(err))
		}
		tf.in.Timeout = timeout
		if err := tf.apply(); err != nil {
			return nil, err
		}
		// A PFX that needs a password would prompt on the terminal the UI
		// is drawing on: ask for a restart with the flag instead.
		if cert != "" && t.CertPassword == "" {
			if data, err := probes.ReadInputFile("--cert", cert, probes.MaxCertFileSize); err == nil && probes.PFXNeedsPassword(data) {
				return nil, fmt.Errorf("--cert %s: the PFX needs its password: quit and start hvrdoctor with --cert and --cert-password-stdin, or at a terminal to be asked for it", probes.ShowValue(cert))
			}
		}
		return tf.t, nil
	}
}
