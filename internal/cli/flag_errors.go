package cli

import (
	"regexp"
	"strconv"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// quotedInFlagError finds the values the flag package quotes in its errors
// (`invalid value "..." for flag -port: ...`).
var quotedInFlagError = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// unknownFlag finds the flag name in "flag provided but not defined: -NAME"
// and "bad flag syntax: NAME".
var unknownFlag = regexp.MustCompile(`(?s)^(flag provided but not defined: |bad flag syntax: )(.*)$`)

// flagErrorLine is an error about the command line as one short line:
// every value it quotes (as the flag package and %q do) is cut and any URL
// password redacted (probes.ShowValue), as is an over-long unknown flag
// name.
func flagErrorLine(err error) string {
	s := quotedInFlagError.ReplaceAllStringFunc(err.Error(), func(q string) string {
		v, uerr := strconv.Unquote(q)
		if uerr != nil {
			return q
		}
		if v == "" {
			return q
		}
		return probes.ShowValue(v)
	})
	if m := unknownFlag.FindStringSubmatch(s); m != nil {
		if len(m[2]) > probes.MaxShownValue || strconv.Quote(m[2]) != `"`+m[2]+`"` || probes.RedactURL(m[2]) != m[2] {
			s = m[1] + probes.ShowValue(m[2])
		}
	}
	return s
}
