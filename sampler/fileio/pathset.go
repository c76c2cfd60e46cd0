package fileio

import (
	"strings"

	"github.com/mattn/go-runewidth"
)

// ShortenPaths fits each path into width cells like ShortenPath, but as a
// set: where two different paths would come out the same (a run of
// `/tmp/…/001/in.csv` rows that differ only in a left-out directory), each
// keeps the directory where it differs from the others, cut around the
// first differing character if it is long, so that distinct files stay
// distinct on screen. Equal paths stay equal. Every result fits width.
func ShortenPaths(paths []string, width int) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = ShortenPath(p, width)
	}
	if width <= 0 {
		return out
	}
	groups := map[string][]int{}
	for i, s := range out {
		groups[s] = append(groups[s], i)
	}
	for _, idx := range groups {
		if len(idx) < 2 {
			continue
		}
		for _, i := range idx {
			if s, ok := shortenApart(paths[i], paths, idx, width); ok {
				out[i] = s
			}
		}
	}
	return out
}

// splitPath cuts a path into its root ("" for "/…", "C:", `\\server`),
// directories and file name; ok is false for a path with no directory.
func splitPath(path string) (head string, dirs []string, name, sep string, ok bool) {
	sep = string(pathSep(path))
	parts := strings.Split(path, sep)
	if len(parts) < 3 {
		return "", nil, "", sep, false
	}
	head, rest := parts[0], parts[1:]
	if head == "" && len(rest) > 1 && rest[0] == "" { // `\\server\share\...`
		head, rest = sep+sep+rest[1], rest[2:]
		if len(rest) < 2 {
			return "", nil, "", sep, false
		}
	}
	return head, rest[:len(rest)-1], rest[len(rest)-1], sep, true
}

// shortenApart shortens path (one of paths[idx], which ShortenPath made
// look the same) keeping the directories where it differs from the
// others. ok is false when that cannot fit width.
func shortenApart(path string, paths []string, idx []int, width int) (string, bool) {
	head, dirs, name, sep, ok := splitPath(path)
	if !ok {
		return "", false
	}
	// The first differing directory against each other path, and the
	// first differing character in it.
	keep := make([]bool, len(dirs))
	at := make([]int, len(dirs))
	need := false
	for _, j := range idx {
		q := paths[j]
		if q == path {
			continue
		}
		_, qd, _, _, ok := splitPath(q)
		if !ok {
			continue
		}
		for k := 0; k < len(dirs); k++ {
			if k >= len(qd) || dirs[k] != qd[k] {
				if !keep[k] {
					at[k] = len(dirs[k])
				}
				keep[k], need = true, true
				c := 0
				if k < len(qd) {
					c = firstDiff(dirs[k], qd[k])
				}
				at[k] = min(at[k], c)
				break
			}
		}
	}
	if !need {
		return "", false
	}
	shown := make([]string, len(dirs))
	copy(shown, dirs)
	fits := func() bool { return runewidth.StringWidth(buildKept(head, shown, name, sep, keep)) <= width }
	if !fits() {
		// Cut the kept directories around where they differ, sharing the
		// room left by the root, the file name and the separators.
		n := 0
		for _, k := range keep {
			if k {
				n++
			}
		}
		blank := make([]string, len(dirs))
		room := width - runewidth.StringWidth(buildKept(head, blank, name, sep, keep))
		share := room / n
		if share < 4 {
			return "", false
		}
		for k := range dirs {
			if keep[k] {
				// As little as tells it apart for now: other
				// directories come first, the rest of this one after.
				rs := []rune(dirs[k])
				least := runewidth.StringWidth(Ellipsis) + runewidth.StringWidth(string(rs[max(0, min(at[k]-2, len(rs)-1)):]))
				shown[k] = cutAround(dirs[k], at[k], min(share, least))
			}
		}
		if !fits() {
			return "", false
		}
	}
	// Then whole directories nearest the file, then from the root, while
	// they fit, as ShortenPath does.
	for k := len(dirs) - 1; k >= 0; k-- {
		if keep[k] {
			continue
		}
		keep[k] = true
		if !fits() {
			keep[k] = false
			break
		}
	}
	for k := 0; k < len(dirs); k++ {
		if keep[k] {
			continue
		}
		keep[k] = true
		if !fits() {
			keep[k] = false
			break
		}
	}
	// Give the cut directories the room still left.
	if cut := cutDirs(dirs, shown); len(cut) > 0 {
		extra := (width - runewidth.StringWidth(buildKept(head, shown, name, sep, keep))) / len(cut)
		for _, k := range cut {
			shown[k] = cutAround(dirs[k], at[k], runewidth.StringWidth(shown[k])+extra)
		}
	}
	return buildKept(head, shown, name, sep, keep), true
}

// cutDirs are the indices of the directories shown cut.
func cutDirs(dirs, shown []string) []int {
	var out []int
	for k := range dirs {
		if shown[k] != dirs[k] {
			out = append(out, k)
		}
	}
	return out
}

// buildKept joins the root, the kept directories (a run of left-out ones
// is one Ellipsis) and the file name.
func buildKept(head string, dirs []string, name, sep string, keep []bool) string {
	var b strings.Builder
	b.WriteString(head)
	gap := false
	for k, d := range dirs {
		if keep[k] {
			b.WriteString(sep + d)
			gap = false
		} else if !gap {
			b.WriteString(sep + Ellipsis)
			gap = true
		}
	}
	b.WriteString(sep + name)
	return b.String()
}

// firstDiff is the index of the first rune where a and b differ, in runes.
func firstDiff(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	i := 0
	for i < len(ra) && i < len(rb) && ra[i] == rb[i] {
		i++
	}
	return i
}

// cutAround fits s into width cells keeping the runes from at (where it
// differs from another name) on: its start, an Ellipsis, then the part
// from just before at, cut at its end too if need be.
func cutAround(s string, at, width int) string {
	rs := []rune(s)
	if runewidth.StringWidth(s) <= width {
		return s
	}
	start := max(0, min(at-2, len(rs)-1))
	tail := string(rs[start:])
	ew := runewidth.StringWidth(Ellipsis)
	if start == 0 {
		return runewidth.Truncate(s, width, Ellipsis)
	}
	if tw := runewidth.StringWidth(tail); tw+ew <= width {
		// The start of s in the room the differing part leaves.
		return runewidth.Truncate(string(rs[:start]), width-tw-ew, "") + Ellipsis + tail
	}
	return Ellipsis + runewidth.Truncate(tail, width-ew, Ellipsis)
}
