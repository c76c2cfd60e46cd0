package views

import (
	"fmt"
	"github.com/hvrdoctor/hvrdoctor/internal/units"
	"strings"
	"time"

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
	// Files names the per-file backend and its main limit in one short
	// line (FilesStatus), "" when per-file data is not collected.
	Files string
}

// Header draws two lines of at most w cells: the app, host, interval, what
// the counters are (the source's write label), the frame time and PAUSED;
// then the status of the last action, the privilege state (or the last
// error), the source's note and the filter.
func Header(d HeaderData, w int, t Theme) string {
	sep := t.Muted.Render(t.Glyphs.Separator)
	left := t.Title.Render("hvrdoctor") + sep + t.Label.Render("host ") + t.Value.Render(d.Host) +
		sep + t.Label.Render("every ") + t.Value.Render(FormatInterval(d.Interval))
	if d.Info.WriteLabel != "" {
		left += sep + t.Value.Render(d.Info.WriteLabel)
	}
	right := ""
	if !d.Now.IsZero() {
		right = t.Muted.Render(d.Now.Format("15:04:05"))
	}
	if d.Paused {
		right = t.Paused.Render(" PAUSED ") + " " + right
	}
	line1 := spread(left, strings.TrimSpace(right), w, t.Glyphs.Ellipsis)

	var parts []string
	if d.Status != "" {
		parts = append(parts, t.Value.Render(d.Status))
	}
	if d.Err != nil {
		parts = append(parts, t.Error.Render(d.Err.Error()))
	} else {
		if d.Hidden > 0 {
			parts = append(parts, t.Warn.Render(HiddenText(d.Hidden)))
		}
		if d.Hidden == 0 && d.Unreadable == 0 && (d.Info.Privileged || d.Info.Name != "") {
			parts = append(parts, t.Muted.Render("all processes visible"))
		}
		// What the per-file backend does not see comes before the
		// OS-protected processes, which no user action can show.
		if d.Files != "" {
			parts = append(parts, t.Muted.Render(d.Files))
		}
		if d.Unreadable > 0 {
			parts = append(parts, t.Warn.Render(UnreadableText(d.Unreadable)))
		}
		if d.Info.Note != "" {
			parts = append(parts, t.Warn.Render(d.Info.Note))
		}
	}
	if d.Filter != "" {
		parts = append(parts, t.Label.Render("filter ")+t.Value.Render(d.Filter))
	}
	line2 := Truncate(strings.Join(parts, sep), w, t.Glyphs.Ellipsis)
	return line1 + "\n" + line2
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
