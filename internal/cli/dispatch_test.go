package cli

import (
	"bytes"
	"strings"
	"testing"
)

// "hvrdoctor help COMMAND" shows that command's flags, as "COMMAND -h"
// does; plain "help" and an unknown command keep their own answers.
func TestDispatchHelp(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"help", "record"}, exitOK, "Usage: hvrdoctor record"},
		{[]string{"help", "check"}, exitOK, "--replica"},
		{[]string{"help"}, exitOK, "hvrdoctor explain"},
		{[]string{"nosuch"}, exitUsage, `unknown command "nosuch"`},
	} {
		var out, errb bytes.Buffer
		code := dispatch(c.args, &out, &errb)
		if code != c.code || !strings.Contains(out.String()+errb.String(), c.want) {
			t.Errorf("hvrdoctor %s: exit %d, want %d with %q; stdout:\n%s\nstderr:\n%s",
				strings.Join(c.args, " "), code, c.code, c.want, out.String(), errb.String())
		}
	}
}
