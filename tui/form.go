package tui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hvrdoctor/hvrdoctor/views"
)

// TargetFields are the wizard form's values as typed, "" when not given.
// They mirror the flags of `hvrdoctor check` (the form labels name them);
// ParseFields turns them into a probes.TargetInput for the one validator
// in probes.
type TargetFields struct {
	Replica, Port string
	// Auth is "kerberos" or "certificate" (a choice in the form); Bypass
	// "yes" or "no".
	Auth, Proxy, Bypass string
	// VM names the VM in the fix commands (--vm).
	VM string
	// Certificate authentication: --ca, --cert, --cert-name.
	CA, Cert, CertName string
	// Kerberos and the directory: --kdc, --realm, --principal, --keytab,
	// --ccache, --ldap, --ldap-user.
	KDC, Realm, Principal, Keytab, CCache, LDAP, LDAPUser string
}

// Authentication choices of the form, the first the default.
var (
	authChoices   = []string{"kerberos", "certificate"}
	bypassChoices = []string{"no", "yes"}
)

// formField is one input of the form: a text input, or a choice among
// fixed values (choices not nil) moved with left, right or space.
type formField struct {
	label, flag, hint string
	ptr               func(*TargetFields) *string
	in                textinput.Model
	choices           []string
	choice            int
	// auth limits the field to one authentication type ("" = both).
	auth string
}

// value is what the field holds: the choice, or the text typed.
func (f *formField) value() string {
	if f.choices != nil {
		return f.choices[f.choice]
	}
	return f.in.Value()
}

// setValue sets the text, or the choice that matches v (the first when
// none does, v empty included).
func (f *formField) setValue(v string) {
	if f.choices == nil {
		f.in.SetValue(v)
		return
	}
	f.choice = 0
	for i, c := range f.choices {
		if strings.EqualFold(strings.TrimSpace(v), c) {
			f.choice = i
		}
	}
}

// targetForm is the wizard's target form: one input per field, one focused
// at a time; the certificate fields show with certificate authentication,
// the Kerberos and directory fields with Kerberos.
type targetForm struct {
	fields []formField
	focus  int
	err    string
	note   string
	ascii  bool
}

// newTargetForm builds the form prefilled with f. proxyHint is the
// placeholder of the proxy field: what an empty field will use.
func newTargetForm(f TargetFields, proxyHint string, t views.Theme) targetForm {
	defs := []formField{
		{label: "Replica server", flag: "--replica", hint: "the replica's FQDN (best), short name or IP address",
			ptr: func(v *TargetFields) *string { return &v.Replica }},
		{label: "Port", flag: "--port", hint: "the listener port; empty = 80 for Kerberos, 443 for certificate",
			ptr: func(v *TargetFields) *string { return &v.Port }},
		{label: "Authentication", flag: "--auth", hint: "the replication's authentication type",
			ptr: func(v *TargetFields) *string { return &v.Auth }, choices: authChoices},
		{label: "Proxy", flag: "--proxy", hint: "http://HOST:PORT of the forward proxy; empty = detect (HTTPS_PROXY, then WinHTTP)",
			ptr: func(v *TargetFields) *string { return &v.Proxy }},
		{label: "Bypass proxy", flag: "--bypass-proxy", hint: "yes checks as with -BypassProxyServer $true",
			ptr: func(v *TargetFields) *string { return &v.Bypass }, choices: bypassChoices},
		{label: "VM name", flag: "--vm", hint: "the VM that replicates, named in the fix commands; empty = <VM>",
			ptr: func(v *TargetFields) *string { return &v.VM }},
		{label: "CA bundle", flag: "--ca", hint: "PEM or DER file of the root CAs the replica's certificate chains to; empty = the system's",
			ptr: func(v *TargetFields) *string { return &v.CA }, auth: "certificate"},
		{label: "Certificate", flag: "--cert", hint: "the primary's certificate: PEM, DER or PFX file (a PFX password is asked here), or a thumbprint on Windows",
			ptr: func(v *TargetFields) *string { return &v.Cert }, auth: "certificate"},
		{label: "Certificate name", flag: "--cert-name", hint: "the FQDN the primary's certificate must carry (this host's name as the replica sees it)",
			ptr: func(v *TargetFields) *string { return &v.CertName }, auth: "certificate"},
		{label: "KDC", flag: "--kdc", hint: "domain controller HOST[:PORT]; empty = from krb5.conf",
			ptr: func(v *TargetFields) *string { return &v.KDC }, auth: "kerberos"},
		{label: "Realm", flag: "--realm", hint: "the AD domain in capitals (CONTOSO.COM)",
			ptr: func(v *TargetFields) *string { return &v.Realm }, auth: "kerberos"},
		{label: "Principal", flag: "--principal", hint: "user or user@REALM to ask the KDC with; without keytab or ccache its password is asked here",
			ptr: func(v *TargetFields) *string { return &v.Principal }, auth: "kerberos"},
		{label: "Keytab", flag: "--keytab", hint: "keytab file with the principal's key",
			ptr: func(v *TargetFields) *string { return &v.Keytab }, auth: "kerberos"},
		{label: "Credential cache", flag: "--ccache", hint: "Kerberos credential cache file (from kinit), instead of a keytab",
			ptr: func(v *TargetFields) *string { return &v.CCache }, auth: "kerberos"},
		{label: "LDAP URL", flag: "--ldap", hint: "ldap://DC or ldaps://DC to see which account holds the SPNs",
			ptr: func(v *TargetFields) *string { return &v.LDAP }, auth: "kerberos"},
		{label: "LDAP user", flag: "--ldap-user", hint: "DN or user@domain to bind with; its password is asked here; empty = the Kerberos login",
			ptr: func(v *TargetFields) *string { return &v.LDAPUser }, auth: "kerberos"},
	}
	placeholders := map[string]string{
		"--replica": "(type the replica's FQDN)", "--port": "(default)", "--proxy": proxyHint, "--vm": "(<VM>)",
		"--ca": "(system roots)", "--cert": "(none)", "--cert-name": "(none)", "--kdc": "(none: give one, or a realm from krb5.conf)",
		"--realm": "(with a KDC: from the FQDN)", "--principal": "(none)", "--keytab": "(none)", "--ccache": "(none)",
		"--ldap": "(none)", "--ldap-user": "(the Kerberos login)",
	}
	st := textinput.StyleState{Text: lipgloss.NewStyle(), Placeholder: t.Muted, Suggestion: t.Muted, Prompt: t.Muted}
	for i := range defs {
		in := textinput.New()
		in.Prompt = ""
		in.Placeholder = placeholders[defs[i].flag]
		in.CharLimit = 256
		in.SetStyles(textinput.Styles{Focused: st, Blurred: st, Cursor: textinput.CursorStyle{Blink: false}})
		defs[i].in = in
		defs[i].setValue(*defs[i].ptr(&f))
	}
	return targetForm{fields: defs, ascii: t.Glyphs.ASCII}
}

