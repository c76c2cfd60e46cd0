package probes

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// countingListener counts the TCP connections it accepts (and closes them):
// a KDC that must not be contacted.
func countingListener(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String(), &n
}

// TestKerberosContactsOnlyNamedKDCs: issue 13 saw `--principal` without
// --kdc load /etc/krb5.conf and send the account name to the default
// realm's KDCs (Debian's: kerberos.mit.edu). A krb5.conf's default realm is
// now never used: without --kdc and without a realm the user named, no KDC
// is contacted and the step says what it needs; with --realm (or
// user@REALM) the file's KDCs for that realm are used.
func TestKerberosContactsOnlyNamedKDCs(t *testing.T) {
	kdc, contacted := countingListener(t)
	conf := filepath.Join(testutil.TempDir(t), "krb5.conf")
	os.WriteFile(conf, []byte(fmt.Sprintf("[libdefaults]\n default_realm = DEFAULT.TEST\n dns_lookup_kdc = true\n\n[realms]\n DEFAULT.TEST = {\n  kdc = %s\n }\n NAMED.TEST = {\n  kdc = %s\n }\n", kdc, kdc)), 0o600)
	t.Setenv("KRB5_CONFIG", conf)
	t.Setenv("KRB5CCNAME", "")

	base := Target{Replica: "replica.other.test", Auth: AuthKerberos, Timeout: 300 * time.Millisecond, Principal: "hvradmin", Password: "pw"}
	for _, p := range []Probe{SPNProbe{}, ClockSkewProbe{}} {
		tg := base
		res := p.Run(context.Background(), &tg)
		if n := contacted.Load(); n != 0 {
			t.Fatalf("%s contacted the krb5.conf default realm's KDC %d times (result %s: %s)", p.ID(), n, res.Status, res.Summary)
		}
		if p.ID() == IDSPN && (res.Status != StatusSkip || !strings.Contains(res.Summary, "--kdc")) {
			t.Errorf("%s: %s %q; want a skip saying it needs --kdc", p.ID(), res.Status, res.Summary)
		}
	}
	// A realm the user named: its KDCs come from the file.
	for _, tg := range []Target{
		func() Target { tg := base; tg.Realm = "NAMED.TEST"; return tg }(),
		func() Target { tg := base; tg.Principal = "hvradmin@NAMED.TEST"; return tg }(),
	} {
		before := contacted.Load()
		SPNProbe{}.Run(context.Background(), &tg)
		if contacted.Load() == before {
			t.Errorf("principal %s realm %q: the named realm's KDC from krb5.conf was not used", tg.Principal, tg.Realm)
		}
	}
}

// TestKerberosFIFOsDoNotHang: KRB5_CONFIG and KRB5CCNAME naming a FIFO
// (or /dev/zero) hung the check for good, Ctrl-C included. They are now
// refused before reading, with one line naming the variable.
func TestKerberosFIFOsDoNotHang(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs on Windows")
	}
	fifo := filepath.Join(testutil.TempDir(t), "fifo")
	if err := mkfifo(fifo); err != nil {
		t.Fatal(err)
	}
	kdc, _ := countingListener(t)
	cases := []struct {
		env, value, want string
		tg               Target
	}{
		{"KRB5_CONFIG", fifo, "KRB5_CONFIG", Target{Realm: "LAB.TEST"}},
		{"KRB5_CONFIG", "/dev/zero", "KRB5_CONFIG", Target{Realm: "LAB.TEST"}},
		{"KRB5CCNAME", fifo, "KRB5CCNAME", Target{KDC: kdc, Realm: "LAB.TEST"}},
		{"KRB5CCNAME", "FILE:/dev/zero", "KRB5CCNAME", Target{KDC: kdc, Realm: "LAB.TEST"}},
		{"KRB5CCNAME", "KEYRING:persistent:0", "KRB5CCNAME", Target{KDC: kdc, Realm: "LAB.TEST"}},
	}
	for _, c := range cases {
		t.Run(c.env+"="+c.value, func(t *testing.T) {
			t.Setenv("KRB5_CONFIG", "/nonexistent")
			t.Setenv("KRB5CCNAME", "")
			t.Setenv(c.env, c.value)
			tg := c.tg
			tg.Replica, tg.Auth, tg.Timeout = "replica.lab.test", AuthKerberos, 300*time.Millisecond
			ks, err := kerberosFor(&tg)
			if err == nil {
				_, _, err = kerberosClient(context.Background(), &tg, ks)
			}
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v; want one line naming %s", err, c.want)
			}
		})
	}
}
