package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
)

// writePFX writes a lab leaf certificate as a PFX with password pw.
func writePFX(t *testing.T, pw string) string {
	t.Helper()
	ca, err := lab.NewCA(lab.CAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Issue(lab.LeafSpec{CommonName: "hv1.contoso.com"})
	if err != nil {
		t.Fatal(err)
	}
	pfx, err := leaf.PFX(pw)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(testutil.TempDir(t), "hv1.pfx")
	if err := os.WriteFile(path, pfx, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The form chooses certificate authentication, takes a PFX that needs a
// password and asks for it in a masked prompt inside the UI: a wrong one
// is asked again, the right one runs the checks with the certificate,
// and the sampler went on all along (it used to ask to quit and restart
// with the flag, losing the session's history).
func TestFormAsksAPFXPasswordInside(t *testing.T) {
	const pw = "Pfx-Secret-42"
	path := writePFX(t, pw)
	var got *probes.Target
	e := sceneEngine(t, 12)
	m := New(Options{Sampler: e, Interval: time.Second, Host: "lab-vm", Clock: fixedClock{sceneStart}, ReportDir: testutil.TempDir(t),
		Wizard: WizardOptions{
			Base:    FormBase{Env: func(string) string { return "" }},
			Plan:    func(tg *probes.Target) []probes.Step { got = tg; return recordedPlan(tg) },
			ReadVMs: func(context.Context) ([]VMReplication, error) { return nil, nil }}})
	m.sampling.tick = func(gen int, _ time.Duration) tea.Cmd { return func() tea.Msg { return tickMsg{gen: gen} } }
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	start(m)
	step(m, 3)
	samples := len(m.sampler.total)

	pressAll(m, "2")
	typeText(m, "hv1.contoso.com")
	pressAll(m, "tab", "tab", "right") // authentication: certificate
	scr := strings.Join(screen(m), "\n")
	for _, want := range []string{"(•) certificate", "CA bundle", "Certificate name"} {
		if !strings.Contains(scr, want) {
			t.Fatalf("certificate authentication should show its fields (%q):\n%s", want, scr)
		}
	}
	if strings.Contains(scr, "Keytab") {
		t.Errorf("the Kerberos fields should hide with certificate authentication:\n%s", scr)
	}
	pressAll(m, "tab", "tab", "tab", "tab", "tab") // proxy, bypass, VM, CA, certificate
	typeText(m, path)
	pressAll(m, "enter")
	scr = strings.Join(screen(m), "\n")
	// The label is cut at the screen's width: a temp path under wine
	// (C:\users\root\Temp\...) is longer than on Linux.
	want := "Password for \"" + path
	if len(want) > 60 {
		want = want[:60]
	}
	if !strings.Contains(scr, want) || m.wizard.target != nil {
		t.Fatalf("enter should ask the PFX's password in the form:\n%s", scr)
	}
	checkFits(t, m, 80, 24)
	typeText(m, "wrong-one")
	pressAll(m, "enter")
	scr = strings.Join(screen(m), "\n")
	if !strings.Contains(scr, "that password does not open") || strings.Contains(scr, "wrong-one") || m.wizard.target != nil {
		t.Fatalf("a wrong password should be asked again, never shown:\n%s", scr)
	}
	typeText(m, pw)
	if scr = strings.Join(screen(m), "\n"); strings.Contains(scr, pw) || !strings.Contains(scr, strings.Repeat("*", len(pw))) {
		t.Fatalf("the password should be masked while typed:\n%s", scr)
	}
	pressAll(m, "enter")
	if got == nil || got.CertSource != path || got.CertPassword != pw || got.Auth != probes.AuthCertificate {
		t.Fatalf("the checks should run with the PFX and its password: %+v", got)
	}
	scr = strings.Join(screen(m), "\n")
	if strings.Contains(scr, pw) || !strings.Contains(scr, "hv1.contoso.com:443, certificate") {
		t.Errorf("after the prompt the checks run:\n%s", scr)
	}
	step(m, 2)
	if len(m.sampler.total) < samples+2 {
		t.Errorf("the sampler's history should go on: %d samples, had %d", len(m.sampler.total), samples)
	}
	// The password is kept for the session: e and enter run again
	// without asking.
	got = nil
	pressAll(m, "e", "enter")
	if got == nil || got.CertPassword != pw {
		t.Errorf("a second run should reuse the password typed: %+v", got)
	}
}

// A principal without keytab or credential cache gets its password asked
// the same way.
func TestFormAsksAKerberosPassword(t *testing.T) {
	var got *probes.Target
	m := newWizardModel(t, 80, 24, TargetFields{})
	m.wizard.opt.Base = FormBase{Env: func(string) string { return "" }}
	m.wizard.opt.Plan = func(tg *probes.Target) []probes.Step { got = tg; return recordedPlan(tg) }
	start(m)
	pressAll(m, "2")
	typeText(m, "hv1.contoso.com")
	for i := 0; i < 8; i++ { // port, auth, proxy, bypass, VM, KDC, realm, principal
		pressAll(m, "tab")
	}
	typeText(m, "hvradmin@CONTOSO.COM")
	pressAll(m, "enter")
	if scr := strings.Join(screen(m), "\n"); !strings.Contains(scr, "Password for") || !strings.Contains(scr, "hvradmin@CONTOSO.COM\":") {
		t.Fatalf("a principal alone should ask its password:\n%s", scr)
	}
	typeText(m, "krb-pass")
	pressAll(m, "enter")
	if got == nil || got.Password != "krb-pass" || got.Principal == "" {
		t.Fatalf("target: %+v", got)
	}
}

// The form is validated in the background (it reads the files named and
// may derive a PFX key): enter returns at once with a command, and the
// form says it is checking.
func TestFormValidatesInTheBackground(t *testing.T) {
	m := newWizardModel(t, 80, 24, TargetFields{})
	start(m)
	pressAll(m, "2")
	typeText(m, "hv1.contoso.com")
	_, cmd := m.Update(keyMsg("enter"))
	if cmd == nil || m.wizard.target != nil || !strings.Contains(strings.Join(screen(m), "\n"), "checking the form...") {
		t.Fatalf("enter should validate in a command:\n%s", strings.Join(screen(m), "\n"))
	}
	runAll(m, cmd)
	if m.wizard.target == nil || m.wizard.target.Replica != "hv1.contoso.com" {
		t.Errorf("after the validation the checks run: %+v", m.wizard.target)
	}
}

// The PFX's path is named as typed: a Windows path kept its doubled
// backslashes ("C:\\users\\...") when it was strconv-quoted (seen under
// wine).
func TestSecretPromptNamesWindowsPathAsTyped(t *testing.T) {
	for p, want := range map[string]string{
		`C:\Users\admin\hv1.pfx`:         `Password for "C:\Users\admin\hv1.pfx"`,
		`\\fileserver\certs\replica.pfx`: `Password for "\\fileserver\certs\replica.pfx"`,
	} {
		if got := (secretPrompt{cert: p}).label(); got != want {
			t.Errorf("%s: %q, want %q", p, got, want)
		}
	}
}
