package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hvrdoctor/hvrdoctor/views"
)

// TargetFields are the wizard form's values as typed, "" when not given.
// They mirror flags of `hvrdoctor check` (the form labels name them), and
// WizardOptions.Parse turns them into a probes.Target the same way.
type TargetFields struct {
	Replica, Port, Auth, Proxy, Bypass, Cert, KDC, Realm string
	// VM names the VM in the fix commands (--vm).
	VM string
}

// formField is one input of the form.
type formField struct {
	label, flag, hint string
	ptr               func(*TargetFields) *string
	in                textinput.Model
}

// targetForm is the wizard's target form: one text input per field, one
// focused at a time.
type targetForm struct {
	fields []formField
	focus  int
	err    string
	note   string
}

// newTargetForm builds the form prefilled with f. proxyHint is the
// placeholder of the proxy field: what an empty field will use.
func newTargetForm(f TargetFields, proxyHint string, t views.Theme) targetForm {
	defs := []formField{
		{label: "Replica server", flag: "--replica", hint: "the replica's FQDN (best), short name or IP address",
			ptr: func(v *TargetFields) *string { return &v.Replica }},
		{label: "Port", flag: "--port", hint: "the listener port; empty = 80 for Kerberos, 443 for certificate",
			ptr: func(v *TargetFields) *string { return &v.Port }},
		{label: "Authentication", flag: "--auth", hint: "kerberos or certificate",
			ptr: func(v *TargetFields) *string { return &v.Auth }},
		{label: "Proxy", flag: "--proxy", hint: "http://HOST:PORT of the forward proxy; empty = detect (HTTPS_PROXY, then WinHTTP)",
			ptr: func(v *TargetFields) *string { return &v.Proxy }},
		{label: "Bypass proxy", flag: "--bypass-proxy", hint: "yes to check as with -BypassProxyServer $true, else no",
			ptr: func(v *TargetFields) *string { return &v.Bypass }},
		{label: "Certificate", flag: "--cert", hint: "certificate auth: PEM, DER or PFX file, or a thumbprint on Windows",
			ptr: func(v *TargetFields) *string { return &v.Cert }},
		{label: "KDC", flag: "--kdc", hint: "Kerberos: domain controller HOST[:PORT]; empty = from krb5.conf",
			ptr: func(v *TargetFields) *string { return &v.KDC }},
		{label: "Realm", flag: "--realm", hint: "Kerberos realm, the AD domain in capitals (CONTOSO.COM)",
			ptr: func(v *TargetFields) *string { return &v.Realm }},
		{label: "VM name", flag: "--vm", hint: "the VM that replicates, named in the fix commands; empty = <VM>",
			ptr: func(v *TargetFields) *string { return &v.VM }},
	}
	placeholders := map[string]string{
		"--replica": "(type the replica's FQDN)", "--port": "(default)", "--auth": "(kerberos)",
		"--proxy": proxyHint, "--bypass-proxy": "(no)", "--cert": "(none)", "--kdc": "(from krb5.conf)",
		"--realm": "(from the FQDN)", "--vm": "(<VM>)",
	}
	st := textinput.StyleState{Text: lipgloss.NewStyle(), Placeholder: t.Muted, Suggestion: t.Muted, Prompt: t.Muted}
	for i := range defs {
		in := textinput.New()
		in.Prompt = ""
		in.Placeholder = placeholders[defs[i].flag]
		in.CharLimit = 256
		in.SetStyles(textinput.Styles{Focused: st, Blurred: st, Cursor: textinput.CursorStyle{Blink: false}})
		in.SetValue(*defs[i].ptr(&f))
		defs[i].in = in
	}
	return targetForm{fields: defs}
}

// values reads the fields.
func (f *targetForm) values() TargetFields {
	var v TargetFields
	for _, fl := range f.fields {
		*fl.ptr(&v) = fl.in.Value()
	}
	return v
}

// set replaces every field's value.
func (f *targetForm) set(v TargetFields) {
	for i := range f.fields {
		f.fields[i].in.SetValue(*f.fields[i].ptr(&v))
	}
}

// focusField moves the focus to field i (wrapping around).
func (f *targetForm) focusField(i int) tea.Cmd {
	n := len(f.fields)
	f.fields[f.focus].in.Blur()
	f.focus = ((i % n) + n) % n
	f.fields[f.focus].in.CursorEnd()
	return f.fields[f.focus].in.Focus()
}

// blur takes the focus away from every field.
func (f *targetForm) blur() { f.fields[f.focus].in.Blur() }

// input passes a message to the focused field.
func (f *targetForm) input(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	f.fields[f.focus].in, cmd = f.fields[f.focus].in.Update(msg)
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

// data is the form for views.Form.
func (f *targetForm) data(editing bool) views.FormData {
	d := views.FormData{Err: f.err, Note: f.note, Editing: editing}
	for i, fl := range f.fields {
		d.Fields = append(d.Fields, views.FormField{Label: fl.label, Flag: fl.flag, Input: fl.in.View(),
			Hint: fl.hint, Focused: i == f.focus})
	}
	return d
}

// Args turns the fields into the flags of `hvrdoctor check` (only those
// given), so the form is validated by the very code that parses check's
// command line. The bypass field takes yes or no.
func (v TargetFields) Args() ([]string, error) {
	var args []string
	add := func(flag, val string) {
		if val = strings.TrimSpace(val); val != "" {
			args = append(args, flag, val)
		}
	}
	add("--replica", v.Replica)
	if strings.TrimSpace(v.Replica) == "" {
		args = append(args, "--replica", "")
	}
	add("--port", v.Port)
	add("--auth", v.Auth)
	add("--proxy", v.Proxy)
	switch strings.ToLower(strings.TrimSpace(v.Bypass)) {
	case "", "no", "n", "false", "0":
	case "yes", "y", "true", "1":
		args = append(args, "--bypass-proxy")
	default:
		return nil, fmt.Errorf("--bypass-proxy %q: type yes or no", v.Bypass)
	}
	add("--cert", v.Cert)
	add("--kdc", v.KDC)
	add("--realm", v.Realm)
	add("--vm", v.VM)
	return args, nil
}
