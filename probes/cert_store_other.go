//go:build !windows

package probes

import "fmt"

// loadFromStore is Windows-only: elsewhere a thumbprint cannot be looked up.
func loadFromStore(thumb string) (*LoadedCert, error) {
	return nil, fmt.Errorf("certificate %s: a thumbprint is looked up in LocalMachine\\My, which exists only on Windows; "+
		"export the certificate with its key to a PFX file and give its path", thumb)
}
