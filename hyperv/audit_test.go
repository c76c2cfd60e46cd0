package hyperv

import (
	"path/filepath"
	"strings"
	"testing"
)

// The replica server fixtures in testdata/server are typed from the
// documented names: Set-VMReplicationServer's parameters (ReplicationEnabled,
// AllowedAuthenticationType, KerberosAuthenticationPort,
// CertificateAuthenticationPort, ReplicationAllowedFromAnyServer,
// DefaultStorageLocation) read as Get-VMReplicationServer's properties,
// numbers for AllowedAuthenticationType and the VMs' AuthType in the PS
// 5.1 form (the cmdlets' numbering is not in hvrdoctor's sources: that
// form's authentication checks are "not checked", naming the number),
// the authorization entry's
// AllowedPrimaryServer / ReplicaStorageLocation / TrustGroup, and the
// listener rules' internal names (community scripts, not confirmed by
// Microsoft) with Enabled converted to a name as the README's line saves
// it. No replica server was at hand to record them.
func TestAuditFixturesBothForms(t *testing.T) {
	for _, form := range []string{"ps7", "ps51"} {
		t.Run(form, func(t *testing.T) {
			s, err := ReadFiles([]string{filepath.Join("testdata", "server", form)})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]AuditCheck{}
			for _, a := range Audit(s) {
				if _, dup := got[a.ID]; !dup {
					got[a.ID] = a
				}
			}
			want := map[string]string{"replication-enabled": "pass", "auth-consistent": "fail", "authorization": "fail",
				"storage": "not checked", "firewall": "fail", "listener": "not checked"}
			if form == "ps51" {
				want["auth-consistent"], want["firewall"] = "not checked", "not checked"
			}
			for id, res := range want {
				if got[id].Result != res {
					t.Errorf("%s: %q (%s), want %q", id, got[id].Result, got[id].Text, res)
				}
			}
			if _, ok := got["certificate"]; ok {
				t.Errorf("certificate checked though only Kerberos is allowed: %+v", got["certificate"])
			}
			ac := got["auth-consistent"].Text
			wantAC := []string{"SQL01 sends to port 80, the server listens for Kerberos on 8080", "WEB07 uses certificate authentication, the server allows Kerberos"}
			if form == "ps51" {
				wantAC = []string{"server allows 1 (a number: the cmdlet's numbering is not in hvrdoctor's sources"}
				if fw := got["firewall"].Text; !strings.Contains(fw, "VIRT-HVRHTTPL-In-TCP-NoScope disabled") {
					t.Errorf("firewall %q does not name the saved rule's state", fw)
				}
			}
			for _, w := range wantAC {
				if !strings.Contains(ac, w) {
					t.Errorf("auth-consistent %q lacks %q", ac, w)
				}
			}
			au := got["authorization"].Text
			for _, w := range []string{"hv9.contoso.com has no trust group", "no entry allows hv7.fabrikam.com"} {
				if !strings.Contains(au, w) {
					t.Errorf("authorization %q lacks %q", au, w)
				}
			}
			if fw := got["firewall"]; form == "ps7" && (len(fw.Fixes) != 1 || fw.Fixes[0].Command != "Enable-NetFirewallRule -Name 'VIRT-HVRHTTPL-In-TCP-NoScope'") {
				t.Errorf("firewall fix: %+v", fw.Fixes)
			}
		})
	}
}

// Open to any server, certificates allowed: the thumbprint is looked up in
// the saved store.
func TestAuditCertificateAndAnyServer(t *testing.T) {
	s := &Snapshot{Servers: []ReplicaServer{{HasEnabled: true, Enabled: true, AllowedAuth: "CertificateAndKerberos", KerberosPort: 80, CertificatePort: 443,
		Thumbprint: "0123456789ABCDEF0123456789ABCDEF01234567", HasAnyServer: true, AnyServer: true}},
		HasCerts: true, Certificates: []Certificate{{Thumbprint: "FFFF456789ABCDEF0123456789ABCDEF01234567"}}}
	res := map[string]string{}
	for _, a := range Audit(s) {
		res[a.ID] = a.Result
	}
	if res["authorization"] != "pass" || res["certificate"] != "fail" {
		t.Errorf("%v", res)
	}
	s.Certificates[0].Thumbprint = "0123456789ABCDEF0123456789ABCDEF01234567"
	for _, a := range Audit(s) {
		if a.ID == "certificate" && a.Result != "pass" {
			t.Errorf("present certificate: %+v", a)
		}
	}
	if Audit(&Snapshot{}) != nil {
		t.Error("audit without server settings")
	}
}
