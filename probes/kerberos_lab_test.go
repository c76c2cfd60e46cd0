package probes_test

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
	"github.com/hvrdoctor/hvrdoctor/probes/lab/labtest"
)

type fixedClock struct{ offset time.Duration }

func (c fixedClock) Now() time.Time { return time.Now().Add(c.offset) }

// startLabKDC starts a KDC for LAB.TEST with an admin account (keytab and
// credential cache) and, when withSPNs, the replica's two SPNs.
func startLabKDC(t *testing.T, withSPNs bool) (*lab.KDC, string, string) {
	t.Helper()
	k := labtest.KDC(t, lab.KDCOptions{Realm: "LAB.TEST"})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := k.AddPrincipal(ctx, "hvradmin", "Lab-Passw0rd"); err != nil {
		t.Fatal(err)
	}
	if withSPNs {
		for _, spn := range []string{"Hyper-V Replica Service/REPLICA", "Hyper-V Replica Service/replica.lab.test"} {
			if err := k.AddPrincipal(ctx, spn, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	dir := testutil.TempDir(t)
	kt := filepath.Join(dir, "hvradmin.keytab")
	if err := k.Keytab(ctx, "hvradmin", kt); err != nil {
		t.Fatal(err)
	}
	cc := filepath.Join(dir, "ccache")
	if err := k.Kinit(ctx, "hvradmin", kt, cc); err != nil {
		t.Fatal(err)
	}
	return k, kt, cc
}

func TestSPNProbeKDC(t *testing.T) {
	present, kt, cc := startLabKDC(t, true)
	absent, kt2, _ := startLabKDC(t, false)

	run := func(tg *probes.Target) probes.Result {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		return probes.SPNProbe{}.Run(ctx, tg)
	}
	base := func(kdc string) *probes.Target {
		return &probes.Target{Replica: "replica.lab.test", Port: 80, Auth: probes.AuthKerberos, Timeout: 3 * time.Second,
			KDC: kdc, Realm: "LAB.TEST"}
	}

	t.Run("present/keytab", func(t *testing.T) {
		tg := base(present.Addr)
		tg.Keytab, tg.Principal = kt, "hvradmin"
		res := run(tg)
		if res.Status != probes.StatusPass {
			t.Fatalf("status %s: %s %v", res.Status, res.Summary, res.Evidence)
		}
		if !strings.Contains(strings.Join(res.Evidence, "\n"), "method: Kerberos service-ticket requests to KDC "+present.Addr) {
			t.Errorf("evidence does not name the method: %v", res.Evidence)
		}
	})
	t.Run("present/ccache", func(t *testing.T) {
		tg := base(present.Addr)
		tg.CCache = cc
		if res := run(tg); res.Status != probes.StatusPass {
			t.Fatalf("status %s: %s %v", res.Status, res.Summary, res.Evidence)
		}
	})
	t.Run("present/password", func(t *testing.T) {
		tg := base(present.Addr)
		tg.Principal, tg.Password = "hvradmin@LAB.TEST", "Lab-Passw0rd"
		res := run(tg)
		if res.Status != probes.StatusPass {
			t.Fatalf("status %s: %s %v", res.Status, res.Summary, res.Evidence)
		}
		if strings.Contains(strings.Join(res.Evidence, " ")+res.Summary, "Lab-Passw0rd") {
			t.Error("the password appears in the result")
		}
	})
	t.Run("present/wrong-password", func(t *testing.T) {
		tg := base(present.Addr)
		tg.Principal, tg.Password = "hvradmin", "not-the-password"
		res := run(tg)
		if res.Status != probes.StatusError || !strings.Contains(res.Summary, "hvradmin@LAB.TEST") || strings.Contains(res.Summary, "not-the-password") {
			t.Fatalf("status %s: %s", res.Status, res.Summary)
		}
	})
	t.Run("absent", func(t *testing.T) {
		tg := base(absent.Addr)
		tg.Keytab, tg.Principal = kt2, "hvradmin"
		res := run(tg)
		if res.Status != probes.StatusFail {
			t.Fatalf("status %s, want fail: %s %v", res.Status, res.Summary, res.Evidence)
		}
		if len(res.Codes) == 0 || res.Codes[0] != "0x80090303" || !strings.Contains(res.Reason, "0x80090303") {
			t.Errorf("codes %v reason %q: want 0x80090303 explained", res.Codes, res.Reason)
		}
		fixes := fixCommands(res)
		for _, want := range []string{
			"Restart-Service vmms",
			"setspn -L 'REPLICA'",
			`setspn -S 'Hyper-V Replica Service/replica.lab.test' 'REPLICA'`,
			`setspn -S 'Hyper-V Replica Service/REPLICA' 'REPLICA'`,
			"14050",
			"unconfirmed",
		} {
			if !strings.Contains(fixes, want) {
				t.Errorf("fixes lack %q:\n%s", want, fixes)
			}
		}
	})
}

func TestSPNProbeKDCDown(t *testing.T) {
	labtest.SkipUnless(t, lab.KDCAvailable())
	// A closed port: refused at once.
	closed, err := lab.ClosedPort()
	if err != nil {
		t.Fatal(err)
	}
	// A port that accepts and never answers: must end at the timeout.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	for _, kdc := range []string{closed, silent.Addr().String()} {
		tg := &probes.Target{Replica: "replica.lab.test", Port: 80, Auth: probes.AuthKerberos, Timeout: time.Second,
			KDC: kdc, Realm: "LAB.TEST", Principal: "hvradmin", Password: "x"}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		start := time.Now()
		res := probes.SPNProbe{}.Run(ctx, tg)
		took := time.Since(start)
		callerExpired := ctx.Err() != nil
		cancel()
		if res.Status != probes.StatusError || !strings.Contains(res.Summary, kdc) {
			t.Errorf("KDC %s: status %s summary %q: want an error naming the KDC", kdc, res.Status, res.Summary)
		}
		// Not a timing assertion on performance: the probe must give up
		// by itself (its 1s timeout) long before the caller's 10s context.
		if callerExpired {
			t.Errorf("KDC %s: the probe ran until the caller's deadline (%s)", kdc, took)
		}
	}
}

func TestClockSkewProbeKDC(t *testing.T) {
	k, _, _ := startLabKDC(t, false)
	for _, c := range []struct {
		offset time.Duration
		want   probes.Status
	}{{0, probes.StatusPass}, {10 * time.Minute, probes.StatusWarn}, {-7 * time.Minute, probes.StatusWarn}} {
		tg := &probes.Target{Replica: "replica.lab.test", Port: 80, Auth: probes.AuthKerberos, Timeout: 3 * time.Second,
			KDC: k.Addr, Realm: "LAB.TEST", Clock: fixedClock{c.offset}}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		res := probes.ClockSkewProbe{}.Run(ctx, tg)
		cancel()
		if res.Status != c.want {
			t.Errorf("local clock %+v off: status %s, want %s: %s %v", c.offset, res.Status, c.want, res.Summary, res.Evidence)
		}
		if !strings.Contains(strings.Join(res.Evidence, " "), "method: KDC "+k.Addr) {
			t.Errorf("evidence does not name the KDC: %v", res.Evidence)
		}
	}
}
