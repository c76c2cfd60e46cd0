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
