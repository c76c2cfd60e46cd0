package probes

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func TestExplainAcceptsEveryInputForm(t *testing.T) {
	cases := map[string]string{
		"0x80090303":   "SEC_E_TARGET_UNKNOWN",
		"80090303":     "SEC_E_TARGET_UNKNOWN",
		"-2146893053":  "SEC_E_TARGET_UNKNOWN",
		"2148074243":   "SEC_E_TARGET_UNKNOWN",
		"%%2148074243": "SEC_E_TARGET_UNKNOWN",
		"12019":        "ERROR_WINHTTP_INCORRECT_HANDLE_STATE",
		"0x2EF3":       "ERROR_WINHTTP_INCORRECT_HANDLE_STATE",
		"0x00002ef3":   "ERROR_WINHTTP_INCORRECT_HANDLE_STATE",
		"0x80072EF3":   "ERROR_WINHTTP_INCORRECT_HANDLE_STATE",
		"(0x00002EF3)": "ERROR_WINHTTP_INCORRECT_HANDLE_STATE",
		"12007":        "ERROR_WINHTTP_NAME_NOT_RESOLVED",
		"1326":         "ERROR_LOGON_FAILURE",
		// Pasted sentences, with and without the code.
		"Hyper-V failed to authenticate the Replica server using Kerberos authentication. Error: The specified target is unknown or unreachable (0x80090303).":                                                                                      "SEC_E_TARGET_UNKNOWN",
		"The handle is in the wrong state for the requested operation":                                                                                                                                                                              "ERROR_WINHTTP_INCORRECT_HANDLE_STATE",
		"Hyper-V cannot connect to the specified Replica server due to connection timed out. Verify if a network connection exists to the Replica server or if the proxy settings have been configured appropriately to allow replication traffic.": "ERROR_WINHTTP_TIMEOUT",
		"A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider.":                                                                                                                           "CERT_E_UNTRUSTEDROOT",
		"Event 32000: failed with error %%2148074243": "SEC_E_TARGET_UNKNOWN",
	}
	for in, want := range cases {
		e, err := Explain(in)
		if err != nil {
			t.Errorf("Explain(%q): %v", in, err)
			continue
		}
		if e.Name != want {
			t.Errorf("Explain(%q) = %s (read as %s), want %s", in, e.Name, e.ReadAs, want)
		}
	}
}

func TestExplainCoversTheReferenceTable(t *testing.T) {
	table := []string{"0x00002EF3", "0x00002EE2", "0x00002EFD", "0x00002EFE", "0x00002EF1", "0x00002F8F", "0x80072EE7",
		"0x80090303", "0x8009030C", "0x80090322", "0x800B0109", "0x80092013", "0x80092012", "0x800B010F", "0x8007052E", "0x80070005"}
	for _, code := range table {
		e, err := Explain(code)
		if err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		if e.Hex() != code || e.Message == "" || e.Replica == "" || len(e.Probes) == 0 || len(e.Fixes(nil)) == 0 {
			t.Errorf("%s: incomplete entry %+v", code, e.CodeInfo)
		}
		// Every decimal form and the message itself lead back to the code.
		v, _ := strconv.ParseUint(code[2:], 16, 32)
		if d, err := Explain(strconv.FormatUint(v, 10)); err != nil || d.Code != e.Code {
			t.Errorf("%s as decimal %d: %v %v", code, v, d.Name, err)
		}
		if m, err := Explain(e.Message); err != nil || m.Code != e.Code {
			t.Errorf("%s message %q explains as %s (%v)", code, e.Message, m.Name, err)
		}
	}
	if len(Codes()) < len(table) {
		t.Errorf("knowledge base has %d codes, reference table %d", len(Codes()), len(table))
	}
}

func TestExplainUnknownInput(t *testing.T) {
	for _, in := range []string{"0xDEADBEEF", "42", "the coffee machine is broken", "  "} {
		_, err := Explain(in)
		if err == nil {
			t.Errorf("Explain(%q) should fail", in)
			continue
		}
		if strings.TrimSpace(in) != "" && !errors.Is(err, ErrUnknownCode) {
			t.Errorf("Explain(%q) error should wrap ErrUnknownCode: %v", in, err)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("error must be one line: %q", err)
		}
	}
}

func TestExplainFixesCarryTheUsersValues(t *testing.T) {
	e, _ := Explain("0x80090303")
	fixes := e.Fixes(&Target{Replica: "hv-dr01", Port: 80, Auth: AuthKerberos})
	if fixes[0].Command != "setspn -L 'hv-dr01'" || fixes[0].Where != OnReplica {
		t.Errorf("first SPN fix = %+v", fixes[0])
	}
	placeholder := e.Fixes(nil)
	if placeholder[0].Command != "setspn -L <replica>" {
		t.Errorf("placeholder fix = %+v", placeholder[0])
	}
	p, _ := Explain("0x2EE2")
	got := fmt.Sprint(p.Fixes(nil))
	if !strings.Contains(got, "Set-VMReplication -VMName <VM> -BypassProxyServer $true") {
		t.Errorf("0x2EE2 fixes lack the bypass command: %s", got)
	}
}
