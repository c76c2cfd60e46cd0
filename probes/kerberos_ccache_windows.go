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
	return filepath.Join(os.TempDir(), "krb5cc"), "the default cache"
}
