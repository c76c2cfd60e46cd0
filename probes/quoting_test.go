package probes

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// psParseArg reads one PowerShell argument at the start of s the way
// PowerShell's tokenizer reads the forms psQuote produces: a
// single-quoted string (any of ' U+2018..U+201B quotes, doubled inside),
// or a parenthesised + concatenation of such strings and [char]N. It
// returns the value and the rest of s after the argument, or ok=false
// when s does not start with such an argument.
func psParseArg(s string) (val, rest string, ok bool) {
	if strings.HasPrefix(s, "(") {
		var b strings.Builder
		s = s[1:]
		for {
			switch {
			case strings.HasPrefix(s, "[char]"):
				s = s[len("[char]"):]
				i := 0
				for i < len(s) && s[i] >= '0' && s[i] <= '9' {
					i++
				}
				n, err := strconv.Atoi(s[:i])
				if err != nil {
					return "", "", false
				}
				b.WriteRune(rune(n))
				s = s[i:]
			default:
				v, r, ok := psParseSingle(s)
				if !ok {
					return "", "", false
				}
				b.WriteString(v)
				s = r
			}
			if strings.HasPrefix(s, "+") {
				s = s[1:]
				continue
			}
			if strings.HasPrefix(s, ")") {
				return b.String(), s[1:], true
			}
			return "", "", false
		}
	}
	return psParseSingle(s)
}

func isPSQuote(r rune) bool { return strings.ContainsRune(psSingleQuotes, r) }

func psParseSingle(s string) (val, rest string, ok bool) {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !isPSQuote(r) {
		return "", "", false
	}
	s = s[n:]
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if isPSQuote(r) {
			r2, n2 := utf8.DecodeRuneInString(s[n:])
			if n2 > 0 && isPSQuote(r2) {
				b.WriteRune(r)
				s = s[n+n2:]
				continue
			}
			return b.String(), s[n:], true
		}
		b.WriteRune(r)
		s = s[n:]
	}
	return "", "", false // never closed
}

var injectionSeeds = []string{
	"SQL01", "SQL01|Restart-Computer", "a'b", "a''b", "'; Restart-Computer; '", "x\u2019; Restart-Computer; \u2018",
	"$(Restart-Computer)", "`$x", "a\"b", "a&b", "#c", "<x>", "{}", "a\nRestart-Computer", "a\r\nb", "\x00", "tab\there",
	"\u00a0nbsp", "\u2018\u2019\u201a\u201b", "'", "", "((", "[char]39",
}

// FuzzPSQuote: whatever the value, psQuote's output is exactly one
// PowerShell argument that decodes to the value, on one line.
func FuzzPSQuote(f *testing.F) {
	for _, s := range injectionSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // PowerShell strings are text; invalid bytes cannot come from a parsed value
		}
		q := psQuote(s)
		if strings.ContainsAny(q, "\r\n") {
			t.Fatalf("psQuote(%q) = %q: not one line", s, q)
		}
		v, rest, ok := psParseArg(q)
		if !ok || rest != "" {
			t.Fatalf("psQuote(%q) = %q: not exactly one argument (ok=%v, rest %q)", s, q, ok, rest)
		}
		if v != s {
			t.Fatalf("psQuote(%q) = %q decodes to %q", s, q, v)
		}
		// As a key=value native argument too.
		kv := psKeyValue("bypass-list", s)
		if strings.ContainsAny(kv, "\r\n") {
			t.Fatalf("psKeyValue(%q) = %q: not one line", s, kv)
		}
	})
}

// stripQuoted removes every quoted argument psParseArg can read, so
// what is left is the command's own text.
func stripQuoted(cmd string) string {
	var b strings.Builder
	for i := 0; i < len(cmd); {
		r, n := utf8.DecodeRuneInString(cmd[i:])
		if isPSQuote(r) || r == '(' {
			if _, rest, ok := psParseArg(cmd[i:]); ok {
				b.WriteString("<Q>")
				i = len(cmd) - len(rest)
				continue
			}
		}
		b.WriteRune(r)
		i += n
	}
	return b.String()
}

