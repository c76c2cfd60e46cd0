package probes

import (
	"fmt"
	"github.com/hvrdoctor/hvrdoctor/internal/textsafe"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxShownPath bounds how much of a file path an error message repeats:
// Windows' MAX_PATH, so that every ordinary path, however deep, is named
// whole (MaxShownValue's 60 characters cut most Windows paths, such as
// those under C:\Users\...\AppData, before their file name).
const MaxShownPath = 260

// ShowPath returns a file path as an error message shows it: in double
// quotes, whole up to MaxShownPath characters (cut beyond, with the full
// length said), with control characters and double quotes escaped but
// backslashes left as typed, so that C:\certs\replica.pfx and
// \\server\share\x.pfx read as the user wrote them.
func ShowPath(p string) string {
	if p == "" {
		return ""
	}
	cut := ""
	if utf8.RuneCountInString(p) > MaxShownPath {
		n := 0
		for i := range p {
			if n == MaxShownPath {
				cut = fmt.Sprintf("... (%d bytes)", len(p))
				p = p[:i]
				break
			}
			n++
		}
	}
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range p {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(p[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, p[i])
		case r == '"':
			b.WriteString(`\"`)
		case textsafe.Unprintable(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String() + cut
}
