package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestExplainCommandForms(t *testing.T) {
	for _, in := range []string{"0x80090303", "80090303", "-2146893053", "2148074243", "%%2148074243"} {
		out, errOut, code := runChecked(t, "explain", in)
		if code != exitOK || !strings.HasPrefix(out, "0x80090303  SEC_E_TARGET_UNKNOWN") || !strings.Contains(out, "setspn -L <replica>") {
			t.Errorf("explain %s: exit %d\n%s%s", in, code, out, errOut)
		}
	}
	for _, in := range []string{"12019", "0x2EF3", "The handle is in the wrong state for the requested operation (0x00002EF3)"} {
		out, _, code := runChecked(t, "explain", in)
		if code != exitOK || !strings.HasPrefix(out, "0x00002EF3  ERROR_WINHTTP_INCORRECT_HANDLE_STATE") || !strings.Contains(out, "HTTPS inspection") {
			t.Errorf("explain %q: exit %d\n%s", in, code, out)
		}
	}
	// Pasted as several words, with the user's values in the fixes.
	out, _, code := runChecked(t, "explain", "--vm", "SQL01", "--replica", "hv-dr01", "Hyper-V", "cannot", "connect", "to", "the", "specified", "Replica", "server", "due", "to", "connection", "timed", "out.")
	if code != exitOK || !strings.Contains(out, "ERROR_WINHTTP_TIMEOUT") || !strings.Contains(out, "Set-VMReplication -VMName 'SQL01' -BypassProxyServer $true") {
		t.Errorf("pasted sentence: exit %d\n%s", code, out)
	}
}

func TestExplainUnknownExitsTwo(t *testing.T) {
	for _, args := range [][]string{{"explain", "0xDEADBEEF"}, {"explain", "the printer is on fire"}, {"explain"}} {
		var out, errb bytes.Buffer
		code := dispatch(args, &out, &errb)
		if code != exitUsage || out.Len() != 0 || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: exit %d stdout %q stderr %q", args, code, out.String(), errb.String())
		}
	}
}
