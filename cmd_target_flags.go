package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/tui"
)

// targetFlags are the flags that name a replica server and how to reach it:
// `hvrdoctor check` requires them, the UI's wizard takes them as its
// form's starting values and validates the form with them too.
type targetFlags struct {
	in probes.TargetInput
	t  *probes.Target
	fs *flag.FlagSet
}

// addTargetFlags adds --replica, --port, --auth, --proxy, --bypass-proxy,
// --timeout, --vm and the authentication flags (addAuthFlags) to fs,
// filling t (a new Target when nil).
func addTargetFlags(fs *flag.FlagSet, t *probes.Target, replicaUsage string) *targetFlags {
	if t == nil {
		t = &probes.Target{}
	}
	tf := &targetFlags{t: t, fs: fs}
	fs.StringVar(&tf.in.Replica, "replica", "", replicaUsage)
	fs.IntVar(&tf.in.Port, "port", 0, "replica listener port (default 80 for kerberos, 443 for certificate)")
	fs.StringVar(&tf.in.Auth, "auth", "kerberos", "authentication type: kerberos or certificate")
	fs.StringVar(&tf.in.ProxyURL, "proxy", "", "forward proxy http://HOST:PORT (default: HTTP(S)_PROXY, then the WinHTTP machine proxy)")
	fs.BoolVar(&tf.in.BypassProxy, "bypass-proxy", false, "check as with Enable-VMReplication -BypassProxyServer $true")
	fs.DurationVar(&tf.in.Timeout, "timeout", probes.DefaultTimeout, "timeout of each network operation")
	fs.StringVar(&tf.in.VMName, "vm", "", "VM name to put in fix commands (default <VM>)")
	addAuthFlags(fs, t)
	return tf
}

// given reports which flags were set on the command line.
func (tf *targetFlags) given() map[string]bool {
	g := map[string]bool{}
	tf.fs.Visit(func(f *flag.Flag) { g[f.Name] = true })
	return g
}

// apply validates the parsed flags and fills the target's connection
// fields. Errors are one line naming the flag.
func (tf *targetFlags) apply() error {
	if tf.given()["port"] && (tf.in.Port < 1 || tf.in.Port > 65535) {
		return fmt.Errorf("--port %d: must be between 1 and 65535 (Kerberos listens on 80, certificate on 443 by default)", tf.in.Port)
	}
	if tf.in.Timeout <= 0 {
		return fmt.Errorf("--timeout %s: must be positive, for example 5s", tf.in.Timeout)
	}
	return tf.in.ApplyTo(tf.t)
}

// fields are the flags as the wizard form's starting values.
func (tf *targetFlags) fields() tui.TargetFields {
	g := tf.given()
	f := tui.TargetFields{Replica: tf.in.Replica, Proxy: tf.in.ProxyURL, Cert: tf.t.CertSource,
		KDC: tf.t.KDC, Realm: tf.t.Realm, VM: tf.in.VMName, Bypass: "no"}
	if g["port"] {
		f.Port = strconv.Itoa(tf.in.Port)
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
func formParser(base probes.Target, timeout time.Duration) func(tui.TargetFields) (*probes.Target, error) {
	return func(v tui.TargetFields) (*probes.Target, error) {
		args, err := v.Args()
		if err != nil {
			return nil, err
		}
		t := base
		cert := strings.TrimSpace(v.Cert)
		if cert != base.CertSource {
			t.CertPassword = ""
		}
		// A PFX that needs a password would prompt on the terminal the UI
		// is drawing on: ask for a restart with the flag instead.
		if cert != "" && t.CertPassword == "" {
			if data, err := os.ReadFile(cert); err == nil && probes.PFXNeedsPassword(data) {
				return nil, fmt.Errorf("--cert %s: the PFX needs its password: quit and start hvrdoctor with --cert %s to be asked for it", cert, cert)
			}
		}
		t.CertSource, t.KDC, t.Realm = "", "", ""
		fs := flag.NewFlagSet("wizard", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		tf := addTargetFlags(fs, &t, "")
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		tf.in.Timeout = timeout
		if err := tf.apply(); err != nil {
			return nil, err
		}
		return tf.t, nil
	}
}
