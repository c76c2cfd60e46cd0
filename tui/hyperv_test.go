package tui

import (
	"strings"
	"testing"
)

// The fixtures are typed by hand from the documented output of
// Get-VMReplication (columns VMName State Health Mode FrequencySec
// PrimaryServer ReplicaServer ReplicaPort AuthType) as ConvertTo-Json
// prints objects: no Windows host was at hand to record them, and the
// reader's PowerShell command cannot run here.

// fixtureTwoVMs is the script's output for two VMs (an array, compressed).
const fixtureTwoVMs = `[{"VMName":"SQL01","State":"Replicating","ReplicationState":"","Health":"Normal","ReplicationHealth":"","Mode":"Primary","ReplicationMode":"","FrequencySec":300,"ReplicationFrequencySec":null,"PrimaryServer":"hv1.contoso.com","PrimaryServerName":null,"ReplicaServer":"replica1.contoso.com","ReplicaServerName":null,"ReplicaPort":80,"ReplicaServerPort":null,"AuthType":"Kerberos","AuthenticationType":"","CertificateThumbprint":null,"BypassProxyServer":false},
{"VMName":"FILE01","State":"Error","Health":"Critical","Mode":"Primary","FrequencySec":30,"PrimaryServer":"hv1.contoso.com","ReplicaServerName":"replica2.contoso.com","ReplicaServerPort":443,"AuthenticationType":"Certificate","CertificateThumbprint":"0123456789ABCDEF0123456789ABCDEF01234567","BypassProxyServer":true}]`

func TestParseVMReplicationJSON(t *testing.T) {
	vms, err := ParseVMReplicationJSON([]byte(fixtureTwoVMs))
	if err != nil {
		t.Fatal(err)
	}
	if len(vms) != 2 {
		t.Fatalf("%d VMs, want 2", len(vms))
	}
	a, b := vms[0], vms[1]
	if a.VMName != "SQL01" || a.ReplicaServer != "replica1.contoso.com" || a.ReplicaPort != 80 || a.AuthType != "Kerberos" ||
		a.State != "Replicating" || a.Health != "Normal" || a.Mode != "Primary" || a.FrequencySec != 300 || a.BypassProxy {
		t.Errorf("first VM: %+v", a)
	}
	// The longer property names are read when the short ones are absent.
	if b.ReplicaServer != "replica2.contoso.com" || b.ReplicaPort != 443 || b.AuthType != "Certificate" || !b.BypassProxy ||
		b.Thumbprint != "0123456789ABCDEF0123456789ABCDEF01234567" {
		t.Errorf("second VM: %+v", b)
	}
	if f := vmFields(b); f.Replica != "replica2.contoso.com" || f.Port != "443" || f.Auth != "certificate" || f.Bypass != "yes" ||
		f.Cert != b.Thumbprint || f.VM != "FILE01" {
		t.Errorf("second VM's form fields: %+v", f)
	}
	if d := a.Describe(); d != "SQL01 -> replica1.contoso.com:80 (Kerberos, Primary, Replicating, Normal)" {
		t.Errorf("describe: %q", d)
	}
}

// One VM: ConvertTo-Json prints an object, not an array. Windows
// PowerShell prints enums as numbers when they are not converted to
// names: the parser leaves those fields empty instead of guessing, and the
// form falls back to Kerberos.
func TestParseVMReplicationJSONOneObjectAndNumericEnums(t *testing.T) {
	one := "\xef\xbb\xbf{\r\n    \"VMName\":  \"WEB 01\",\r\n    \"State\":  3,\r\n    \"Health\":  1,\r\n    \"Mode\":  1,\r\n" +
		"    \"FrequencySec\":  900,\r\n    \"PrimaryServer\":  \"hv1\",\r\n    \"ReplicaServer\":  \"replica3\",\r\n" +
		"    \"ReplicaPort\":  \"25000\",\r\n    \"AuthType\":  1\r\n}\r\n"
	vms, err := ParseVMReplicationJSON([]byte(one))
	if err != nil {
		t.Fatal(err)
	}
	if len(vms) != 1 || vms[0].VMName != "WEB 01" || vms[0].ReplicaPort != 25000 || vms[0].AuthType != "" || vms[0].State != "" {
		t.Fatalf("one VM: %+v", vms)
	}
	if f := vmFields(vms[0]); f.Auth != "kerberos" || f.Port != "25000" || f.Replica != "replica3" {
		t.Errorf("fields: %+v", f)
	}
}

func TestParseVMReplicationJSONEmptyAndBad(t *testing.T) {
	for _, in := range []string{"", "  \r\n", "\xef\xbb\xbf"} {
		vms, err := ParseVMReplicationJSON([]byte(in))
		if err != nil || len(vms) != 0 {
			t.Errorf("%q: %v %v, want nothing (no VM replicates)", in, vms, err)
		}
	}
	for _, in := range []string{
		"Get-VMReplication : The term 'Get-VMReplication' is not recognized",
		`[{"VMName": "x"`,
		`{"Foo": 1}`,
		`[1, 2]`,
	} {
		vms, err := ParseVMReplicationJSON([]byte(in))
		if err == nil {
			t.Errorf("%q: no error, got %+v", in, vms)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "Get-VMReplication output") || strings.Contains(msg, "\n") {
			t.Errorf("%q: error %q should be one line naming the input", in, msg)
		}
	}
}
