package lab

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

func TestKDCIssuesTicketsForSPNsWithSpaces(t *testing.T) {
	testutil.SkipUnless(t, KDCAvailable())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	k, err := StartKDC(ctx, KDCOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Stop()
	spn := "Hyper-V Replica Service/replica.lab.test"
	if err := k.AddPrincipal(ctx, spn, ""); err != nil {
		t.Fatal(err)
	}
	if err := k.AddPrincipal(ctx, "admin", "Adm1nPass"); err != nil {
		t.Fatal(err)
	}
	kt := filepath.Join(t.TempDir(), "admin.keytab")
	if err := k.Keytab(ctx, "admin", kt); err != nil {
		t.Fatal(err)
	}
	cc := filepath.Join(t.TempDir(), "cc")
	if err := k.Kinit(ctx, "admin", kt, cc); err != nil {
		t.Fatal(err)
	}
	kvno := func(name string) (string, error) {
		cmd := exec.CommandContext(ctx, "kvno", "-c", "FILE:"+cc, name)
		cmd.Env = k.Env()
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := kvno(spn); err != nil {
		t.Fatalf("kvno %q: %v: %s", spn, err, out)
	}
	out, err := kvno("Hyper-V Replica Service/missing.lab.test")
	if err == nil || !strings.Contains(out, "not found in Kerberos database") {
		t.Fatalf("kvno of a missing SPN: err=%v out=%s", err, out)
	}
	pid := k.PID()
	if err := k.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(k.Dir); !os.IsNotExist(err) {
		t.Errorf("Stop left %s behind (pid was %d)", k.Dir, pid)
	}
}
