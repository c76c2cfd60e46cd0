package hyperv

import (
	"regexp"
	"strings"
	"time"
	"unique"
)

// Event is one record of the Microsoft-Windows-Hyper-V-VMMS-Admin log as
// `Get-WinEvent ... | ConvertTo-Json` writes it (EventLogRecord's Id,
// TimeCreated, LevelDisplayName, ProviderName, MachineName, Message).
type Event struct {
	ID       int
	Time     time.Time
	Level    string
	Provider string
	Machine  string
	Message  string
	RecordID int64
}

// eventFields are the properties of a saved Get-WinEvent record that
// events reads; a large events file is decoded into these (encoding/json
// matches names without regard to case) rather than into whole maps.
type eventFields struct {
	Id, EventID, TimeCreated, LevelDisplayName, Level, ProviderName, MachineName, Message, RecordId any
}

func (e *eventFields) asMap() map[string]any {
	m := make(map[string]any, 9)
	for k, v := range map[string]any{"Id": e.Id, "EventID": e.EventID, "TimeCreated": e.TimeCreated, "LevelDisplayName": e.LevelDisplayName,
		"Level": e.Level, "ProviderName": e.ProviderName, "MachineName": e.MachineName, "Message": e.Message, "RecordId": e.RecordId} {
		if v != nil {
			m[k] = v
		}
	}
	return m
}

func events(objs []map[string]any) []Event {
	var out []Event
	for _, o := range objs {
		p := props(o)
		e := Event{
			ID:   p.num("Id", "EventID", "EventId"),
			Time: p.timeOf("TimeCreated"),
			// The same few names repeat in every event of a log: one
			// copy each (unique.Make) keeps a large log small.
			Level:    unique.Make(p.str("LevelDisplayName")).Value(),
			Provider: unique.Make(p.str("ProviderName")).Value(),
			Machine:  unique.Make(p.str("MachineName")).Value(),
			Message:  oneLine(p.str("Message")),
		}
		e.RecordID, _ = p.int64Of("RecordId")
		if e.Level == "" {
			switch p.num("Level") {
			case 1:
				e.Level = "Critical"
			case 2:
				e.Level = "Error"
			case 3:
				e.Level = "Warning"
			case 4:
				e.Level = "Information"
			}
		}
		if e.ID == 0 {
			continue
		}
		out = append(out, e)
	}
	return out
}

// oneLine joins a multi-line event message into one line, cut to 600
// characters.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 600 {
		s = string(r[:600]) + "..."
	}
	return s
}

// aboutVM reports whether an event's message names the VM: Hyper-V's
// messages quote the VM's name ('SQL01') and give its ID. A bare word is
// not enough (a VM named "Virtual" would match every message).
func (e Event) aboutVM(name, id string) bool {
	if name == "" && id == "" {
		return false
	}
	m := strings.ToLower(e.Message)
	if id != "" && strings.Contains(m, strings.ToLower(id)) {
		return true
	}
	if name == "" {
		return false
	}
	n := strings.ToLower(name)
	for _, q := range []string{"'" + n + "'", "\"" + n + "\"", "\u2018" + n + "\u2019", "\u201c" + n + "\u201d"} {
		if strings.Contains(m, q) {
			return true
		}
	}
	return false
}

var hexCode = regexp.MustCompile(`0[xX][0-9a-fA-F]{8}`)

// Codes returns the error codes the message carries (0x00002EF1), in order,
// without repeats.
func (e Event) Codes() []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range hexCode.FindAllString(e.Message, -1) {
		c = "0x" + strings.ToUpper(c[2:])
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}
