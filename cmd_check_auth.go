package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/jcmturner/gokrb5/v8/keytab"
	"golang.org/x/term"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// authStdin is where --cert-password-stdin and --password-stdin read from;
// tests replace it.
var authStdin io.Reader = os.Stdin

// authTerminal is stdin when it is a terminal (nil otherwise): the no-echo
// prompts read from it.
var authTerminal = func() *os.File {
	if term.IsTerminal(int(os.Stdin.Fd())) {
		return os.Stdin
	}
	return nil
}()

// certPrompted records that the PFX password was typed at the prompt.
var certPrompted bool

// addAuthFlags adds the Kerberos and certificate flags of `hvrdoctor check`
// to fs, filling t. Each flag is validated when it is parsed, so a bad value
// is a one-line usage error naming the flag. Secrets are never taken on the
// command line: --cert-password-stdin and --password-stdin read one line
// each from stdin (in flag order), and finishAuthFlags prompts without echo
// when one is needed and stdin is a terminal.
func addAuthFlags(fs *flag.FlagSet, t *probes.Target) {
	fs.Func("cert", "certificate replication uses: a PEM, DER (.cer) or PFX file, or on Windows a thumbprint in LocalMachine\\My", func(v string) error {
		v = strings.TrimSpace(v)
		if v == "" {
			return errors.New("empty: give a certificate file or a thumbprint")
		}
		if _, err := os.Stat(v); err != nil {
			if probes.IsThumbprint(v) {
				t.CertSource = v
				return nil
			}
			return fmt.Errorf("%s: no such file, and not a 40-digit thumbprint", v)
		}
		_, err := probes.LoadCertificate(v, t.CertPassword)
		if err != nil && !errors.Is(err, probes.ErrPFXPassword) {
			return errors.New(strings.TrimPrefix(err.Error(), "certificate "))
		}
		t.CertSource = v
		if err != nil && t.CertPassword == "" && authTerminal != nil {
			// A PFX that needs a password, typed at a terminal: ask now,
			// without echo (--cert-password-stdin is for scripts).
			pw, perr := promptSecret(authTerminal, os.Stderr, fmt.Sprintf("Password for %s: ", v))
			if perr != nil {
				return fmt.Errorf("%s: reading the PFX password: %w", v, perr)
			}
			t.CertPassword, certPrompted = pw, true
		}
		return nil
	})
	fs.BoolFunc("cert-password-stdin", "read the PFX password from the first line of stdin", func(string) error {
		if certPrompted {
			return nil // already typed at the prompt
		}
		pw, err := readSecretLine(authStdin)
		if err != nil {
			return fmt.Errorf("reading the PFX password from stdin: %w", err)
		}
		t.CertPassword = pw
		return nil
	})
	fs.Func("cert-name", "FQDN the certificate must name (default: this computer's FQDN)", func(v string) error {
		h, err := probes.ValidateHost(v)
		if err != nil {
			return err
		}
		if net.ParseIP(h) != nil || !strings.Contains(h, ".") {
			return fmt.Errorf("%q: give the FQDN (certificates for Replica name the FQDN, not a short name or an IP address)", v)
		}
		t.CertName = h
		return nil
	})
	fs.Func("ca", "PEM file of the roots the peer trusts (default: this system's trusted roots)", func(v string) error {
		data, err := os.ReadFile(v)
		if err != nil {
			return fmt.Errorf("%s: %w", v, unwrapPath(err))
		}
		if !strings.Contains(string(data), "-----BEGIN CERTIFICATE-----") {
			if lc, err := probes.LoadCertificateBytes(data, v, ""); err != nil || lc == nil {
				return fmt.Errorf("%s: no PEM or DER certificate in the file", v)
			}
		}
		t.CABundle = v
		return nil
	})
	fs.Func("kdc", "Kerberos KDC (domain controller) HOST[:PORT], port 88 by default (default: from krb5.conf)", func(v string) error {
		host, port := v, "88"
		if h, p, err := net.SplitHostPort(v); err == nil {
			host, port = h, p
		}
		if _, err := probes.ValidateHost(host); err != nil {
			return fmt.Errorf("%q: %w", v, err)
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("%q: the port must be between 1 and 65535", v)
		}
		t.KDC = net.JoinHostPort(host, port)
		return nil
	})
	fs.Func("realm", "Kerberos realm, the AD domain in upper case (default: from the replica's FQDN or krb5.conf)", func(v string) error {
		v = strings.TrimSpace(v)
		if v == "" || strings.ContainsAny(v, " /@\\:") {
			return fmt.Errorf("%q: give a realm such as CONTOSO.COM", v)
		}
		t.Realm = strings.ToUpper(v)
		return nil
	})
	fs.Func("keytab", "keytab file with the key of --principal (or of its first entry)", func(v string) error {
		if _, err := os.Stat(v); err != nil {
			return fmt.Errorf("%s: %w", v, unwrapPath(err))
		}
		if _, err := keytab.Load(v); err != nil {
			return fmt.Errorf("%s: not a keytab file", v)
		}
		t.Keytab = v
		return nil
	})
	fs.Func("principal", "Kerberos account to ask tickets as: user or user@REALM (with --keytab, or a password)", func(v string) error {
		v = strings.TrimSpace(v)
		if v == "" || strings.ContainsAny(v, " \t") || strings.Count(v, "@") > 1 {
			return fmt.Errorf("%q: give user or user@REALM", v)
		}
		t.Principal = v
		return nil
	})
	fs.BoolFunc("password-stdin", "read the password of --principal (or --ldap-user) from the first line of stdin", func(string) error {
		pw, err := readSecretLine(authStdin)
		if err != nil {
			return fmt.Errorf("reading the password from stdin: %w", err)
		}
		t.Password = pw
		return nil
	})
	fs.Func("ccache", "Kerberos credential cache file (default: KRB5CCNAME, then /tmp/krb5cc_UID)", func(v string) error {
		p := strings.TrimPrefix(v, "FILE:")
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("%s: %w (run kinit first)", v, unwrapPath(err))
		}
		t.CCache = p
		return nil
	})
	fs.Func("ldap", "directory to search for the SPNs: ldap://DC[:389] or ldaps://DC[:636]", func(v string) error {
		u, err := url.Parse(strings.TrimSpace(v))
		if err != nil || (u.Scheme != "ldap" && u.Scheme != "ldaps") || u.Hostname() == "" {
			return fmt.Errorf("%q: give ldap://HOST[:PORT] or ldaps://HOST[:PORT]", v)
		}
		if p := u.Port(); p != "" {
			if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
				return fmt.Errorf("%q: the port must be between 1 and 65535", v)
			}
		}
		t.LDAPURL = u.Scheme + "://" + u.Host
		return nil
	})
	fs.Func("ldap-user", "account for the LDAP simple bind: a DN or user@domain (default: --principal; anonymous without either)", func(v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("empty: give a DN or user@domain")
		}
		t.LDAPBindDN = strings.TrimSpace(v)
		return nil
	})
}

