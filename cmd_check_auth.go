package main

import (
	"flag"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// addAuthFlags adds the Kerberos and certificate flags of `hvrdoctor check`
// (--cert, --ca, --kdc, --realm, --keytab, --ldap) to fs, filling t.
func addAuthFlags(fs *flag.FlagSet, t *probes.Target) {}