func allFixes(vm, short, spn, cn string) []Fix {
	tg := &Target{Replica: "hv-dr01.contoso.com", Port: 80, Auth: AuthKerberos, VMName: vm,
		Proxy: &url.URL{Scheme: "http", Host: "proxy:3128"}, ProxySource: "WinHTTP", WinHTTPServer: "proxy:3128",
		NoProxy: []string{"<local>", "*.contoso.com"}}
	var fixes []Fix
	fixes = append(fixes, fixesBypassProxy(tg)...)
	fixes = append(fixes, fixesListener(tg)...)
	fixes = append(fixes, fixTestConnection(tg, true))
	for _, f := range []proxyFault{faultAuth, faultDenied, faultName, faultConnect, faultOther} {
		fixes = append(fixes, proxyFaultFixes(tg, f)...)
	}
	fixes = append(fixes, judgeUpload(tg, uploadOutcome{status: 401, line: "HTTP/1.1 401"}, uploadOutcome{status: 413, line: "HTTP/1.1 413"}).Fixes...)
	for _, c := range Codes() {
		fixes = append(fixes, c.Fixes(tg)...)
	}
	ct := *tg
	ct.Auth, ct.Port = AuthCertificate, 443
	fixes = append(fixes, fixesBypassProxy(&ct)...)
	fixes = append(fixes, inspected(&ct, nil, "x").Fixes...)
	fixes = append(fixes, fixesMissingSPN(ReplicaNames{Short: short, FQDN: "hv.contoso.com"}, []string{spn})...)
	cert := &x509.Certificate{Subject: pkix.Name{CommonName: cn}}
	fixes = append(fixes, Fix{Command: `certutil -addstore -f Root C:\certs\` + certFileBase(cert) + ".cer"})
	return fixes
}

// Every fix builder with hostile values (VM names, account names and
// SPNs from the directory, certificate names from a peer): once the
// quoted arguments are removed, the command is the same as with benign
// values, so no value ended its argument or added a command.
func TestFixCommandsKeepValuesInsideQuotes(t *testing.T) {
	benign := allFixes("SQL01", "HV01", "Hyper-V Replica Service/HV01", "hv01.contoso.com")
	for _, v := range injectionSeeds {
		if v == "" {
			continue
		}
		hostile := allFixes(v, v, "Hyper-V Replica Service/"+v, v)
		if len(hostile) != len(benign) {
			t.Fatalf("%q: %d fixes, benign %d", v, len(hostile), len(benign))
		}
		for i := range hostile {
			h, b := hostile[i].Command, benign[i].Command
			if strings.ContainsAny(h, "\r\n") {
				t.Errorf("value %q: command on more than one line: %q", v, h)
			}
			if i == len(hostile)-1 {
				if base := strings.TrimSuffix(strings.TrimPrefix(h, `certutil -addstore -f Root C:\certs\`), ".cer"); strings.Trim(base, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != "" {
					t.Errorf("value %q: file name from a certificate keeps unsafe characters: %q", v, h)
				}
				continue
			}
			if stripQuoted(h) != stripQuoted(b) {
				t.Errorf("value %q changed the command outside its quotes:\n got  %q\n want %q", v, stripQuoted(h), stripQuoted(b))
			}
		}
	}
}

// The WinHTTP fix never drops the machine's bypass list.
func TestWinHTTPFixKeepsBypassList(t *testing.T) {
	tg := &Target{Replica: "hv-dr01.contoso.com", Port: 80, Auth: AuthKerberos,
		Proxy: &url.URL{Scheme: "http", Host: "proxy:3128"}, ProxySource: "WinHTTP", WinHTTPServer: "http=proxy:3128;https=proxy:3129",
		NoProxy: []string{"<local>", "*.corp.contoso.com"}}
	fixes := fixesWinHTTPBypass(tg)
	want := "netsh winhttp set proxy proxy-server='http=proxy:3128;https=proxy:3129' bypass-list='<local>;*.corp.contoso.com;hv-dr01.contoso.com'"
	if len(fixes) != 1 || fixes[0].Command != want {
		t.Errorf("WinHTTP source: %+v, want %q", fixes, want)
	}
	// From --proxy the machine's list is unknown: read it first.
	tg.ProxySource, tg.WinHTTPServer, tg.NoProxy = "--proxy", "", nil
	fixes = fixesWinHTTPBypass(tg)
	if len(fixes) != 2 || fixes[0].Command != "netsh winhttp show proxy" || !strings.Contains(fixes[1].Command, "<current bypass list>;hv-dr01.contoso.com") ||
		!strings.Contains(fixes[1].Command, "proxy-server='proxy:3128'") {
		t.Errorf("--proxy source: %+v", fixes)
	}
}
