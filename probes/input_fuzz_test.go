package probes

import (
	"net/url"
	"os"
	"strings"
	"testing"
)

// Fuzz targets for every parser of outside input in this package that the
// certificate fuzzers do not cover: command output read on Windows hosts
// (netsh, setspn), Kerberos files (krb5.conf, credential caches, keytabs)
// and the target validator with its message redaction. Each must return a
// value or a one-line error, never panic. Seed corpora are committed under
// testdata/fuzz/<name>.

// oneLineErr fails t when err's message spans lines.
func oneLineErr(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.ContainsAny(err.Error(), "\r\n") {
		t.Fatalf("error spans lines: %q", err.Error())
	}
}

func FuzzParseNetshWinHTTP(f *testing.F) {
	for _, name := range []string{"netsh_winhttp_direct.txt", "netsh_winhttp_german.txt", "netsh_winhttp_per_scheme.txt", "netsh_winhttp_proxy_bypass.txt"} {
		if b, err := os.ReadFile("testdata/" + name); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, out string) {
		w, err := ParseNetshWinHTTP(out)
		oneLineErr(t, err)
		if err == nil {
			_ = w.ServerFor(AuthKerberos)
			_ = w.ServerFor(AuthCertificate)
		}
	})
}

func FuzzParseSetspnList(f *testing.F) {
	f.Add("Registered ServicePrincipalNames for CN=REPLICA01,OU=Hyper-V,DC=contoso,DC=com:\r\n\tHyper-V Replica Service/REPLICA01\r\n")
	f.Add("FindDomainForAccount: Call to DsGetDcNameWithAccountW failed with return value 0x00000525\r\n")
	f.Fuzz(func(t *testing.T, out string) {
		l, err := ParseSetspnList(out)
		if err == nil {
			_ = l.Has("Hyper-V Replica Service/REPLICA01")
		}
	})
}

func FuzzParseKrb5Config(f *testing.F) {
	f.Add([]byte("[libdefaults]\n default_realm = LAB.TEST\n\n[realms]\n LAB.TEST = {\n  kdc = 127.0.0.1:88\n }\n"))
	f.Add([]byte("[realms]\n LAB.TEST = {\n kdc = [::1]:88\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := parseKrb5Config(data)
		if err == nil && cfg != nil {
			cfg.LibDefaults.DNSLookupKDC = false
			cfg.GetKDCs("LAB.TEST", true)
		}
	})
}

func FuzzDecodeCCache(f *testing.F) {
	f.Add([]byte{5, 4, 0, 0})
	f.Add([]byte{5, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 8, 'L', 'A', 'B', '.', 'T', 'E', 'S', 'T'})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := decodeCCache(data)
		oneLineErr(t, err)
	})
}

func FuzzDecodeKeytab(f *testing.F) {
	f.Add([]byte{5, 2, 0, 0, 0, 0})
	f.Add([]byte{5, 2, 0, 0, 0, 10, 0, 1, 0, 8, 'L', 'A', 'B', '.', 'T', 'E'})
	f.Fuzz(func(t *testing.T, data []byte) {
		decodeKeytab(data)
	})
}

// FuzzTargetInput: any text in the fields the user types is a target or a
// one-line error of bounded length that never shows a URL password.
func FuzzTargetInput(f *testing.F) {
	f.Add("replica01.contoso.com", "8080", "http://user:Pw-Secret@proxy:3128", "dc01:88", "CONTOSO.COM", "admin@CONTOSO.COM", "ldap://dc01", "SQL01", "5s")
	f.Add("[::1]", "-1", "hvr:Pw-Secret@proxy", "http://kdc", "A\nB", "a b", "ldap://u:Pw-Secret@dc", "a\"b", "5")
	f.Fuzz(func(t *testing.T, replica, port, proxy, kdc, realm, principal, ldapURL, vm, timeout string) {
		in := TargetInput{Replica: replica, PortText: port, ProxyURL: proxy, KDC: kdc, Realm: realm, Principal: principal,
			LDAPURL: ldapURL, VMName: vm, TimeoutText: timeout, Env: noEnv, WinHTTP: noWinHTTP}
		for _, err := range []error{func() error { _, err := ParseTarget(in); return err }(), in.Validate()} {
			if err == nil {
				continue
			}
			msg := err.Error()
			oneLineErr(t, err)
			if len(msg) > 1000 {
				t.Fatalf("error of %d bytes: long values must be cut", len(msg))
			}
			for _, s := range []string{proxy, ldapURL} {
				if u, perr := url.Parse(strings.TrimSpace(s)); perr == nil && u.User != nil {
					if pw, ok := u.User.Password(); ok && len(pw) >= 6 && strings.Contains(msg, pw) &&
						!strings.Contains(replica+port+kdc+realm+principal+vm+timeout+u.Host+u.Path, pw) {
						t.Fatalf("error shows the URL password %q: %s", pw, msg)
					}
				}
			}
		}
	})
}

// FuzzRedactURL: whatever RedactURL returns holds the userinfo's password
// fewer times than the input (it is gone from the userinfo part).
func FuzzRedactURL(f *testing.F) {
	f.Add("http://user:secret@proxy:3128")
	f.Add("user:secret@proxy:3128")
	f.Add("ldaps://cn=a,dc=b:secret@dc01:636/x@y")
	f.Fuzz(func(t *testing.T, s string) {
		out := RedactURL(s)
		u, err := url.Parse(s)
		if err != nil || u.User == nil {
			return
		}
		pw, ok := u.User.Password()
		if !ok || len(pw) < 4 {
			return
		}
		if strings.Count(out, pw) >= strings.Count(s, pw) {
			t.Fatalf("RedactURL(%q) = %q still holds the password", s, out)
		}
	})
}
