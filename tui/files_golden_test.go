package tui

import (
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
)

// The Files tab's goldens pin the whole screen after five intervals of the
// replayed per-file sequence (files_helpers_test.go). Update them with
// `go test ./tui -run FilesGolden -update` after a deliberate change, and
// read the diff.
func TestFilesGolden(t *testing.T) {
	cases := []struct {
		name    string
		w, h    int
		profile colorprofile.Profile
		keys    []string
	}{
		{"80x24_ansi16", 80, 24, colorprofile.ANSI, []string{"2"}},
		{"80x24_no_color", 80, 24, colorprofile.ASCII, []string{"2"}},
		{"160x48_ansi16", 160, 48, colorprofile.ANSI, []string{"2"}},
		{"80x24_grouped_ansi16", 80, 24, colorprofile.ANSI, []string{"2", "t"}},
		{"80x24_file_graph_ansi16", 80, 24, colorprofile.ANSI, []string{"2", "enter"}},
		{"80x24_process_files_no_color", 80, 24, colorprofile.ASCII, []string{"j", "f"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, _ := newFilesModel(t, 10, c.w, c.h)
			start(m)
			step(m, 5)
			pressAll(m, c.keys...)
			golden.RequireEqual(t, render(t, m, c.profile))
		})
	}
}
