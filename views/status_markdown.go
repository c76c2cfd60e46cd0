package views

import (
	"fmt"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
)

// StatusMarkdown renders the status report as Markdown for a ticket, text
// from the files escaped.
func StatusMarkdown(r hyperv.StatusReport) string {
	var b strings.Builder
	b.WriteString("# Hyper-V Replica status\n\n")
	for _, l := range statusIntro(r) {
		b.WriteString("- " + mdEscape(l) + "\n")
	}
	for _, v := range r.VMs {
		b.WriteString("\n## " + mdEscape(vmTitle(v)) + "\n\n")
		for _, l := range vmLines(v, r.AsOf, 600) {
			pad := strings.Repeat("  ", l.indent-1)
			b.WriteString(pad + "- " + mdEscape(l.text) + "\n")
			if l.code != "" {
				b.WriteString(pad + "  ```powershell\n" + pad + "  " + l.code + "\n" + pad + "  ```\n")
			}
		}
	}
	if len(r.HostEvents) > 0 {
		b.WriteString("\n## VMMS-Admin events naming none of the VMs above (host-wide causes such as 14050)\n\n")
		for _, l := range hostLines(r, 600) {
			b.WriteString(strings.Repeat("  ", l.indent-1) + "- " + mdEscape(l.text) + "\n")
		}
	}
	if len(r.Audit) > 0 {
		b.WriteString("\n## Replica server audit\n\n")
		for _, a := range r.Audit {
			fmt.Fprintf(&b, "- **%s** %s: %s\n", a.Result, a.ID, mdEscape(a.Text))
			for _, f := range a.Fixes {
				fmt.Fprintf(&b, "  - [%s] %s\n", mdEscape(f.Where), mdEscape(f.Text))
				if f.Command != "" {
					b.WriteString("    ```powershell\n    " + f.Command + "\n    ```\n")
				}
			}
		}
	}
	return b.String()
}

// mdEscape keeps text from the files (VM names, event messages) from
// becoming Markdown markup.
func mdEscape(s string) string {
	s = Printable(s)
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "#", `\#`, "|", `\|`)
	return r.Replace(s)
}
