package cli

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/units"
	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
	"github.com/hvrdoctor/hvrdoctor/tui"
)

// The flag groups more than one command shares, each with its one
// validation: --interval (sampling), --rules, --files/--all-files, the
// churn analysis flags, and the target and authentication flags of check
// and the UI's wizard.

// checkInterval validates a sampling --interval (ui, record, serve).
func checkInterval(d time.Duration) error {
	if d < sampler.MinInterval || d > sampler.MaxInterval {
		return flagErrorf("--interval %s is out of range; use 250ms to 60s", d)
	}
	return nil
}

// loadRules is the default classifier with --rules added (none when path
// is empty).
func loadRules(path string) (*sampler.Classifier, error) {
	cls := sampler.DefaultClassifier()
	if path != "" {
		if err := cls.LoadRules(path); err != nil {
			return nil, flagErrorf("--rules: %s", flagErrorLine(err))
		}
	}
	return cls, nil
}

// Values of --files.
const (
	filesAuto = "auto"
	filesOn   = "on"
	filesOff  = "off"
)

// filesFlags are --files and --all-files: per-file activity, with one
// meaning for record, serve and the UI.
type filesFlags struct {
	mode string
	all  bool
}

// addFilesFlags defines --files (what: what the per-file bytes feed) and
// --all-files (allUsage: its usage, which names the command's verb).
func addFilesFlags(fs *flag.FlagSet, f *filesFlags, what, allUsage string) {
	fs.StringVar(&f.mode, "files", filesAuto, what+": auto (when a per-file backend can run), on (fail when none can) or off")
	fs.BoolVar(&f.all, "all-files", false, allUsage)
}

// validate checks --files.
func (f filesFlags) validate() error {
	switch f.mode {
	case filesAuto, filesOn, filesOff:
		return nil
	}
	return flagErrorf("--files %s is not auto, on or off", probes.ShowValue(f.mode))
}

// open opens the per-file backend unless --files is off (nil, nil, nil).
// When none can run, auto returns why as missing (the command goes on
// without per-file data) and on returns an error that says what to do.
func (f filesFlags) open(env *Env) (src fileio.Source, missing, err error) {
	if f.mode == filesOff {
		return nil, nil, nil
	}
	src, err = env.OpenFileSource(f.all)
	if err != nil {
		missing, err = f.unavailable(err)
		return nil, missing, err
	}
	return src, nil, nil
}

// unavailable is what a per-file backend that cannot run means under
// --files: the reason to note (auto) or the error to stop with (on).
func (f filesFlags) unavailable(why error) (missing, err error) {
	if f.mode == filesOn {
		return nil, fmt.Errorf("--files on: %v; run as root/Administrator, or use --files off", why)
	}
	return why, nil
}

// churnFlags are the churn analysis's flags, with the same meaning for
// analyze and for the live screens (ui).
type churnFlags struct {
	spikeFactor, compression, growth float64
	link                             string
	// diskSize is --disk-size: the guest's total disk size for the resync
	// forecast ("" for none given).
	diskSize string
}

// addChurnFlags defines --spike-factor, --compression, --growth, --link
// and --disk-size on fs.
func addChurnFlags(fs *flag.FlagSet, c *churnFlags) {
	fs.Float64Var(&c.spikeFactor, "spike-factor", 10, "flag minutes above this many times the baseline (median complete minute)")
	fs.Float64Var(&c.compression, "compression", 1, "compressed size / original size, 0 < R <= 1 (0.5: half the bytes cross the WAN; 1: no compression)")
	fs.Float64Var(&c.growth, "growth", 30, "churn growth to plan for, in percent (the planned bandwidth is the 95th-percentile cycle plus this)")
	fs.StringVar(&c.link, "link", "", "WAN link to check, e.g. 100Mbit, 1Gbit, 50MB/s")
	fs.StringVar(&c.diskSize, "disk-size", "", "the guest's total disk size for the resync forecast, such as 127GiB (127GiB,40GiB: disks added); analyze needs it (recordings do not carry it), ui reads this machine's whole disks without it")
}

// checkFloatFlag refuses NaN, infinite and negative values of a float flag
// with one line naming it.
func checkFloatFlag(name string, v float64) error {
	switch {
	case math.IsNaN(v), math.IsInf(v, 0):
		return fmt.Errorf("--%s %g: give a finite number", name, v)
	case v < 0:
		return fmt.Errorf("--%s %g: must not be negative", name, v)
	}
	return nil
}

// options checks the flags and returns them as analysis options; the error
// is one line naming the flag and what to give.
func (c churnFlags) options() (analysis.Options, error) {
	opt := analysis.Options{SpikeFactor: c.spikeFactor, Compression: c.compression, Growth: c.growth / 100, NoGrowth: c.growth == 0}
	for _, f := range []struct {
		name string
		v    float64
	}{{"spike-factor", c.spikeFactor}, {"compression", c.compression}, {"growth", c.growth}} {
		if err := checkFloatFlag(f.name, f.v); err != nil {
			return opt, err
		}
	}
	if c.compression <= 0 || c.compression > 1 {
		return opt, fmt.Errorf("--compression %g: use compressed size / original size, above 0 and at most 1 (0.5 = half the bytes cross the WAN)", c.compression)
	}
	if c.spikeFactor <= 1 {
		return opt, fmt.Errorf("--spike-factor %g: use a number above 1 (10 flags minutes over 10x the baseline)", c.spikeFactor)
	}
	if c.growth > 1000 {
		return opt, fmt.Errorf("--growth %g: give a percentage from 0 to 1000 (30 plans for 30%% more churn)", c.growth)
	}
	if c.link != "" {
		r, err := analysis.ParseLinkRate(c.link)
		if err != nil {
			return opt, fmt.Errorf("--%w", err)
		}
		opt.LinkRate = r
	}
	if c.diskSize != "" {
		n, err := parseDiskSize(c.diskSize)
		if err != nil {
			return opt, err
		}
		opt.DiskBytes, opt.DiskSource = n, "--disk-size"
	}
	return opt, nil
}

