package hyperv

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// fixesFor returns the remedies for what fired on v, with v's values
// filled in and quoted for PowerShell (probes.PSQuote).
func fixesFor(v *VM) []Fix {
	if v.Health < LevelWarning && v.Forecast == nil {
		return nil
	}
	var out []Fix
	seen := map[string]bool{}
	add := func(f Fix) {
		if !seen[f.Command+f.Text] {
			seen[f.Command+f.Text] = true
			out = append(out, f)
		}
	}
	vm := probes.PSQuote(v.Name)
	primary := whereHost("the primary", v.PrimaryServer)
	if v.Relationship == "extended" {
		primary = whereHost("the extended relationship's primary (the first replica)", v.PrimaryServer)
	}
	fired := map[string]bool{}
	for _, r := range v.Rules {
		fired[r.ID] = true
	}
	kinds := map[string]bool{}
	for _, e := range v.Events {
		if info, ok := LookupEvent(e.ID); ok {
			kinds[info.Kind] = true
		}
	}
	if fired["resync-required"] {
		add(Fix{Text: "Resynchronize: Hyper-V requires it before changes can be sent again (it compares the disks; recovery points are deleted).",
			Command: "Resume-VMReplication -VMName " + vm + " -Resynchronize", Where: primary})
	}
	connection := kinds["connection"] || kinds["auth"] || kinds["enable"]
	if connection || fired["cannot-send"] || fired["no-replication-1h"] {
		add(Fix{Text: "Check the path to the replica server with hvrdoctor's checks (DNS, TCP, listener, proxy, " + checkWord(v.AuthType) + ").",
			Command: checkCommand(v), Where: primary})
		if v.ReplicaServer != "" {
			add(Fix{Text: "Confirm from the primary (success says the connection \"was successful\").", Command: testCommand(v), Where: primary})
		}
	}
	if fired["cannot-send"] || fired["suspended-event"] || fired["primary-paused"] {
		add(Fix{Text: "Resume replication once the cause is fixed.", Command: "Resume-VMReplication -VMName " + vm, Where: primary})
	}
	if fired["paused-on-replica"] {
		add(Fix{Text: "Resume replication on the replica.", Command: "Resume-VMReplication -VMName " + vm, Where: whereHost("the replica", v.ReplicaServer)})
	}
	if fired["initial-not-complete"] {
		add(Fix{Text: "Start (or finish) the initial replication.", Command: "Start-VMInitialReplication -VMName " + vm, Where: primary})
	}
	if fired["missed-cycles"] || fired["latency-over-5m"] {
		add(Fix{Text: "Cycles are missed or slow when the guest writes more than the link carries: run hvrdoctor inside the VM to find what writes, " +
			"and compare the replication size with the bandwidth.", Where: "inside the VM " + v.Name})
	}
	if kinds["apply"] {
		add(Fix{Text: "The replica could not apply the logs: check the free space and health of the replica's storage location.", Where: whereHost("the replica", v.ReplicaServer)})
	}
	if kinds["spn"] {
		add(Fix{Text: "vmms could not register its Kerberos SPNs: restart it to register them again (KB2761899 names the dynamic port range and service hardening as causes).",
			Command: "Restart-Service vmms", Where: "on the host that logged event 14050"})
	}
	if f := v.Forecast; f != nil && f.Near {
		add(Fix{Text: fmt.Sprintf("The pending changes are %.0f%% of the way to the 50%% of the disks that forces a resynchronization: restore replication first.", f.PercentOfThreshold),
			Where: primary})
	}
	return out
}

func whereHost(role, host string) string {
	if host == "" {
		return "on " + role
	}
	return "on " + role + " (" + host + ")"
}

// authWord is v's authentication as the cmdlets spell it, "" when the
// files do not say (the commands then show a placeholder, not a guess).
func authWord(auth string) string {
	switch {
	case strings.EqualFold(auth, "Certificate"):
		return "Certificate"
	case strings.EqualFold(auth, "Kerberos"):
		return "Kerberos"
	}
	return ""
}

// checkWord names the wizard's authentication checks for a fix's text.
func checkWord(auth string) string {
	if w := authWord(auth); w != "" {
		return strings.ToLower(w)
	}
	return "Kerberos or certificate"
}

// checkCommand is `hvrdoctor check` for v's replica, port and
// authentication.
func checkCommand(v *VM) string {
	replica := "<replica>"
	if v.ReplicaServer != "" {
		replica = probes.PSQuote(v.ReplicaServer)
	}
	cmd := "hvrdoctor check --replica " + replica
	if v.ReplicaPort > 0 {
		cmd += " --port " + strconv.Itoa(v.ReplicaPort)
	}
	if w := authWord(v.AuthType); w != "" {
		cmd += " --auth " + strings.ToLower(w)
	} else {
		cmd += " --auth <kerberos|certificate>"
	}
	if v.Name != "" {
		cmd += " --vm " + probes.PSQuote(v.Name)
	}
	if v.BypassProxy {
		cmd += " --bypass-proxy"
	}
	return cmd
}

// testCommand is Test-VMReplicationConnection for v.
func testCommand(v *VM) string {
	// A port or authentication the files do not give stays a
	// placeholder: the defaults (80, 443) are often changed (25000 in
	// Microsoft's own example).
	port := "<port>"
	if v.ReplicaPort > 0 {
		port = strconv.Itoa(v.ReplicaPort)
	}
	auth := authWord(v.AuthType)
	if auth == "" {
		auth = "<Kerberos|Certificate>"
	}
	cmd := fmt.Sprintf("Test-VMReplicationConnection %s %s %s", probes.PSQuote(v.ReplicaServer), port, auth)
	if strings.EqualFold(v.AuthType, "Certificate") {
		th := "<THUMBPRINT>"
		if v.Thumbprint != "" {
			th = probes.PSQuote(v.Thumbprint)
		}
		cmd += " " + th
	}
	if v.BypassProxy {
		cmd += " -BypassProxyServer $true"
	}
	return cmd
}
