package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

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

// addAuthFlags adds the Kerberos and certificate flags of `hvrdoctor check`
// to fs, recording what was typed in tf.in (probes.TargetInput validates
// it, naming the flag). Secrets are never taken on the command line:
// --cert-password-stdin and --password-stdin read one line each from stdin
// (in flag order; without echo when stdin is a terminal), and
// finishAuthFlags prompts without echo when one is needed and stdin is a
// terminal.
func addAuthFlags(fs *flag.FlagSet, tf *targetFlags) {
	in := &tf.in
	tf.str(&in.CertSource, "cert", "certificate replication uses: a PEM, DER (.cer) or PFX file, or on Windows a thumbprint in LocalMachine\\My")
	fs.BoolFunc("cert-password-stdin", "read the PFX password from the first line of stdin", func(string) error {
		pw, err := readSecretFlag("PFX password: ")
		if err != nil && tf.err == nil {
			tf.err = fmt.Errorf("--cert-password-stdin: %w", err)
		}
		in.CertPassword = pw
		return nil
	})
	tf.str(&in.CertName, "cert-name", "FQDN the certificate must name, as the peer uses it (default: this computer's name when the system knows it as an FQDN; never looked up)")
	tf.str(&in.CABundle, "ca", "PEM file of the roots the peer trusts (default: this system's trusted roots)")
	tf.str(&in.KDC, "kdc", "Kerberos KDC (domain controller) HOST[:PORT], port 88 by default")
	tf.str(&in.Realm, "realm", "Kerberos realm, the AD domain in upper case (default: from the replica's FQDN)")
	tf.str(&in.Keytab, "keytab", "keytab file with the key of --principal (or of its first entry)")
	tf.str(&in.Principal, "principal", "Kerberos account to ask tickets as: user or user@REALM (with --keytab, or a password)")
	fs.BoolFunc("password-stdin", "read the password of --principal (or --ldap-user) from the first line of stdin", func(string) error {
		pw, err := readSecretFlag("Password: ")
		if err != nil && tf.err == nil {
			tf.err = fmt.Errorf("--password-stdin: %w", err)
		}
		in.Password = pw
		return nil
	})
	tf.str(&in.CCache, "ccache", "Kerberos credential cache file (default: KRB5CCNAME, then /tmp/krb5cc_UID)")
	tf.str(&in.LDAPURL, "ldap", "directory to search for the SPNs: ldaps://DC[:636] (or ldap:// for an anonymous or StartTLS search)")
	tf.str(&in.LDAPUser, "ldap-user", "account for the LDAP simple bind: a DN or user@domain (default: --principal; anonymous without either)")
}

// readSecretFlag reads a *-stdin secret: one line of stdin, typed without
// echo when stdin is a terminal.
func readSecretFlag(prompt string) (string, error) {
	if authTerminal != nil && authStdin == io.Reader(os.Stdin) {
		return promptSecret(authTerminal, os.Stderr, prompt)
	}
	return readSecretLine(authStdin)
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
		if data, err := probes.ReadInputFile("--cert", t.CertSource, probes.MaxCertFileSize); err == nil && probes.PFXNeedsPassword(data) {
			pw, err := promptSecret(stdin, stderr, fmt.Sprintf("Password for %s: ", probes.ShowValue(t.CertSource)))
			if err != nil {
				return fmt.Errorf("--cert %s: %w", probes.ShowValue(t.CertSource), err)
			}
			t.CertPassword = pw
		}
	}
	who := t.LDAPBindDN
	if who == "" && t.Keytab == "" && t.CCache == "" {
		who = t.Principal
	}
	if who != "" && t.Password == "" {
		pw, err := promptSecret(stdin, stderr, fmt.Sprintf("Password for %s: ", probes.ShowValue(who)))
		if err != nil {
			return fmt.Errorf("password for %s: %w", probes.ShowValue(who), err)
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
