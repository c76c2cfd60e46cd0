package views

import (
	"fmt"
	"github.com/hvrdoctor/hvrdoctor/internal/units"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// HeaderData is the state the two header lines show.
type HeaderData struct {
	Host     string
	Interval time.Duration
	Info     sampler.SourceInfo
	// Hidden is the number of processes whose counters could not be read
	// for lack of privilege (sampler.Frame.Hidden); Unreadable those
	// refused even with privilege (sampler.Frame.Unreadable).
	Hidden     int
	Unreadable int
	Paused     bool
	// Now is the time of the frame on screen; zero before the first sample.
	Now time.Time
	// Filter is the active name filter, "" for none.
	Filter string
	// Sort and Desc describe the table order.
	Sort SortKey
	Desc bool
	// Status is a transient message ("interval 2s"); Err the last sampling
	// error, shown instead of the notes while it lasts.
	Status string
	Err    error
	// Averaged is true when the lists show 1-minute averages instead of
	// the last interval's rates.
	Averaged bool
	// Files names the per-file backend and its main limit in one short
	// line (FilesStatus), "" when per-file data is not collected.
	Files string
}

// Header draws two lines of at most w cells: the app, host, interval, what
// the counters are (the source's write label), the frame time and PAUSED;
// then the status of the last action, the privilege state (or the last
// error), the source's note and the filter.
func Header(d HeaderData, w int, t Theme) string {
	right := ""
	if !d.Now.IsZero() {
		right = t.Muted.Render(d.Now.Format("15:04:05"))
	}
	if d.Paused {
		right = t.Paused.Render(" PAUSED ") + " " + right
	}
	right = strings.TrimSpace(right)
	// The long form first; at 80 columns with averages on it does not fit,
	// and the short one keeps what the counters are readable whole rather
	// than cut.
	left := headerLeft(d, t, false)
	if lipgloss.Width(left)+1+lipgloss.Width(right) > w {
		left = headerLeft(d, t, true)
	}
	line1 := spread(left, right, w, t.Glyphs.Ellipsis)

	return line1 + "\n" + headerLine2(d, w, t)
}

// headerLeft is the first line's left part: the app, host, interval,
// averaging and what the counters are; short drops the labels' words
// ("host ", "every ") and says "1-min avg".
func headerLeft(d HeaderData, t Theme, short bool) string {
	sep := t.Muted.Render(t.Glyphs.Separator)
	hostLabel, everyLabel, avg := "host ", "every ", "1-min averages"
	if short {
		hostLabel, everyLabel, avg = "", "", "1-min avg"
	}
	left := t.Title.Render("hvrdoctor") + sep + t.Label.Render(hostLabel) + t.Value.Render(d.Host) +
		sep + t.Label.Render(everyLabel) + t.Value.Render(FormatInterval(d.Interval))
	if d.Averaged {
		left += sep + t.Value.Render(avg)
	}
	if d.Info.WriteLabel != "" {
		left += sep + t.Value.Render(d.Info.WriteLabel)
	}
	return left
}

// headPart is one item of the header's second line, in a long and a
// short form.
type headPart struct {
	long, short string
	st          lipgloss.Style
}

// headerLine2 is the status of the last action, the error or the
// privilege state, the filter, the per-file backend and the source's
// note, in that order of importance, fitted to w cells: items take their
// short forms from the least important up, then the least important go,
// so that what is shown reads whole at 80 columns instead of being cut.
func headerLine2(d HeaderData, w int, t Theme) string {
	var parts []headPart
	add := func(long, short string, st lipgloss.Style) {
		parts = append(parts, headPart{long: long, short: short, st: st})
	}
	if d.Status != "" {
		add(d.Status, d.Status, t.Value)
	}
	if d.Filter != "" {
		add("filter "+d.Filter, "filter "+d.Filter, t.Value)
	}
	if d.Err != nil {
		add(d.Err.Error(), d.Err.Error(), t.Error)
	} else {
		if d.Hidden > 0 {
			add(HiddenText(d.Hidden), fmt.Sprintf("%d hidden (need root)", d.Hidden), t.Warn)
		}
		if d.Hidden == 0 && d.Unreadable == 0 && (d.Info.Privileged || d.Info.Name != "") {
			add("all processes visible", "all visible", t.Muted)
		}
		// What the per-file backend does not see comes before the
		// OS-protected processes, which no user action can show.
		if d.Files != "" {
			add(d.Files, shortFilesStatus(d.Files), t.Muted)
		}
		if d.Unreadable > 0 {
			add(UnreadableText(d.Unreadable), fmt.Sprintf("%d OS-protected not shown", d.Unreadable), t.Warn)
		}
		if d.Info.Note != "" {
			add(d.Info.Note, "note in ? help", t.Warn)
		}
	}
	sep := t.Muted.Render(t.Glyphs.Separator)
	short := make([]bool, len(parts))
	join := func(n int) string {
		out := make([]string, 0, n)
		for i, p := range parts[:n] {
			text := p.long
			if short[i] {
				text = p.short
			}
			out = append(out, p.st.Render(text))
		}
		return strings.Join(out, sep)
	}
	n := len(parts)
	for i := n - 1; i >= 0 && Width(join(n)) > w; i-- {
		short[i] = true
	}
	for n > 1 && Width(join(n)) > w {
		n--
	}
	return Truncate(join(n), w, t.Glyphs.Ellipsis)
}

// shortFilesStatus is FilesStatus without its parenthesis or advice:
// "files: eBPF", "files: your processes only".
func shortFilesStatus(s string) string {
	if i := strings.Index(s, " ("); i > 0 {
		return s[:i]
	}
	if i := strings.Index(s, ": "); i > 0 {
		if j := strings.Index(s[i+2:], ": "); j > 0 {
			return s[:i+2+j]
		}
	}
	return s
}

// HiddenText is the privilege warning: "37 processes hidden: run as
// root/Administrator to see them".
func HiddenText(n int) string {
	noun := "processes"
	if n == 1 {
		noun = "process"
	}
	return fmt.Sprintf("%d %s hidden: run as root/Administrator to see them", n, noun)
}

// UnreadableText says how many processes refused their counters although
// the program runs with privilege: "1 OS-protected process not shown
// (unreadable even as root)". Nothing the user can do shows them, so it
// gives no advice.
func UnreadableText(n int) string {
	noun := "processes"
	if n == 1 {
		noun = "process"
	}
	return fmt.Sprintf("%d OS-protected %s not shown (unreadable even as root)", n, noun)
}

// FormatInterval formats a sampling interval: "250ms", "1s", "1m".
func FormatInterval(d time.Duration) string { return units.Sampling(d) }
