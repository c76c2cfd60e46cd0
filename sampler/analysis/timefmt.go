package analysis

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Time formats a reader accepts. Timestamps without a zone are read as
// written (wall-clock time, no conversion), so HH:MM labels match the file.
var knownLayouts = []struct{ name, layout string }{
	{"RFC 3339", time.RFC3339},
	{"RFC 3339 with a space", "2006-01-02 15:04:05Z07:00"},
	{"ISO date-time without zone", "2006-01-02T15:04:05"},
	{"date and time without zone", "2006-01-02 15:04:05"},
	{"perfmon (MM/DD/YYYY HH:MM:SS.mmm)", "01/02/2006 15:04:05"},
	{"US date with AM/PM", "1/2/2006 3:04:05 PM"},
	{"US date", "1/2/2006 15:04:05"},
	{"US date without seconds", "1/2/2006 15:04"},
	// Day first: dotted dates are always day first (DD.MM.YYYY, as German,
	// Russian, Polish... locales write them); a slashed date is read day
	// first only when the first row's day is over 12, which no month is.
	{"day-first date (DD.MM.YYYY)", "2.1.2006 15:04:05"},
	{"day-first date without seconds (DD.MM.YYYY)", "2.1.2006 15:04"},
	{"day-first date (DD/MM/YYYY)", "2/1/2006 15:04:05"},
	{"day-first date without seconds (DD/MM/YYYY)", "2/1/2006 15:04"},
	{"day-first date with a dash (DD-MM-YYYY)", "2-1-2006 15:04:05"},
}

// swapDayMonth is the layout reading a slashed date the other way round.
var swapDayMonth = map[string]string{
	"1/2/2006 15:04:05": "2/1/2006 15:04:05", "1/2/2006 15:04": "2/1/2006 15:04",
	"01/02/2006 15:04:05": "2/1/2006 15:04:05", "1/2/2006 3:04:05 PM": "2/1/2006 3:04:05 PM",
}

// TimeFormat names a timestamp format: a Go layout, or one of the keywords
// "rfc3339", "unix" (seconds), "unixms" (milliseconds), "perfmon"; "" means
// detect from the first data row.
type TimeFormat string

// timeParser parses one file's timestamps. The format is fixed by the
// option or by the first row; rows in another format are errors (mixed
// formats in one file usually mean two files were pasted together).
type timeParser struct {
	name   string // human name of the format in use
	layout string // Go layout, or "unix"/"unixms"
	fixed  bool
	// cache: recordings repeat the same timestamp on every row of a sample.
	last  []byte
	lastT time.Time
}

func newTimeParser(f TimeFormat) (*timeParser, error) {
	switch strings.ToLower(string(f)) {
	case "":
		return &timeParser{}, nil
	case "rfc3339":
		return &timeParser{name: "RFC 3339", layout: time.RFC3339, fixed: true}, nil
	case "unix":
		return &timeParser{name: "Unix seconds", layout: "unix", fixed: true}, nil
	case "unixms":
		return &timeParser{name: "Unix milliseconds", layout: "unixms", fixed: true}, nil
	case "perfmon":
		return &timeParser{name: "perfmon", layout: "01/02/2006 15:04:05", fixed: true}, nil
	}
	// A Go layout must format a reference time back into something it can
	// parse; a layout with no date or time elements is a user mistake.
	ref := time.Date(2026, 11, 24, 4, 57, 1, 0, time.UTC)
	if _, err := time.Parse(string(f), ref.Format(string(f))); err != nil || ref.Format(string(f)) == string(f) {
		return nil, fmt.Errorf("time format %q is not a Go layout (like 2006-01-02 15:04:05) nor one of rfc3339, unix, unixms, perfmon", string(f))
	}
	return &timeParser{name: fmt.Sprintf("layout %q", string(f)), layout: string(f), fixed: true}, nil
}

// parse reads one timestamp. Without a fixed format the first value picks
// one of knownLayouts.
func (p *timeParser) parse(b []byte) (time.Time, error) {
	if p.last != nil && bytes.Equal(b, p.last) {
		return p.lastT, nil
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return time.Time{}, fmt.Errorf("empty timestamp")
	}
	if p.layout == "" {
		for _, k := range knownLayouts {
			if _, err := time.ParseInLocation(k.layout, s, time.UTC); err == nil {
				p.name, p.layout = k.name, k.layout
				break
			}
		}
		if p.layout == "" {
			if _, err := strconv.ParseInt(s, 10, 64); err == nil {
				return time.Time{}, fmt.Errorf("timestamp %q looks like a number: pass --time-format unix or unixms", s)
			}
			return time.Time{}, fmt.Errorf("timestamp %q is in no known format: pass --time-format with a Go layout such as \"2006-01-02 15:04:05\"", s)
		}
	}
	var t time.Time
	var err error
	switch p.layout {
	case "unix", "unixms":
		var n int64
		n, err = strconv.ParseInt(s, 10, 64)
		if err == nil {
			if p.layout == "unix" {
				t = time.Unix(n, 0).UTC()
			} else {
				t = time.UnixMilli(n).UTC()
			}
		}
	default:
		t, err = time.ParseInLocation(p.layout, s, time.UTC)
	}
	if err != nil {
		if alt, ok := swapDayMonth[p.layout]; ok && !p.fixed {
			if _, err2 := time.ParseInLocation(alt, s, time.UTC); err2 == nil {
				return time.Time{}, fmt.Errorf("timestamp %q is day first, but the first row read as month first (%s): pass --time-format %q", s, p.name, alt)
			}
		}
		return time.Time{}, fmt.Errorf("timestamp %q is not in the file's format (%s, set by its first row)", s, p.name)
	}
	p.last = append(p.last[:0], b...)
	p.lastT = t
	return t, nil
}
