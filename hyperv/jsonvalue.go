package hyperv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// decodeObjects reads the JSON ConvertTo-Json prints: one object for one
// item, an array for several. A UTF-8 byte order mark (Windows PowerShell
// 5.1's Out-File -Encoding utf8) and UTF-16 (its default Out-File and >
// redirection) are accepted. Empty input gives no objects.
func decodeObjects(data []byte) ([]map[string]any, error) {
	data = bytes.TrimSpace(stripBOM(data))
	if len(data) == 0 {
		return nil, nil
	}
	switch data[0] {
	case '[':
		var raw []json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, jsonErr(err)
		}
		out := make([]map[string]any, 0, len(raw))
		for i, r := range raw {
			r = bytes.TrimSpace(r)
			if len(r) == 0 || r[0] != '{' {
				if string(r) == "null" {
					continue
				}
				return nil, fmt.Errorf("item %d of the array is not an object", i+1)
			}
			var o map[string]any
			if err := json.Unmarshal(r, &o); err != nil {
				return nil, jsonErr(err)
			}
			out = append(out, o)
		}
		return out, nil
	case '{':
		var one map[string]any
		if err := json.Unmarshal(data, &one); err != nil {
			return nil, jsonErr(err)
		}
		return []map[string]any{one}, nil
	}
	line, _, _ := strings.Cut(string(data), "\n")
	return nil, fmt.Errorf("not JSON: starts with %s", quoteCut(strings.TrimSpace(line), 40))
}

// slimObject is a struct an array element can be decoded into instead
// of a map, holding only the properties a kind's reader uses; asMap gives
// them to the reader as if decoded whole.
type slimObject interface {
	asMap() map[string]any
}

// decodeStream calls fn for each object of the JSON ConvertTo-Json prints
// (one object, or an array of them, nulls skipped), reading r as a stream
// and decoding an array one element at a time. Before each element after
// the first it asks slim for a slimObject to decode into (nil: a whole
// map). It returns how many objects it gave fn.
func decodeStream(r io.Reader, fn func(map[string]any) error, slim func() slimObject) (int, error) {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		return 0, jsonErr(err)
	}
	end := func(n int) (int, error) {
		if _, err := dec.Token(); err != io.EOF {
			return n, fmt.Errorf("extra data after the JSON at byte %d", dec.InputOffset())
		}
		return n, nil
	}
	switch tok {
	case json.Delim('{'):
		o, err := decodeObjectRest(dec)
		if err != nil {
			return 0, err
		}
		if err := fn(o); err != nil {
			return 1, err
		}
		return end(1)
	case json.Delim('['):
	default:
		return 0, fmt.Errorf("not JSON: starts with %s", quoteCut(fmt.Sprint(tok), 40))
	}
	n := 0
	for i := 1; dec.More(); i++ {
		var o map[string]any
		var so slimObject
		if n > 0 && slim != nil {
			so = slim()
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return n, jsonErr(err)
		}
		switch {
		case string(raw) == "null":
			continue
		case len(raw) == 0 || raw[0] != '{':
			return n, fmt.Errorf("item %d of the array is not an object", i)
		}
		if so != nil {
			if err := json.Unmarshal(raw, so); err != nil {
				return n, jsonErr(err)
			}
			o = so.asMap()
		} else if err := json.Unmarshal(raw, &o); err != nil {
			return n, jsonErr(err)
		}
		n++
		if err := fn(o); err != nil {
			return n, err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing ]
		return n, jsonErr(err)
	}
	return end(n)
}

// decodeObjectRest decodes the rest of an object whose { dec has read.
func decodeObjectRest(dec *json.Decoder) (map[string]any, error) {
	o := map[string]any{}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, jsonErr(err)
		}
		key, _ := k.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, jsonErr(err)
		}
		o[key] = v
	}
	if _, err := dec.Token(); err != nil { // the closing }
		return nil, jsonErr(err)
	}
	return o, nil
}

// jsonErr is a decoding error as one line: a file cut short says so.
func jsonErr(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF || strings.Contains(err.Error(), "unexpected end of JSON input") {
		return errors.New("JSON is cut short (unexpected end): save the whole output again")
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("JSON syntax error at byte %d: %s", se.Offset, se.Error())
	}
	return fmt.Errorf("JSON: %s", strings.ReplaceAll(err.Error(), "\n", " "))
}

