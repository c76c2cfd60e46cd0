//go:build windows

package hyperv

import (
	"fmt"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	pdhDLL                         = windows.NewLazySystemDLL("pdh.dll")
	procPdhOpenQuery               = pdhDLL.NewProc("PdhOpenQueryW")
	procPdhAddEnglishCounter       = pdhDLL.NewProc("PdhAddEnglishCounterW")
	procPdhCollectQueryData        = pdhDLL.NewProc("PdhCollectQueryData")
	procPdhGetFormattedCounterArry = pdhDLL.NewProc("PdhGetFormattedCounterArrayW")
	procPdhCloseQuery              = pdhDLL.NewProc("PdhCloseQuery")
)

const (
	pdhFmtDouble   = 0x00000200
	pdhFmtNoCap100 = 0x00008000
	pdhMoreData    = 0x800007D2
	pdhNoObject    = 0xC0000BB8
	pdhNoCounter   = 0xC0000BB9
)

// pdhItem is PDH_FMT_COUNTERVALUE_ITEM_W with a double value: the
// instance name, then PDH_FMT_COUNTERVALUE (CStatus, padding, the value).
type pdhItem struct {
	name   *uint16
	status uint32
	_      uint32
	value  float64
}

// readReplicaCounters reads the "Hyper-V Replica VM" counters of every VM
// through PDH by their English names (PdhAddEnglishCounterW), collecting
// twice a second apart so rate counters have a value.
func readReplicaCounters() ([]Series, error) {
	if err := procPdhOpenQuery.Find(); err != nil {
		return nil, fmt.Errorf("PDH: %v", err)
	}
	var q uintptr
	if r, _, _ := procPdhOpenQuery.Call(0, 0, uintptr(unsafe.Pointer(&q))); r != 0 {
		return nil, fmt.Errorf("PDH: PdhOpenQuery failed (0x%08X)", uint32(r))
	}
	defer procPdhCloseQuery.Call(q)
	counters := map[string]uintptr{}
	for _, name := range ReplicaCounterNames {
		path, _ := windows.UTF16PtrFromString(`\` + ReplicaCounterObject + `(*)\` + name)
		var c uintptr
		r, _, _ := procPdhAddEnglishCounter.Call(q, uintptr(unsafe.Pointer(path)), 0, uintptr(unsafe.Pointer(&c)))
		switch uint32(r) {
		case 0:
			counters[name] = c
		case pdhNoObject:
			return nil, fmt.Errorf("no %q performance counters on this machine (no VM replicates from or to it)", ReplicaCounterObject)
		case pdhNoCounter:
			continue // not on this Windows version
		default:
			return nil, fmt.Errorf("PDH: add %s: 0x%08X", name, uint32(r))
		}
	}
	if len(counters) == 0 {
		return nil, fmt.Errorf("none of the %q counters exist on this machine", ReplicaCounterObject)
	}
	procPdhCollectQueryData.Call(q)
	time.Sleep(time.Second)
	if r, _, _ := procPdhCollectQueryData.Call(q); r != 0 {
		return nil, fmt.Errorf("PDH: PdhCollectQueryData failed (0x%08X)", uint32(r))
	}
	now := time.Now()
	values := map[string]map[string]float64{}
	for name, c := range counters {
		var size, count uint32
		r, _, _ := procPdhGetFormattedCounterArry.Call(c, pdhFmtDouble|pdhFmtNoCap100, uintptr(unsafe.Pointer(&size)), uintptr(unsafe.Pointer(&count)), 0)
		if uint32(r) != pdhMoreData || size == 0 {
			continue // no instance (no VM) or no value yet
		}
		buf := make([]byte, size)
		r, _, _ = procPdhGetFormattedCounterArry.Call(c, pdhFmtDouble|pdhFmtNoCap100, uintptr(unsafe.Pointer(&size)), uintptr(unsafe.Pointer(&count)), uintptr(unsafe.Pointer(&buf[0])))
		if r != 0 {
			continue
		}
		items := unsafe.Slice((*pdhItem)(unsafe.Pointer(&buf[0])), count)
		for _, it := range items {
			if it.status > 1 { // PDH_CSTATUS_VALID_DATA 0, NEW_DATA 1
				continue
			}
			if values[name] == nil {
				values[name] = map[string]float64{}
			}
			values[name][windows.UTF16PtrToString(it.name)] = it.value
		}
	}
	return CountersFromPDH(values, now), nil
}
