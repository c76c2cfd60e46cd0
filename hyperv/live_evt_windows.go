//go:build windows

package hyperv

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	wevtDLL                      = windows.NewLazySystemDLL("wevtapi.dll")
	procEvtQuery                 = wevtDLL.NewProc("EvtQuery")
	procEvtNext                  = wevtDLL.NewProc("EvtNext")
	procEvtRender                = wevtDLL.NewProc("EvtRender")
	procEvtClose                 = wevtDLL.NewProc("EvtClose")
	procEvtOpenPublisherMetadata = wevtDLL.NewProc("EvtOpenPublisherMetadata")
	procEvtFormatMessage         = wevtDLL.NewProc("EvtFormatMessage")
)

const (
	evtQueryChannelPath      = 0x1
	evtQueryReverseDirection = 0x200
	evtRenderEventXML        = 1
	evtFormatMessageEvent    = 1
)

// readVMMSEvents reads the newest events of the VMMS-Admin channel of the
// last LiveEventWindow (at most MaxLiveEvents) through the Event Log API
// (EvtQuery, EvtNext, EvtRender as XML, EvtFormatMessage for the text).
// status matches them to each VM as it does saved events.
func readVMMSEvents() ([]Event, error) {
	if err := procEvtQuery.Find(); err != nil {
		return nil, fmt.Errorf("Event Log API: %v", err)
	}
	channel, _ := windows.UTF16PtrFromString(VMMSAdminChannel)
	query, _ := windows.UTF16PtrFromString(EventQuery())
	rs, _, e := procEvtQuery.Call(0, uintptr(unsafe.Pointer(channel)), uintptr(unsafe.Pointer(query)), evtQueryChannelPath|evtQueryReverseDirection)
	if rs == 0 {
		return nil, fmt.Errorf("EvtQuery %s: %v", VMMSAdminChannel, e)
	}
	defer procEvtClose.Call(rs)
	publishers := map[string]uintptr{}
	defer func() {
		for _, p := range publishers {
			if p != 0 {
				procEvtClose.Call(p)
			}
		}
	}()
	var out []Event
	handles := make([]uintptr, 64)
	for len(out) < MaxLiveEvents {
		var n uint32
		ok, _, e := procEvtNext.Call(rs, uintptr(len(handles)), uintptr(unsafe.Pointer(&handles[0])), 5000, 0, uintptr(unsafe.Pointer(&n)))
		if ok == 0 {
			if errors.Is(e, windows.ERROR_NO_MORE_ITEMS) {
				break
			}
			return out, fmt.Errorf("EvtNext %s: %v", VMMSAdminChannel, e)
		}
		for _, h := range handles[:n] {
			text, err := evtRender(h)
			if err == nil {
				ev, perr := ParseEventXML(text, "")
				if perr == nil {
					if msg := evtMessage(publishers, ev.Provider, h); msg != "" {
						ev, _ = ParseEventXML(text, msg)
					}
					if len(out) < MaxLiveEvents {
						out = append(out, ev)
					}
				}
			}
			procEvtClose.Call(h)
		}
	}
	return out, nil
}

func evtRender(h uintptr) (string, error) {
	buf := make([]uint16, 4096)
	for {
		var used, props uint32
		ok, _, e := procEvtRender.Call(0, h, evtRenderEventXML, uintptr(len(buf)*2), uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&used)), uintptr(unsafe.Pointer(&props)))
		if ok != 0 {
			return windows.UTF16ToString(buf), nil
		}
		if errors.Is(e, windows.ERROR_INSUFFICIENT_BUFFER) && used/2 > uint32(len(buf)) && used < 1<<22 {
			buf = make([]uint16, used/2+1)
			continue
		}
		return "", e
	}
}

// evtMessage formats the event's message with its publisher's metadata
// ("" when it cannot: the data values stand in).
func evtMessage(publishers map[string]uintptr, provider string, h uintptr) string {
	p, seen := publishers[provider]
	if !seen {
		name, _ := windows.UTF16PtrFromString(provider)
		p, _, _ = procEvtOpenPublisherMetadata.Call(0, uintptr(unsafe.Pointer(name)), 0, 0, 0)
		publishers[provider] = p
	}
	if p == 0 {
		return ""
	}
	buf := make([]uint16, 2048)
	var used uint32
	ok, _, e := procEvtFormatMessage.Call(p, h, 0, 0, 0, evtFormatMessageEvent, uintptr(len(buf)), uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&used)))
	if ok == 0 && errors.Is(e, windows.ERROR_INSUFFICIENT_BUFFER) && used < 1<<20 {
		buf = make([]uint16, used+1)
		ok, _, _ = procEvtFormatMessage.Call(p, h, 0, 0, 0, evtFormatMessageEvent, uintptr(len(buf)), uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&used)))
	}
	if ok == 0 {
		return ""
	}
	return windows.UTF16ToString(buf)
}
