package fileio

import (
	"slices"
	"strings"

	"github.com/mattn/go-runewidth"
)

// Ellipsis marks the part of a path ShortenPath left out.
const Ellipsis = "…"

// ShortenPath fits a path into width terminal cells by leaving out whole
// directories in the middle. It keeps the root ("C:", "/" or `\\server`)
// and the file name, then adds directories nearest the file and from the
// root in turn: `C:\…\Temp\pagefile.sys`, `C:\Users\…\Temp\pagefile.sys`.
// A file name too long even alone is cut in its middle, keeping its
// extension. Paths with either separator are handled on every OS, so
// Windows recordings shorten correctly on Linux.
func ShortenPath(path string, width int) string {
	if width <= 0 {
		return ""
	}
	if runewidth.StringWidth(path) <= width {
		return path
	}
	sep := pathSep(path)
	parts := strings.Split(path, string(sep))
	if len(parts) < 3 {
		return shortenMiddle(path, width)
	}
	head := parts[0] // "" for an absolute Unix path, "C:" for Windows
	rest := parts[1:]
	if head == "" && len(rest) > 1 && rest[0] == "" { // `\\server\share\...`
		head, rest = string(sep)+string(sep)+rest[1], rest[2:]
		if len(rest) < 2 {
			return shortenMiddle(path, width)
		}
	}
	name := rest[len(rest)-1]
	dirs := rest[:len(rest)-1]
	s := string(sep)
	// Start with head/…/name and add directories nearest the file, then
	// from the root, while the result fits.
	left, right := 0, len(dirs) // dirs[:left] kept from the root, dirs[right:] kept near the file
	build := func(l, r int) string {
		var b strings.Builder
		b.WriteString(head)
		for _, d := range dirs[:l] {
			b.WriteString(s + d)
		}
		if l < r {
			b.WriteString(s + Ellipsis)
		}
		for _, d := range dirs[r:] {
			b.WriteString(s + d)
		}
		b.WriteString(s + name)
		return b.String()
	}
	best := build(left, right)
	if runewidth.StringWidth(best) > width {
		prefix := head + s + Ellipsis + s
		if pw := runewidth.StringWidth(prefix); width-pw >= 8 {
			return prefix + shortenMiddle(name, width-pw)
		}
		return shortenMiddle(name, width)
	}
	// Grow both kept ranges, the one near the file first, until neither
	// can take its next directory.
	nearOpen, rootOpen := true, true
	for left < right && (nearOpen || rootOpen) {
		if nearOpen {
			if cand := build(left, right-1); runewidth.StringWidth(cand) <= width {
				right, best = right-1, cand
			} else {
				nearOpen = false
			}
		}
		if rootOpen && left < right {
			if cand := build(left+1, right); runewidth.StringWidth(cand) <= width {
				left, best = left+1, cand
			} else {
				rootOpen = false
			}
		}
	}
	return best
}

// shortenMiddle cuts s in its middle to width cells, keeping a file
// extension of up to 8 characters whole.
func shortenMiddle(s string, width int) string {
	if runewidth.StringWidth(s) <= width {
		return s
	}
	if width <= 1 {
		if t := runewidth.Truncate(s, width, ""); t != "" {
			return t
		}
		return Ellipsis
	}
	ext := ""
	if i := strings.LastIndexByte(s, '.'); i > 0 && len(s)-i <= 8 && runewidth.StringWidth(s[i:]) < width-2 {
		ext = s[i:]
		s = s[:i]
	}
	avail := width - 1 - runewidth.StringWidth(ext)
	headW := (avail + 1) / 2
	tailW := avail - headW
	head := runewidth.Truncate(s, headW, "")
	rs := []rune(s)
	tail := ""
	for i := len(rs) - 1; i >= 0; i-- {
		cand := string(rs[i:])
		if runewidth.StringWidth(cand) > tailW {
			break
		}
		tail = cand
	}
	return head + Ellipsis + tail + ext
}

func pathSep(p string) byte {
	if strings.IndexByte(p, '/') < 0 && strings.IndexByte(p, '\\') >= 0 {
		return '\\'
	}
	return '/'
}

// Dir returns the directory part of a Unix or Windows path ("/var/log" for
// "/var/log/syslog", `C:\Windows` for `C:\Windows\notepad.exe`).
func Dir(path string) string {
	i := strings.LastIndexByte(path, pathSep(path))
	switch {
	case i < 0:
		return "."
	case i == 0:
		return path[:1]
	case i == 2 && path[1] == ':': // `C:\file`
		return path[:3]
	}
	return path[:i]
}

// DirActivity is the activity of the files in one directory: FileActivity
// with Key.Path set to the directory, summed over Files files.
type DirActivity struct {
	FileActivity
	Files int
}

// GroupByDir sums file activity by directory, per process when perProcess
// is true (Key.Proc and Name kept) or across processes otherwise (Key.Proc
// zero, Name the busiest process's). The result is sorted like
// Interval.Files.
func GroupByDir(files []FileActivity, perProcess bool) []DirActivity {
	groups := make(map[FileKey]*DirActivity)
	top := make(map[FileKey]uint64)
	var order []FileKey
	for _, f := range files {
		k := FileKey{Path: Dir(f.Key.Path)}
		if perProcess {
			k.Proc = f.Key.Proc
		}
		g := groups[k]
		if g == nil {
			g = &DirActivity{FileActivity: FileActivity{Key: k}}
			groups[k] = g
			order = append(order, k)
		}
		g.Files++
		g.WriteBytes += f.WriteBytes
		g.ReadBytes += f.ReadBytes
		g.WriteCalls += f.WriteCalls
		g.ReadCalls += f.ReadCalls
		g.BytesUnknown = g.BytesUnknown || f.BytesUnknown
		if t := f.WriteBytes + f.ReadBytes; g.Name == "" || t > top[k] {
			g.Name, top[k] = f.Name, t
		}
	}
	out := make([]DirActivity, 0, len(order))
	for _, k := range order {
		out = append(out, *groups[k])
	}
	slices.SortStableFunc(out, func(a, b DirActivity) int { return busiestFirst(a.FileActivity, b.FileActivity) })
	return out
}
