package sampler

import (
	"errors"
	"fmt"
)

// IOPriority is a process's I/O priority as its OS states it.
type IOPriority struct {
	// Class is the scheduling class: Linux "realtime", "best-effort",
	// "idle" or "none" (no class set: best-effort at a level from the CPU
	// nice value); Windows the I/O priority hint: "very low", "low",
	// "normal", "high", "critical".
	Class string
	// Level is the level within the class, 0 (highest) to 7, for Linux
	// realtime and best-effort (and none, from nice); -1 where the class
	// has none.
	Level int
	// Nice is the CPU nice value a Linux "none" class level comes from.
	Nice int
	// Source names the call the value came from: "ioprio_get",
	// "NtQueryInformationProcess".
	Source string
}

// String is "best-effort 4", "idle", "none (best-effort 4 from nice 0)"
// or "normal".
func (p IOPriority) String() string {
	if p.Class == "none" && p.Level >= 0 {
		return fmt.Sprintf("none (best-effort %d from nice %d)", p.Level, p.Nice)
	}
	if p.Level >= 0 {
		return fmt.Sprintf("%s %d", p.Class, p.Level)
	}
	return p.Class
}

// Short is the priority in at most 7 cells, for a list column, as iotop
// writes Linux's ("be/4", "rt/0", "idle"; a process without a class is
// "be/N" from its nice value, the level the kernel uses, marked "~" as
// derived: "~be/4") and Windows' hints ("v.low", "low", "normal", "high",
// "crit").
func (p IOPriority) Short() string {
	switch p.Class {
	case "realtime":
		return fmt.Sprintf("rt/%d", p.Level)
	case "best-effort":
		return fmt.Sprintf("be/%d", p.Level)
	case "none":
		if p.Level >= 0 {
			return fmt.Sprintf("~be/%d", p.Level)
		}
		return "none"
	case "very low":
		return "v.low"
	case "critical":
		return "crit"
	}
	if len(p.Class) > 7 {
		return p.Class[:7]
	}
	return p.Class
}

// ErrIOPriorityUnsupported is returned where the OS gives no I/O priority.
var ErrIOPriorityUnsupported = errors.New("I/O priority is not available on this OS")

// Linux ioprio values (include/uapi/linux/ioprio.h): the class in the top
// 3 of 16 bits, the level in the low 13.
const (
	ioprioClassShift = 13
	ioprioLevelMask  = 1<<ioprioClassShift - 1
)

// DecodeLinuxIOPriority turns ioprio_get's value into a class and level;
// nice is the process's CPU nice value, which gives the level of a
// process without a class (the kernel's task_nice_ioprio: (nice+20)/5).
func DecodeLinuxIOPriority(v, nice int) IOPriority {
	p := IOPriority{Level: v & ioprioLevelMask, Source: "ioprio_get"}
	switch v >> ioprioClassShift {
	case 0:
		p.Class, p.Level, p.Nice = "none", (nice+20)/5, nice
	case 1:
		p.Class = "realtime"
	case 2:
		p.Class = "best-effort"
	case 3:
		p.Class, p.Level = "idle", -1
	default:
		p.Class, p.Level = fmt.Sprintf("class %d", v>>ioprioClassShift), -1
	}
	return p
}

// DecodeWindowsIOPriority names an IO_PRIORITY_HINT value as
// NtQueryInformationProcess(ProcessIoPriority) returns it.
func DecodeWindowsIOPriority(hint uint32) IOPriority {
	names := []string{"very low", "low", "normal", "high", "critical"}
	p := IOPriority{Level: -1, Source: "NtQueryInformationProcess"}
	if int(hint) < len(names) {
		p.Class = names[hint]
	} else {
		p.Class = fmt.Sprintf("hint %d", hint)
	}
	return p
}