// parseDiskSize reads --disk-size: one size or a comma-separated list of
// disk sizes, added.
func parseDiskSize(s string) (int64, error) {
	var total float64
	for _, part := range strings.Split(s, ",") {
		n, err := units.ParseSize(part)
		if err != nil {
			return 0, fmt.Errorf("--disk-size: %v", err)
		}
		total += n
	}
	if total >= math.MaxInt64 {
		return 0, fmt.Errorf("--disk-size %q: too large; give the total of the guest's disks, such as 127GiB", s)
	}
	return int64(total), nil
}

// parseInterspersed parses flags that may come before or after the inputs.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// targetFlags are the flags that name a replica server and how to reach it:
// `hvrdoctor check` requires them, the UI's wizard takes them as its
// form's starting values and validates the form with them too. The flags
// only collect what was typed; probes.TargetInput validates it (the one
// validator of flags, form and explain), so every error names its flag.
type targetFlags struct {
	env *Env // stdin and the terminal for the *-stdin flags
	in  probes.TargetInput
	t   *probes.Target
	fs  *flag.FlagSet
	// err is the first error of a flag that reads stdin while parsing
	// (--password-stdin, --cert-password-stdin), reported by apply.
	err error
	// owns holds the names of the flags added here.
	owns map[string]bool
}

// addTargetFlags adds --replica, --port, --auth, --proxy, --bypass-proxy,
// --timeout, --vm and the authentication flags (addAuthFlags) to fs,
// filling t (a new Target when nil).
func addTargetFlags(env *Env, fs *flag.FlagSet, t *probes.Target, replicaUsage string) *targetFlags {
	if t == nil {
		t = &probes.Target{}
	}
	tf := &targetFlags{env: env, t: t, fs: fs}
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
	tf.addAuthFlags()
	tf.owns = map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) {
		if !before[f.Name] {
			tf.owns[f.Name] = true
		}
	})
	return tf
}

// addAuthFlags adds the Kerberos and certificate flags of `hvrdoctor
// check`, recording what was typed in tf.in (probes.TargetInput validates
// it, naming the flag). Secrets are never taken on the command line:
// --cert-password-stdin and --password-stdin read one line each from stdin
// (in flag order; without echo when stdin is a terminal), and
// finishAuthFlags prompts without echo when one is needed and stdin is a
// terminal.
func (tf *targetFlags) addAuthFlags() {
	tf.addCertFlags()
	tf.addKerberosFlags()
	tf.addLDAPFlags()
}

// addCertFlags adds the certificate flags: --cert, --cert-password-stdin,
// --cert-name, --ca.
func (tf *targetFlags) addCertFlags() {
	in := &tf.in
	tf.str(&in.CertSource, "cert", "certificate replication uses: a PEM, DER (.cer) or PFX file, or on Windows a thumbprint in LocalMachine\\My")
	tf.secret(&in.CertPassword, "cert-password-stdin", "read the PFX password from the first line of stdin", "PFX password: ")
	tf.str(&in.CertName, "cert-name", "FQDN the certificate must name, as the peer uses it (default: this computer's name when the system knows it as an FQDN; never looked up)")
	tf.str(&in.CABundle, "ca", "PEM file of the roots the peer trusts (default: this system's trusted roots)")
}

// addKerberosFlags adds --kdc, --realm, --keytab, --principal,
// --password-stdin and --ccache.
func (tf *targetFlags) addKerberosFlags() {
	in := &tf.in
	tf.str(&in.KDC, "kdc", "Kerberos KDC (domain controller) HOST[:PORT], port 88 by default")
	tf.str(&in.Realm, "realm", "Kerberos realm, the AD domain in upper case (default: from the replica's FQDN)")
	tf.str(&in.Keytab, "keytab", "keytab file with the key of --principal (or of its first entry)")
	tf.str(&in.Principal, "principal", "Kerberos account to ask tickets as: user or user@REALM (with --keytab, or a password)")
	tf.secret(&in.Password, "password-stdin", "read the password of --principal (or --ldap-user) from the first line of stdin", "Password: ")
	tf.str(&in.CCache, "ccache", "Kerberos credential cache file (default: KRB5CCNAME, then /tmp/krb5cc_UID)")
}

// addLDAPFlags adds --ldap and --ldap-user.
func (tf *targetFlags) addLDAPFlags() {
	in := &tf.in
	tf.str(&in.LDAPURL, "ldap", "directory to search for the SPNs: ldaps://DC[:636] (or ldap:// for an anonymous or StartTLS search)")
	tf.str(&in.LDAPUser, "ldap-user", "account for the LDAP simple bind: a DN or user@domain (default: --principal; anonymous without either)")
}

// secret adds a *-stdin flag that reads *p as it is parsed (readSecret);
// the first such error is reported by apply or validate.
func (tf *targetFlags) secret(p *string, name, usage, prompt string) {
	tf.fs.BoolFunc(name, usage, func(string) error {
		pw, err := tf.env.readSecret(prompt)
		if err != nil && tf.err == nil {
			tf.err = fmt.Errorf("--%s: %w", name, err)
		}
		*p = pw
		return nil
	})
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
