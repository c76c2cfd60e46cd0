package views

import (
	"strings"
	"testing"
)

// Process and file names in a recording are whatever the machine's users
// chose: a name in a wide script (日本語名, two cells a character) or with
// combining marks shifted the columns after it (padding counted runes),
// and one 4,096-byte path padded every row of the table past any
// terminal's width. Columns are measured in cells and bounded; only the
// over-long cell's own row is pushed right.
func TestBlocksTextAlignsHostileNames(t *testing.T) {
	long := "/var/tmp/" + strings.Repeat("L", 300) + "/x.dat"
	rows := [][]string{
		{"sqlservr", "10 MiB", "last"},
		{"日本語名", "9 MiB", "last"},
		{"e\u0301\u0301\u0301combining", "8 MiB", "last"},
		{"\uFFFD[31mRED\uFFFD[0m", "7 MiB", "last"},
		{long, "6 MiB", "last"},
	}
	b := Block{Heading: "Top files", Head: []string{"File", "Written", "Writer"}, Rows: rows}
	text := BlocksText("t", []Block{b})
	lines := strings.Split(text, "\n")
	var at []int
	for _, r := range rows[:4] {
		for _, l := range lines {
			if strings.HasPrefix(l, "  "+r[0]) {
				at = append(at, Width(l[:strings.Index(l, "  "+r[1])]))
				if w := Width(l); w > maxTextColumn+40 {
					t.Errorf("row %q is %d cells wide", l, w)
				}
			}
		}
	}
	if len(at) != 4 {
		t.Fatalf("rows found %d, want 4:\n%s", len(at), text)
	}
	for _, a := range at[1:] {
		if a != at[0] {
			t.Errorf("Written column at cells %v, want all at one position:\n%s", at, text)
			break
		}
	}
	if !strings.Contains(text, long) {
		t.Error("the long path is not written whole")
	}
}