// stripBOM removes a UTF-8 byte order mark and converts UTF-16 (with its
// byte order mark) to UTF-8.
func stripBOM(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		return data[3:]
	case bytes.HasPrefix(data, []byte("\xff\xfe")):
		return utf16ToUTF8(data[2:], false)
	case bytes.HasPrefix(data, []byte("\xfe\xff")):
		return utf16ToUTF8(data[2:], true)
	}
	return data
}

func utf16ToUTF8(b []byte, bigEndian bool) []byte {
	var out strings.Builder
	for i := 0; i+1 < len(b); i += 2 {
		u := uint16(b[i]) | uint16(b[i+1])<<8
		if bigEndian {
			u = uint16(b[i])<<8 | uint16(b[i+1])
		}
		r := rune(u)
		if u >= 0xD800 && u < 0xDC00 && i+3 < len(b) {
			l := uint16(b[i+2]) | uint16(b[i+3])<<8
			if bigEndian {
				l = uint16(b[i+2])<<8 | uint16(b[i+3])
			}
			if l >= 0xDC00 && l < 0xE000 {
				r = (rune(u)-0xD800)<<10 | (rune(l) - 0xDC00) + 0x10000
				i += 2
			}
		}
		out.WriteRune(r)
	}
	return []byte(out.String())
}

func quoteCut(s string, n int) string {
	if len(s) > n {
		s = s[:n] + "..."
	}
	return strconv.Quote(s)
}

// props finds JSON properties without regard to case.
type props map[string]any

// has reports whether any of the names is present (even when null).
func (p props) has(names ...string) bool {
	for _, n := range names {
		for k := range p {
			if strings.EqualFold(k, n) {
				return true
			}
		}
	}
	return false
}

func (p props) raw(names ...string) any {
	for _, n := range names {
		for k, v := range p {
			if strings.EqualFold(k, n) && v != nil {
				if s, ok := v.(string); ok && strings.TrimSpace(s) == "" {
					continue
				}
				return v
			}
		}
	}
	return nil
}

// str returns a string property; numbers (unnamed enums) give "".
func (p props) str(names ...string) string {
	if s, ok := p.raw(names...).(string); ok {
		return strings.TrimSpace(s)
	}
	return ""
}

// num returns a whole non-negative number below 2^31 given as a number or
// a string; 0 otherwise.
func (p props) num(names ...string) int {
	switch v := p.raw(names...).(type) {
	case float64:
		if v >= 0 && v <= math.MaxInt32 && v == math.Trunc(v) {
			return int(v)
		}
	case string:
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
			return n
		}
	}
	return 0
}

// int64Of returns a whole non-negative number (a size or a count); ok is
// false when absent or not a number.
func (p props) int64Of(names ...string) (int64, bool) {
	switch v := p.raw(names...).(type) {
	case float64:
		if v >= 0 && v < 1<<62 {
			return int64(v), true
		}
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n >= 0 {
			return n, true
		}
	}
	return 0, false
}

func (p props) boolean(names ...string) (bool, bool) {
	switch v := p.raw(names...).(type) {
	case bool:
		return v, true
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true", "1", "yes":
			return true, true
		case "false", "0", "no":
			return false, true
		}
	case float64:
		return v != 0, true
	}
	return false, false
}

// enum reads an enum written as a number (Windows PowerShell 5.1) or as a
// name (PowerShell 7 with -EnumsAsStrings, or a script that converts it):
// a known number gives its name, a name is kept as written (matched to the
// table's spelling when it is in it), an unknown number gives "".
func (p props) enum(table []string, names ...string) string {
	switch v := p.raw(names...).(type) {
	case float64:
		if v >= 0 && v == math.Trunc(v) && int(v) < len(table) {
			return table[int(v)]
		}
	case string:
		s := strings.TrimSpace(v)
		if n, err := strconv.Atoi(s); err == nil {
			if n >= 0 && n < len(table) {
				return table[n]
			}
			return ""
		}
		for _, t := range table {
			if strings.EqualFold(t, s) {
				return t
			}
		}
		return s
	}
	return ""
}

