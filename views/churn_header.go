package views

import (
	"fmt"
	"strings"
	"time"
)

// ReplayHeader is what the header says on a recording instead of the live
// host: which recording, the cursor's time and sample number.
type ReplayHeader struct {
	// Source is the recording as the user named it (a directory or file).
	Source string
	// Host is the host the recording names; "" when it has no Host column.
	Host string
	// Now is the time of the sample under the cursor.
	Now time.Time
	// Index is the cursor's sample (1-based) of Count.
	Index, Count int
	// Hint names the cursor keys.
	Hint string
}

// SpikeText is the spike mark for a minute at factor times the baseline:
// "spike: 31x baseline".
func SpikeText(factor float64) string {
	if factor >= 10 {
		return fmt.Sprintf("spike: %.0fx baseline", factor)
	}
	return fmt.Sprintf("spike: %.1fx baseline", factor)
}

// ChurnHeader is Header with the churn additions: spike (SpikeText, or "")
// is marked on the first line, seen from every tab; on a replay (rp not
// nil) the first line names the recording and the cursor ("replay of DIR,
// 04:57:12 (sample 1234 of 8640)") instead of the host and interval, and
// the second line gives the status and the cursor keys.
func ChurnHeader(d HeaderData, spike string, rp *ReplayHeader, w int, t Theme) string {
	if rp == nil && spike == "" {
		return Header(d, w, t)
	}
	mark := ""
	if spike != "" {
		mark = t.Error.Render(spike)
	}
	sep := t.Muted.Render(t.Glyphs.Separator)
	if rp == nil {
		line2 := Header(d, w, t)
		if i := strings.IndexByte(line2, '\n'); i >= 0 {
			line2 = line2[i+1:]
		}
		left := t.Title.Render("hvrdoctor") + sep + t.Label.Render("host ") + t.Value.Render(d.Host) +
			sep + t.Label.Render("every ") + t.Value.Render(FormatInterval(d.Interval))
		if d.Averaged {
			left += sep + t.Value.Render("1-min averages")
		}
		if d.Info.WriteLabel != "" {
			left += sep + t.Value.Render(d.Info.WriteLabel)
		}
		right := mark
		if !d.Now.IsZero() {
			right += " " + t.Muted.Render(d.Now.Format("15:04:05"))
		}
		if d.Paused {
			right = t.Paused.Render(" PAUSED ") + " " + right
		}
		return spread(left, strings.TrimSpace(right), w, t.Glyphs.Ellipsis) + "\n" + line2
	}

	at := "no sample yet"
	if !rp.Now.IsZero() {
		at = fmt.Sprintf("%s (sample %d of %d)", rp.Now.Format("15:04:05"), rp.Index, rp.Count)
	}
	if rp.Host != "" {
		at = "host " + rp.Host + ", " + at
	}
	right := mark
	if d.Averaged {
		// The lists average the recorded minute up to the cursor.
		right = strings.TrimSpace(t.Value.Render("1-min averages") + " " + right)
	}
	if d.Paused {
		right = strings.TrimSpace(t.Paused.Render(" PAUSED ") + " " + right)
	}
	// The recording's name gives way first (its start is cut, so the end
	// of the path shows), then the words around the cursor.
	title := t.Title.Render("hvrdoctor") + sep
	room := w - Width(title) - Width("replay of , "+at)
	if right != "" {
		room -= Width(right) + 2
	}
	left := t.Value.Render(at)
	for _, opt := range []string{
		title + t.Value.Render("replay of "+cutLeft(rp.Source, room, t.Glyphs.Ellipsis)+", "+at),
		title + t.Value.Render("replay "+at),
		t.Value.Render("replay " + at),
	} {
		if room >= min(5, Width(rp.Source)) || !strings.Contains(opt, "replay of") {
			if Width(opt)+Width(right)+2 <= w || right == "" && Width(opt) <= w {
				left = opt
				break
			}
		}
	}
	line1 := Truncate(left, w, t.Glyphs.Ellipsis)
	if right != "" {
		line1 = spread(left, right, w, t.Glyphs.Ellipsis)
	}
	var parts []string
	if d.Status != "" {
		parts = append(parts, t.Value.Render(d.Status))
	}
	if d.Err != nil {
		parts = append(parts, t.Error.Render(d.Err.Error()))
	}
	if d.Filter != "" {
		parts = append(parts, t.Label.Render("filter ")+t.Value.Render(d.Filter))
	}
	if rp.Hint != "" {
		parts = append(parts, t.Muted.Render(rp.Hint))
	}
	return line1 + "\n" + Truncate(strings.Join(parts, sep), w, t.Glyphs.Ellipsis)
}

// cutLeft keeps the end of plain s in at most w cells, starting it with
// tail when something was cut.
func cutLeft(s string, w int, tail string) string {
	if Width(s) <= w {
		return s
	}
	if w <= Width(tail) {
		return ""
	}
	r := []rune(s)
	keep := w - Width(tail)
	return tail + string(r[len(r)-keep:])
}
