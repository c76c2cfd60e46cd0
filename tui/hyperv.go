package tui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// VMReplication is one VM's replication relationship as Get-VMReplication
// reports it on a Hyper-V host: where the VM replicates to and how.
type VMReplication struct {
	VMName, State, Health, Mode  string
	PrimaryServer, ReplicaServer string
	ReplicaPort                  int
	// AuthType is "Kerberos", "Certificate" or "CertificateAndKerberos"
	// as the cmdlet prints it; "" when the output gave a number.
	AuthType     string
	FrequencySec int
	Thumbprint   string
	BypassProxy  bool
}

// vmReplicationScript is what the Windows reader runs through PowerShell.
// It emits the cmdlet's documented column names (VMName State Health Mode
// FrequencySec PrimaryServer ReplicaServer ReplicaPort AuthType) and the
// longer property names the objects may carry instead, with enums turned
// into their names, so ConvertTo-Json does not print them as numbers.
const vmReplicationScript = `Get-VMReplication | ForEach-Object { [pscustomobject]@{` +
	`VMName=$_.VMName; State="$($_.State)"; ReplicationState="$($_.ReplicationState)"; ` +
	`Health="$($_.Health)"; ReplicationHealth="$($_.ReplicationHealth)"; Mode="$($_.Mode)"; ReplicationMode="$($_.ReplicationMode)"; ` +
	`FrequencySec=$_.FrequencySec; ReplicationFrequencySec=$_.ReplicationFrequencySec; ` +
	`PrimaryServer=$_.PrimaryServer; PrimaryServerName=$_.PrimaryServerName; ` +
	`ReplicaServer=$_.ReplicaServer; ReplicaServerName=$_.ReplicaServerName; ` +
	`ReplicaPort=$_.ReplicaPort; ReplicaServerPort=$_.ReplicaServerPort; ` +
	`AuthType="$($_.AuthType)"; AuthenticationType="$($_.AuthenticationType)"; ` +
	`CertificateThumbprint=$_.CertificateThumbprint; BypassProxyServer=$_.BypassProxyServer } } | ConvertTo-Json -Compress`

// ParseVMReplicationJSON reads the JSON of `Get-VMReplication |
// ConvertTo-Json` (or of vmReplicationScript): one object for one VM, an
// array for several, nothing when no VM replicates. Property names are
// matched without regard to case, by the cmdlet's column name or the
// longer property name. Enums printed as numbers leave the field empty
// rather than guess their meaning.
func ParseVMReplicationJSON(data []byte) ([]VMReplication, error) {
	data = bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(data) == 0 {
		return nil, nil
	}
	var objs []map[string]any
	switch data[0] {
	case '[':
		if err := json.Unmarshal(data, &objs); err != nil {
			return nil, fmt.Errorf("Get-VMReplication output: %w", err)
		}
	case '{':
		var one map[string]any
		if err := json.Unmarshal(data, &one); err != nil {
			return nil, fmt.Errorf("Get-VMReplication output: %w", err)
		}
		objs = append(objs, one)
	default:
		line, _, _ := strings.Cut(string(data), "\n")
		return nil, fmt.Errorf("Get-VMReplication output is not JSON: %q", strings.TrimSpace(line))
	}
	var out []VMReplication
	for _, o := range objs {
		if o == nil {
			continue
		}
		get := lookup(o)
		v := VMReplication{
			VMName:        get.str("VMName", "Name"),
			State:         get.str("State", "ReplicationState"),
			Health:        get.str("Health", "ReplicationHealth"),
			Mode:          get.str("Mode", "ReplicationMode"),
			PrimaryServer: get.str("PrimaryServer", "PrimaryServerName"),
			ReplicaServer: get.str("ReplicaServer", "ReplicaServerName"),
			ReplicaPort:   get.num("ReplicaPort", "ReplicaServerPort"),
			AuthType:      get.str("AuthType", "AuthenticationType"),
			FrequencySec:  get.num("FrequencySec", "ReplicationFrequencySec"),
			Thumbprint:    get.str("CertificateThumbprint", "Thumbprint"),
			BypassProxy:   get.boolean("BypassProxyServer", "BypassProxy"),
		}
		if v.VMName == "" && v.ReplicaServer == "" {
			continue
		}
		out = append(out, v)
	}
	if len(out) == 0 && len(objs) > 0 {
		return nil, errors.New("Get-VMReplication output has no VMName or ReplicaServer properties")
	}
	return out, nil
}

// lookup finds JSON properties without regard to case.
type lookup map[string]any

func (l lookup) raw(names ...string) any {
	for _, n := range names {
		for k, v := range l {
			if strings.EqualFold(k, n) && v != nil {
				if s, ok := v.(string); ok && s == "" {
					continue
				}
				return v
			}
		}
	}
	return nil
}

// str returns a string property; numbers (unnamed enums) give "".
func (l lookup) str(names ...string) string {
	if s, ok := l.raw(names...).(string); ok {
		return strings.TrimSpace(s)
	}
	return ""
}

// num returns a whole-number property given as a number or a string.
func (l lookup) num(names ...string) int {
	switch v := l.raw(names...).(type) {
	case float64:
		if v >= 0 && v <= math.MaxInt32 && v == math.Trunc(v) {
			return int(v)
		}
	case string:
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
			return n
		}
	}
	return 0
}

func (l lookup) boolean(names ...string) bool {
	switch v := l.raw(names...).(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "true")
	}
	return false
}

// Fields turns the relationship into the wizard form's values: the replica
// server, its port, the authentication type and the proxy bypass, with the
// VM's name for the fix commands.
func (v VMReplication) Fields() TargetFields {
	f := TargetFields{Replica: v.ReplicaServer, VM: v.VMName, Bypass: "no"}
	if v.ReplicaPort > 0 {
		f.Port = strconv.Itoa(v.ReplicaPort)
	}
	switch strings.ToLower(v.AuthType) {
	case "certificate":
		f.Auth = "certificate"
	case "kerberos", "":
		f.Auth = "kerberos"
	default:
		// CertificateAndKerberos is a replica server setting; a VM's
		// relationship uses one of the two. Check Kerberos first.
		f.Auth = "kerberos"
	}
	if v.Thumbprint != "" && f.Auth == "certificate" {
		f.Cert = v.Thumbprint
	}
	if v.BypassProxy {
		f.Bypass = "yes"
	}
	return f
}

// Describe is the VM's line in the picker.
func (v VMReplication) Describe() string {
	port := ""
	if v.ReplicaPort > 0 {
		port = ":" + strconv.Itoa(v.ReplicaPort)
	}
	s := fmt.Sprintf("%s -> %s%s", v.VMName, v.ReplicaServer, port)
	var extra []string
	for _, e := range []string{v.AuthType, v.Mode, v.State, v.Health} {
		if e != "" {
			extra = append(extra, e)
		}
	}
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	return s
}
