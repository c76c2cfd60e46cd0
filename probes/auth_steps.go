package probes

// authSteps returns the authentication-specific steps that follow the
// connectivity and proxy steps, with their prerequisites.
//
// Kerberos: the SPN checks talk to the KDC, the directory or setspn, not
// to the replica, so they do not wait for the replica's listener; the
// clock check needs the KDC or, failing that, the listener's Date header.
//
// Certificate: the rules each load the certificate (a certificate that
// cannot be loaded skips them); the mutual-TLS handshake needs the key and
// a listener that answers.
func authSteps(t *Target) []Step {
	var steps []Step
	steps = append(steps, kerberosSteps()...)
	for _, c := range CertificateChecks() {
		s := Step{Probe: c}
		switch c.ID() {
		case IDCertLoad:
		case IDCertMutualTLS:
			s.Needs = []string{IDCertLoad, IDCertPrivateKey, IDListener}
			// Through an inspecting proxy the handshake fails for that
			// reason: wait for the inspection step to say so.
			s.After = []string{IDHTTPSInspection}
		default:
			s.Needs = []string{IDCertLoad}
		}
		steps = append(steps, s)
	}
	return steps
}
