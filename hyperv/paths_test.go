package hyperv

import (
	"strings"
	"testing"
)

// A --from path is named as typed (single backslashes, whole), and a
// missing one is said in the same words on every OS: a UNC path to a
// server that does not exist, a drive path, and a long path whose file
// name must stay.
func TestFromPathErrorsNameThePathAsTyped(t *testing.T) {
	long := `C:\` + strings.Repeat(`very long folder\`, 20) + `hv-status.json`
	for _, tc := range []struct{ path, want string }{
		{`\\nosuchserver\share\hv`, `--from "\\nosuchserver\share\hv": cannot read: no such file or directory`},
		{`Z:\no such dir\measure.json`, `--from "Z:\no such dir\measure.json": cannot read: no such file or directory`},
		{long, `hv-status.json": cannot read: `},
	} {
		_, err := ReadFiles([]string{tc.path})
		if err == nil {
			t.Fatalf("%s: no error", tc.path)
		}
		msg := err.Error()
		if !strings.Contains(msg, tc.want) || strings.Contains(msg, `\\\\`) || strings.Contains(msg, "\n") {
			t.Errorf("%s:\n got %s\nwant %s", tc.path, msg, tc.want)
		}
	}
}
