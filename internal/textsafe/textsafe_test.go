package textsafe

import "testing"

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain é 日本":                 "plain é 日本",
		"a\x1b[2Jb":                  "a\uFFFD[2Jb",
		"x\u202ey\u2066z\u2069":      "x\uFFFDy\uFFFDz\uFFFD",
		"\x00\r\n\t\x7f\u009b\u2028": "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD",
		"\xff\xfeok":                 "\uFFFD\uFFFDok",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"/var/lib/é.mdf":  "/var/lib/é.mdf",
		"/tmp/a\x1b[31mb": `/tmp/a\x1b[31mb`,
		"/tmp/\xff\xfe":   `/tmp/\xff\xfe`,
		"/tmp/x\u202ey":   `/tmp/x\u202ey`,
		"/tmp/\u009b2J":   `/tmp/\x9b2J`,
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}
