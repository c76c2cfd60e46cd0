package tui

import (
	"testing"

	"github.com/hvrdoctor/hvrdoctor/views"
)

func TestDetectDisplay(t *testing.T) {
	cases := []struct {
		goos  string
		env   map[string]string
		ascii bool
		mode  views.GraphMode
	}{
		{"linux", map[string]string{"LANG": "en_US.UTF-8"}, false, views.Braille},
		{"linux", map[string]string{"LANG": "C.utf8", "TERM": "xterm-256color"}, false, views.Braille},
		{"linux", map[string]string{}, false, views.Braille},
		{"linux", map[string]string{"LANG": "C"}, true, views.ASCII},
		{"linux", map[string]string{"LC_ALL": "POSIX", "LANG": "en_US.UTF-8"}, true, views.ASCII},
		{"linux", map[string]string{"LC_ALL": "", "LC_CTYPE": "de_DE.ISO-8859-1"}, true, views.ASCII},
		{"linux", map[string]string{"LANG": "en_US.UTF-8", "TERM": "linux"}, false, views.Blocks},
		{"darwin", map[string]string{"LANG": "en_GB.UTF-8"}, false, views.Braille},
		{"windows", map[string]string{}, false, views.Blocks},
		{"windows", map[string]string{"WT_SESSION": "0d3c9a4e"}, false, views.Braille},
	}
	for _, c := range cases {
		ascii, mode := DetectDisplay(c.goos, func(k string) string { return c.env[k] })
		if ascii != c.ascii || mode != c.mode {
			t.Errorf("%s %v: ascii=%v mode=%s, want ascii=%v mode=%s", c.goos, c.env, ascii, mode, c.ascii, c.mode)
		}
	}
}