// strings returns a string array property (ReplicationHealthDetails); a
// single string counts as one.
func (p props) strs(names ...string) []string {
	switch v := p.raw(names...).(type) {
	case string:
		return []string{strings.TrimSpace(v)}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok && strings.TrimSpace(s) != "" {
				out = append(out, strings.TrimSpace(s))
			}
		}
		return out
	}
	return nil
}

var msDate = regexp.MustCompile(`^/Date\((-?\d+)([+-]\d{4})?\)/$`)

// timeOf reads a date as ConvertTo-Json writes it: "/Date(ms)/" in Windows
// PowerShell 5.1, ISO 8601 in PowerShell 7 (with or without an offset; a
// time without an offset is taken as UTC). PS 5.1 also writes DateTime
// objects with a DateTime property when they carry notes. Zero when absent
// or unreadable.
func (p props) timeOf(names ...string) time.Time {
	return parseTime(p.raw(names...))
}

// A date outside [earliestTime, latestTime) is not a time Hyper-V Replica
// recorded (it shipped with Windows Server 2012): .NET's DateTime.MinValue
// and MaxValue, which PowerShell writes for "never" (the MinValue of a
// local time lands in year 0 once converted to UTC), or a damaged file.
// Such a date is read as absent, so it neither sets the time the rules are
// evaluated at nor feeds a rule.
var (
	earliestTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	latestTime   = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

func parseTime(v any) time.Time {
	t := parseAnyTime(v)
	if t.Before(earliestTime) || !t.Before(latestTime) {
		return time.Time{}
	}
	return t
}

func parseAnyTime(v any) time.Time {
	switch x := v.(type) {
	case string:
		s := strings.TrimSpace(x)
		if m := msDate.FindStringSubmatch(s); m != nil {
			ms, err := strconv.ParseInt(m[1], 10, 64)
			if err != nil {
				return time.Time{}
			}
			return time.UnixMilli(ms).UTC()
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC()
			}
		}
	case map[string]any:
		return parseAnyTime(props(x).raw("value", "DateTime"))
	}
	return time.Time{}
}

// maxSpan bounds a TimeSpan read from a file (a replication latency):
// longer is a damaged value, read as absent rather than overflowing
// time.Duration (about 292 years) into a negative or wrong figure.
const maxSpan = 100 * 365 * 24 * time.Hour

// durationOf reads a TimeSpan: an object (ConvertTo-Json writes TotalSeconds
// and Ticks), "hh:mm:ss" or "d.hh:mm:ss", or a number of seconds. ok is
// false when absent, unreadable, negative or over maxSpan.
func (p props) durationOf(names ...string) (time.Duration, bool) {
	switch v := p.raw(names...).(type) {
	case float64:
		if v >= 0 && v <= maxSpan.Seconds() {
			return time.Duration(v * float64(time.Second)), true
		}
	case map[string]any:
		o := props(v)
		if t, ok := o.int64Of("Ticks"); ok {
			if t <= int64(maxSpan/100) {
				return time.Duration(t) * 100, true
			}
			return 0, false
		}
		if s, ok := o.raw("TotalSeconds").(float64); ok && s >= 0 && s <= maxSpan.Seconds() {
			return time.Duration(s * float64(time.Second)), true
		}
	case string:
		return parseTimeSpan(strings.TrimSpace(v))
	}
	return 0, false
}

var timeSpan = regexp.MustCompile(`^(?:(\d{1,8})\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$`)

func parseTimeSpan(s string) (time.Duration, bool) {
	m := timeSpan.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	if days, _ := strconv.Atoi(m[1]); time.Duration(days) > maxSpan/(24*time.Hour) {
		return 0, false
	}
	atoi := func(x string) time.Duration { n, _ := strconv.Atoi(x); return time.Duration(n) }
	d := atoi(m[1])*24*time.Hour + atoi(m[2])*time.Hour + atoi(m[3])*time.Minute + atoi(m[4])*time.Second
	if m[5] != "" {
		frac := (m[5] + "0000000")[:7]
		d += atoi(frac) * 100
	}
	return d, true
}
