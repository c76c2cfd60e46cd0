package probes

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
	"github.com/hvrdoctor/hvrdoctor/probes/lab/labtest"
)

func TestInspectionThroughMitmproxyDetected(t *testing.T) {
	mitm := labtest.Mitmproxy(t)
	origin := labtest.TLSOrigin(t, lab.OriginOptions{})
	tg := originTarget(t, origin.Addr, "certificate", mitm.URL)

	res := InspectionProbe{}.Run(context.Background(), tg)
	if res.Status != StatusFail {
		t.Fatalf("status = %s, want fail; %s %v", res.Status, res.Summary, res.Evidence)
	}
	if !strings.Contains(res.Summary, "mitmproxy") || len(res.Codes) == 0 || res.Codes[0] != "0x00002EF3" {
		t.Errorf("want the mitmproxy issuer named and 0x00002EF3: %q %v", res.Summary, res.Codes)
	}
	if res.Fixes[0].Where != OnProxy || !strings.Contains(res.Fixes[0].Text, "Exclude 127.0.0.1") {
		t.Errorf("first fix should exclude the replica from inspection on the proxy: %+v", res.Fixes[0])
	}
}

func TestInspectionWithNamedCAThroughMitmproxyDetected(t *testing.T) {
	mitm := labtest.Mitmproxy(t)
	origin := labtest.TLSOrigin(t, lab.OriginOptions{})
	tg := originTarget(t, origin.Addr, "certificate", mitm.URL)
	tg.CABundle = filepath.Join(testutil.TempDir(t), "root.pem")
	if err := os.WriteFile(tg.CABundle, origin.CA.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	res := InspectionProbe{}.Run(context.Background(), tg)
	if res.Status != StatusFail || !strings.Contains(res.Summary, "not by the CA") {
		t.Fatalf("status = %s, want fail against the named CA; %s %v", res.Status, res.Summary, res.Evidence)
	}
}

func TestPlainConnectProxyNotFlagged(t *testing.T) {
	squid := labtest.Squid(t, lab.SquidOptions{})
	origin := labtest.TLSOrigin(t, lab.OriginOptions{})
	tg := originTarget(t, origin.Addr, "certificate", squid.URL)

	res := InspectionProbe{}.Run(context.Background(), tg)
	if res.Status != StatusPass {
		t.Fatalf("status = %s, want pass; %s %v", res.Status, res.Summary, res.Evidence)
	}
	// And with the CA named, the tunnelled chain verifies against it.
	tg.CABundle = filepath.Join(testutil.TempDir(t), "root.pem")
	os.WriteFile(tg.CABundle, origin.CA.CertPEM(), 0o600)
	if res := (InspectionProbe{}).Run(context.Background(), tg); res.Status != StatusPass {
		t.Fatalf("with --ca: status = %s, want pass; %s %v", res.Status, res.Summary, res.Evidence)
	}
}
