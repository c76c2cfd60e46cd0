// Package probes holds the wizard's checks against a replica server
// (name resolution, TCP reach, listener, proxy, HTTPS inspection, Kerberos
// SPN, certificates), the plan that orders them, and the knowledge behind
// them: what each Windows error code means for Hyper-V Replica and the exact
// fix commands. It has no UI imports.
package probes
