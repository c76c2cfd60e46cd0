package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// readSecret reads a *-stdin secret: one line of stdin, typed without
// echo when stdin is a terminal.
func (e *Env) readSecret(prompt string) (string, error) {
	if e.Terminal != nil {
		return promptSecret(e.Terminal, e.Stderr, prompt)
	}
	return readSecretLine(e.Stdin)
}

// finishAuthFlags runs after the flags are parsed: it asks for the secrets
// that are needed but were not given on stdin, without echo, when stdin is
// a terminal (a PFX that does not open without a password; a --principal
// or --ldap-user without --keytab or a credential cache). Without a terminal, the probes report what is missing
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
