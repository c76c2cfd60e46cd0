//go:build windows

package probes

import (
	"os"
	"path/filepath"
)

// defaultCCache on Windows: KRB5CCNAME when set (MIT Kerberos for
// Windows); the logon session's tickets (LSA) are not readable as a file,
// so the SPN check falls back to setspn there.
func defaultCCache() (string, string) {
	if v := os.Getenv("KRB5CCNAME"); v != "" {
		return v, "KRB5CCNAME"
	}
	// Not a Windows default: Windows keeps logon tickets in the LSA, not
	// in a file; %TEMP%\krb5cc is only where hvrdoctor looks.
	return filepath.Join(os.TempDir(), "krb5cc"), "KRB5CCNAME is unset; Windows logon tickets are in the LSA, not a file"
}