// auth is the authentication type chosen.
func (f *targetForm) auth() string {
	for i := range f.fields {
		if f.fields[i].flag == "--auth" {
			return f.fields[i].value()
		}
	}
	return authChoices[0]
}

// shown reports whether field i applies to the chosen authentication.
func (f *targetForm) shown(i int) bool {
	a := f.fields[i].auth
	return a == "" || a == f.auth()
}

// values reads the fields that apply to the chosen authentication; the
// others read as not given.
func (f *targetForm) values() TargetFields {
	var v TargetFields
	for i := range f.fields {
		if f.shown(i) {
			*f.fields[i].ptr(&v) = f.fields[i].value()
		}
	}
	return v
}

// set replaces every field's value.
func (f *targetForm) set(v TargetFields) {
	for i := range f.fields {
		f.fields[i].setValue(*f.fields[i].ptr(&v))
	}
}

// focusField moves the focus to field i, or past it in the direction of
// travel to the next field that applies (wrapping around).
func (f *targetForm) focusField(i int) tea.Cmd {
	n := len(f.fields)
	dir := 1
	if i < f.focus {
		dir = -1
	}
	i = ((i % n) + n) % n
	for k := 0; k < n && !f.shown(i); k++ {
		i = ((i+dir)%n + n) % n
	}
	f.fields[f.focus].in.Blur()
	f.focus = i
	if f.fields[i].choices != nil {
		return nil
	}
	f.fields[i].in.CursorEnd()
	return f.fields[i].in.Focus()
}

// next and prev move to the next or previous field that applies.
func (f *targetForm) next() tea.Cmd { return f.focusField(f.focus + 1) }
func (f *targetForm) prev() tea.Cmd { return f.focusField(f.focus - 1) }

// blur takes the focus away from every field.
func (f *targetForm) blur() { f.fields[f.focus].in.Blur() }

// input passes a message to the focused field: a choice moves with left,
// right or space, a text input takes the rest.
func (f *targetForm) input(msg tea.Msg) tea.Cmd {
	fl := &f.fields[f.focus]
	if fl.choices != nil {
		if k, ok := msg.(tea.KeyPressMsg); ok {
			switch k.String() {
			case "right", "space", "l":
				fl.choice = (fl.choice + 1) % len(fl.choices)
			case "left", "h":
				fl.choice = (fl.choice + len(fl.choices) - 1) % len(fl.choices)
			}
		}
		return nil
	}
	var cmd tea.Cmd
	fl.in, cmd = fl.in.Update(msg)
	return cmd
}

// resize gives the inputs the width left after the labels.
func (f *targetForm) resize(w int) {
	labelW := 0
	for _, fl := range f.fields {
		labelW = max(labelW, len(fl.label))
	}
	for i := range f.fields {
		f.fields[i].in.SetWidth(max(8, w-labelW-5))
	}
}

// choiceView draws a choice with the chosen value marked: "(*) kerberos
// ( ) certificate".
func (f *targetForm) choiceView(fl *formField, t views.Theme) string {
	on, off := "(•) ", "( ) "
	if f.ascii {
		on = "(*) "
	}
	parts := make([]string, len(fl.choices))
	for i, c := range fl.choices {
		if i == fl.choice {
			parts[i] = t.Value.Render(on + c)
		} else {
			parts[i] = t.Muted.Render(off + c)
		}
	}
	return strings.Join(parts, "  ")
}

// data is the form for views.Form: the fields that apply.
func (f *targetForm) data(editing bool, t views.Theme) views.FormData {
	d := views.FormData{Err: f.err, Note: f.note, Editing: editing}
	for i := range f.fields {
		if !f.shown(i) {
			continue
		}
		fl := &f.fields[i]
		input, hint := fl.in.View(), fl.hint
		if fl.choices != nil {
			input = f.choiceView(fl, t)
			side := "←→"
			if f.ascii {
				side = "left/right"
			}
			hint += ": " + side + " or space chooses"
		}
		d.Fields = append(d.Fields, views.FormField{Label: fl.label, Flag: fl.flag, Input: input, Hint: hint,
			Focused: i == f.focus})
	}
	return d
}

// fieldAt is the index in fields of the n-th field shown, -1 if none.
func (f *targetForm) fieldAt(n int) int {
	for i := range f.fields {
		if f.shown(i) {
			if n == 0 {
				return i
			}
			n--
		}
	}
	return -1
}