// finishAuthFlags runs after the flags are parsed: it asks for the secrets
// that are needed but were not given on stdin, without echo, when stdin is
// a terminal (a PFX that does not open without a password, if --cert did
// not already ask; a --principal or --ldap-user without --keytab or a
// credential cache). Without a terminal, the probes report what is missing
// instead. The command that parses the flags (runCheck) must call it once
// the target is complete; a password prompt for --principal depends on it.
func finishAuthFlags(t *probes.Target, stdin *os.File, stderr io.Writer) error {
	if stdin == nil || !term.IsTerminal(int(stdin.Fd())) {
		return nil
	}
	if t.CertSource != "" && t.CertPassword == "" {
		if data, err := os.ReadFile(t.CertSource); err == nil && probes.PFXNeedsPassword(data) {
			pw, err := promptSecret(stdin, stderr, fmt.Sprintf("Password for %s: ", t.CertSource))
			if err != nil {
				return fmt.Errorf("--cert %s: %w", t.CertSource, err)
			}
			t.CertPassword = pw
		}
	}
	who := t.LDAPBindDN
	if who == "" && t.Keytab == "" && t.CCache == "" {
		who = t.Principal
	}
	if who != "" && t.Password == "" {
		pw, err := promptSecret(stdin, stderr, fmt.Sprintf("Password for %s: ", who))
		if err != nil {
			return fmt.Errorf("password for %s: %w", who, err)
		}
		t.Password = pw
	}
	return nil
}

// promptSecret reads a line from the terminal without echo.
func promptSecret(stdin *os.File, stderr io.Writer, prompt string) (string, error) {
	fmt.Fprint(stderr, prompt)
	b, err := term.ReadPassword(int(stdin.Fd()))
	fmt.Fprintln(stderr)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// readSecretLine reads one line (without its line ending) from r, one byte
// at a time so that a second *-stdin flag gets the next line.
func readSecretLine(r io.Reader) (string, error) {
	var line []byte
	buf := make([]byte, 1)
	for {
		n, err := r.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				break
			}
			line = append(line, buf[0])
			if len(line) > 4096 {
				return "", errors.New("line longer than 4096 bytes")
			}
		}
		if err == io.EOF {
			if len(line) == 0 {
				return "", errors.New("stdin is empty")
			}
			break
		}
		if err != nil {
			return "", err
		}
	}
	return strings.TrimSuffix(string(line), "\r"), nil
}

// unwrapPath drops the path from an *os.PathError (the message names it).
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
