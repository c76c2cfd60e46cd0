package probes

// kerberosSteps are the Kerberos steps of the plan. None waits for the
// replica's listener: the KDC and the directory are separate hosts.
func kerberosSteps() []Step {
	return []Step{
		{Probe: SPNProbe{}},
		{Probe: LDAPSPNProbe{}},
		{Probe: ClockSkewProbe{}},
	}
}
