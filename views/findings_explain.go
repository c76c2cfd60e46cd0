package views

import (
	"fmt"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// FindingsExplain renders `hvrdoctor explain`: the code, how the input was
// read, the system message, what it means in general and for Hyper-V
// Replica, which checks find the cause, and the fixes (fixes is the
// explanation's Fixes with the user's values, or placeholders).
func FindingsExplain(e probes.Explanation, fixes []probes.Fix) string {
	return FindingsExplainFor(e, nil, fixes)
}

// FindingsExplainFor is FindingsExplain with the user's target (nil when
// none was given): the suggested check command names its replica instead
// of the <replica> placeholder.
func FindingsExplainFor(e probes.Explanation, t *probes.Target, fixes []probes.Fix) string {
	replica, proxy := "<replica>", ""
	if t != nil && t.Replica != "" && t.Replica != "<replica>" {
		replica = probes.PSQuote(t.Replica)
	}
	if t != nil && t.Proxy != nil {
		proxy = " --proxy " + probes.PSQuote("http://"+t.Proxy.Host)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s\n", e.Hex(), e.Name)
	others := []string{}
	for _, f := range e.Forms() {
		if f != e.Hex() && !strings.Contains(e.ReadAs, f) {
			others = append(others, f)
		}
	}
	fmt.Fprintf(&b, "read as %s; also written %s\n\n", e.ReadAs, strings.Join(others, ", "))
	fmt.Fprintf(&b, "Message: %s\n", e.Message)
	b.WriteString("Meaning:\n")
	writeWrapped(&b, "  ", e.Meaning)
	b.WriteString("For Hyper-V Replica:\n")
	writeWrapped(&b, "  ", e.Replica)
	b.WriteString("Checks that find the cause:\n")
	auth := e.Auth
	if auth == "" {
		auth = probes.AuthKerberos
	}
	fmt.Fprintf(&b, "  hvrdoctor check --replica %s --auth %s%s   (steps: %s)\n", replica, auth, proxy, strings.Join(e.Probes, ", "))
	if len(fixes) > 0 {
		b.WriteString("Fixes:\n")
		for i, f := range fixes {
			where := ""
			if f.Where != "" {
				where = " [on " + f.Where + "]"
			}
			writeHanging(&b, "  ", "     ", fmt.Sprintf("%d.%s %s", i+1, where, f.Text))
			if f.Command != "" {
				fmt.Fprintf(&b, "     %s\n", f.Command)
			}
		}
	}
	fmt.Fprintf(&b, "Source: %s\n", e.Source)
	return b.String()
}
