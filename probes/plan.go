package probes

// Step IDs of part 1, in plan order. Part 2's steps (authSteps) follow.
const (
	IDDNS              = "dns"
	IDTCP              = "tcp"
	IDListener         = "listener"
	IDProxyPath        = "proxy-path"
	IDProxyLargeUpload = "proxy-large-upload"
	IDHTTPSInspection  = "https-inspection"
)

// Plan returns the ordered decision tree for t: name resolution, TCP reach,
// listener, proxy in the path, proxy large upload (Kerberos), HTTPS
// inspection (certificate), then the authentication steps. Steps that do
// not apply to t.Auth are left out. Needs name the steps that must pass or
// warn first; steps with no unmet needs run concurrently.
func Plan(t *Target) []Step {
	all := []Step{
		{Probe: DNSProbe{}},
		{Probe: TCPProbe{}, Needs: []string{IDDNS}},
		{Probe: ListenerProbe{}, Needs: []string{IDTCP}},
		{Probe: ProxyPathProbe{}},
		{Probe: LargeUploadProbe{}, Needs: []string{IDProxyPath, IDListener}},
		{Probe: InspectionProbe{}, Needs: []string{IDProxyPath, IDListener}},
	}
	all = append(all, authSteps(t)...)
	out := make([]Step, 0, len(all))
	for _, s := range all {
		if s.Probe != nil && s.Probe.AppliesTo(t.Auth) {
			out = append(out, s)
		}
	}
	return out
}

// StepByID returns the step with the given probe ID.
func StepByID(steps []Step, id string) (Step, bool) {
	for _, s := range steps {
		if s.Probe.ID() == id {
			return s, true
		}
	}
	return Step{}, false
}
