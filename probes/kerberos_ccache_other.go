//go:build !windows

package probes

import (
	"fmt"
	"os"
)

// defaultCCache is the credential cache MIT tools use: KRB5CCNAME, else
// /tmp/krb5cc_UID.
func defaultCCache() (string, string) {
	if v := os.Getenv("KRB5CCNAME"); v != "" {
		return v, "KRB5CCNAME"
	}
	return fmt.Sprintf("/tmp/krb5cc_%d", os.Getuid()), "the default cache"
}
