package hyperv

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// VMMSAdminChannel is the event log channel hvrdoctor reads live.
const VMMSAdminChannel = "Microsoft-Windows-Hyper-V-VMMS-Admin"

// LiveEventWindow and MaxLiveEvents bound what is read live from the
// channel: the newest events of the last 7 days, at most 5,000.
const (
	LiveEventWindow = 7 * 24 * time.Hour
	MaxLiveEvents   = 5000
)

// ParseEventXML reads one event as the Event Log API renders it
// (EvtRender with EvtRenderEventXml: <Event><System>... <EventID>,
// <Level>, <TimeCreated SystemTime=...>, <EventRecordID>, <Computer>,
// <Provider Name=...></System> then <EventData> or <UserData>). message is
// the formatted message (EvtFormatMessage); when it is empty, the
// event's data values stand in for it, each quoted, so the VM's name and
// ID still match.
func ParseEventXML(text, message string) (Event, error) {
	d := xml.NewDecoder(strings.NewReader(text))
	var e Event
	var path []string
	var data []string
	dataName := ""
	var buf strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Event{}, fmt.Errorf("event XML: %v", oneLine(err.Error()))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name.Local)
			buf.Reset()
			dataName = ""
			for _, a := range t.Attr {
				switch {
				case t.Name.Local == "Provider" && a.Name.Local == "Name":
					e.Provider = a.Value
				case t.Name.Local == "TimeCreated" && a.Name.Local == "SystemTime":
					tm, err := time.Parse(time.RFC3339Nano, a.Value)
					if err != nil {
						return Event{}, fmt.Errorf("event XML: TimeCreated %q: not an RFC 3339 time", oneLine(a.Value))
					}
					e.Time = tm.UTC()
				case t.Name.Local == "Data" && a.Name.Local == "Name":
					dataName = a.Value
				}
			}
		case xml.CharData:
			buf.Write(t)
		case xml.EndElement:
			v := strings.TrimSpace(buf.String())
			inSystem := len(path) >= 2 && path[1] == "System"
			switch {
			case inSystem && t.Name.Local == "EventID":
				n, err := strconv.Atoi(v)
				if err != nil {
					return Event{}, fmt.Errorf("event XML: EventID %q is not a number", oneLine(v))
				}
				e.ID = n
			case inSystem && t.Name.Local == "Level":
				e.Level = levelName(v)
			case inSystem && t.Name.Local == "EventRecordID":
				e.RecordID, _ = strconv.ParseInt(v, 10, 64)
			case inSystem && t.Name.Local == "Computer":
				e.Machine = v
			case !inSystem && len(path) >= 3 && v != "":
				name := t.Name.Local
				if dataName != "" {
					name = dataName
				}
				data = append(data, name+": '"+strings.ReplaceAll(v, "'", "''")+"'")
			}
			path = path[:len(path)-1]
			buf.Reset()
			dataName = ""
		}
	}
	if e.ID == 0 {
		return Event{}, errors.New("event XML: no EventID")
	}
	e.Message = oneLine(message)
	if e.Message == "" {
		e.Message = oneLine(strings.Join(data, "; "))
	}
	return e, nil
}

func levelName(v string) string {
	switch v {
	case "1":
		return "Critical"
	case "2":
		return "Error"
	case "3":
		return "Warning"
	case "0", "4":
		return "Information"
	}
	return v
}

// EventQuery is the XPath query of the live read: the channel's events of
// the last LiveEventWindow.
func EventQuery() string {
	return fmt.Sprintf("*[System[TimeCreated[timediff(@SystemTime) <= %d]]]", LiveEventWindow.Milliseconds())
}
