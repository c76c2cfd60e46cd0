package probes

// authSteps returns the authentication-specific steps (Kerberos SPN,
// certificate checks) that follow the connectivity and proxy steps.
func authSteps(t *Target) []Step { return nil }
