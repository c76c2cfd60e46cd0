package etwsession

import (
	"strconv"
	"strings"
)

// Provider GUIDs (from the providers' manifests: `logman query providers
// <name>` on Windows).
const (
	KernelFileGUID = "{EDD08927-9CC4-4E65-B970-C2560FB5C289}" // Microsoft-Windows-Kernel-File
	KernelDiskGUID = "{C7BDE69A-E1E0-4177-B6EF-283AD1525271}" // Microsoft-Windows-Kernel-Disk
)

// Event is one parsed ETW event as a subscriber gets it: which provider
// logged it, its ID, the process and thread it was logged in, and its
// properties formatted as strings (numbers in decimal or 0x hex, pointers
// in 0x hex), as golang-etw formats them.
type Event struct {
	Provider string // GUID in braces, upper case
	ID       uint16
	PID      uint32
	TID      uint32
	Props    map[string]string
}

// Provider is one provider a subscriber wants: events with the given IDs
// (all when IDs is empty) and any of the keywords.
type Provider struct {
	GUID     string
	Name     string
	Keywords uint64
	IDs      []uint16
}

// PropUint reads a property formatted as decimal or 0x hex.
func PropUint(props map[string]string, name string) (uint64, bool) {
	s := strings.TrimSpace(props[name])
	if s == "" {
		return 0, false
	}
	var v uint64
	var err error
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		v, err = strconv.ParseUint(h, 16, 64)
	} else {
		v, err = strconv.ParseUint(s, 10, 64)
	}
	return v, err == nil
}

// SessionName is the name of this process's session.
func SessionName(pid int) string { return "hvrdoctor-" + strconv.Itoa(pid) }

// ResponseNanos is a Microsoft-Windows-Kernel-Disk DiskRead/DiskWrite
// event's response time in nanoseconds, from its HighResResponseTime
// property (UInt64 in the provider's manifest). The manifest gives no
// unit; the documented DiskIo_TypeGroup1 class of the same kernel events
// (learn.microsoft.com/windows/win32/etw/diskio-typegroup1) defines the
// field as "the time between I/O initiation and completion as measured by
// the partition manager (in the KeQueryPerformanceCounter tick units)",
// so it is converted with the performance-counter frequency qpcFreq
// (QueryPerformanceFrequency, ticks per second, fixed at boot; often
// 10 MHz on Windows 10 and later, which Microsoft does not guarantee, so
// it is read, not assumed). That Kernel-Disk's field has the classic
// class's unit is an inference (UNCONFIRMED: the manifest has no unit).
// False when the event lacks the field or qpcFreq is 0.
func ResponseNanos(props map[string]string, qpcFreq uint64) (uint64, bool) {
	ticks, ok := PropUint(props, "HighResResponseTime")
	if !ok || qpcFreq == 0 {
		return 0, false
	}
	// Split so ticks*1e9 cannot overflow: the remainder is below qpcFreq.
	return ticks/qpcFreq*1e9 + ticks%qpcFreq*1e9/qpcFreq, true
}
