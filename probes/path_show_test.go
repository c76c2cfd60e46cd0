package probes

import (
	"strings"
	"testing"
)

// TestShowPathKeepsWindowsPathsAsTyped: drive-letter and UNC paths are
// named whole, backslashes single (strconv.Quote doubled them and the
// 60-character cut dropped the file name of most Windows paths).
func TestShowPathKeepsWindowsPathsAsTyped(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`C:\certs\replica.pfx`, `"C:\certs\replica.pfx"`},
		{`\\fs01\share\certs\replica.pfx`, `"\\fs01\share\certs\replica.pfx"`},
		{`C:\Users\Administrator\AppData\Local\Temp\hvrdoctor\certificates\replica-2026.pfx`, `"C:\Users\Administrator\AppData\Local\Temp\hvrdoctor\certificates\replica-2026.pfx"`},
		{"/tmp/a\nb\x1b[31m.pem", `"/tmp/a\nb\x1b[31m.pem"`},
		{`C:\say "hi".pem`, `"C:\say \"hi\".pem"`},
		{"bad\xffbyte", `"bad\xffbyte"`},
		{"", ""},
	} {
		if got := ShowPath(c.in); got != c.want {
			t.Errorf("ShowPath(%q) = %s, want %s", c.in, got, c.want)
		}
	}
	long := `C:\` + strings.Repeat("d", 400) + `\x.pem`
	got := ShowPath(long)
	if !strings.HasSuffix(got, "... (409 bytes)") || strings.Count(got, "d") != MaxShownPath-3 {
		t.Errorf("a 409-byte path is shown as %s", got)
	}
}

// TestInputErrorNamesWindowsPathWhole: the one-line error for a missing
// --cert names the Windows path exactly as given.
func TestInputErrorNamesWindowsPathWhole(t *testing.T) {
	p := `C:\Users\Administrator\Documents\Replica certificates\replica01.contoso.com.pfx`
	_, err := ReadInputFile("--cert", p, MaxCertFileSize)
	if err == nil || !strings.HasPrefix(err.Error(), `--cert "`+p+`": `) {
		t.Errorf("error %v does not name %s whole", err, p)
	}
}

// --cert naming a file that does not exist (and is not a thumbprint):
// the path as typed, single backslashes (it was strconv-quoted, so
// \\server\share read "\\\\server\\share").
func TestCertMissingUNCPathShownAsTyped(t *testing.T) {
	_, err := validateCertSource(`\\nosuchserver\share\r.pfx`, "")
	if err == nil || err.Error() != `--cert "\\nosuchserver\share\r.pfx": no such file, and not a 40-digit thumbprint` {
		t.Errorf("got %v", err)
	}
}
