//go:build windows

package hyperv

import (
	"fmt"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/hvrdoctor/hvrdoctor/internal/pdh"
)

var (
	pdhDLL                         = windows.NewLazySystemDLL("pdh.dll")
	procPdhOpenQuery               = pdhDLL.NewProc("PdhOpenQueryW")
	procPdhAddEnglishCounter       = pdhDLL.NewProc("PdhAddEnglishCounterW")
	procPdhCollectQueryData        = pdhDLL.NewProc("PdhCollectQueryData")
	procPdhGetFormattedCounterArry = pdhDLL.NewProc("PdhGetFormattedCounterArrayW")
	procPdhCloseQuery              = pdhDLL.NewProc("PdhCloseQuery")
)

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
		case pdh.NoObject:
			return nil, fmt.Errorf("this machine has no %q performance counter object (PDH_CSTATUS_NO_OBJECT)", ReplicaCounterObject)
		case pdh.NoCounter:
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
		v, err := pdh.FormattedArray(func(size, count *uint32, buf *byte) uint32 {
			r, _, _ := procPdhGetFormattedCounterArry.Call(c, pdh.FmtDouble|pdh.FmtNoCap100,
				uintptr(unsafe.Pointer(size)), uintptr(unsafe.Pointer(count)), uintptr(unsafe.Pointer(buf)))
			return uint32(r)
		})
		if err != nil || len(v) == 0 {
			continue // no instance (no VM) or no value yet
		}
		values[name] = v
	}
	return CountersFromPDH(values, now), nil
}
