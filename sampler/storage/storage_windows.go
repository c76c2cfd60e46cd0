package storage

import (
	"fmt"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/hvrdoctor/hvrdoctor/internal/pdh"
)

var (
	pdhDLL                          = windows.NewLazySystemDLL("pdh.dll")
	procPdhOpenQueryW               = pdhDLL.NewProc("PdhOpenQueryW")
	procPdhAddEnglishCounterW       = pdhDLL.NewProc("PdhAddEnglishCounterW")
	procPdhCollectQueryData         = pdhDLL.NewProc("PdhCollectQueryData")
	procPdhGetFormattedCounterArray = pdhDLL.NewProc("PdhGetFormattedCounterArrayW")
	procPdhCloseQuery               = pdhDLL.NewProc("PdhCloseQuery")
)

// pdhSampler reads PhysicalDisk counters through one PDH query and the
// fixed drives' space through GetDiskFreeSpaceEx.
type pdhSampler struct {
	query    uintptr
	counters map[string]uintptr
	prevTime time.Time
}

// New opens a PDH query with the PhysicalDisk counters.
func New() (Sampler, error) {
	if err := pdhDLL.Load(); err != nil {
		return nil, fmt.Errorf("load pdh.dll: %w", err)
	}
	s := &pdhSampler{counters: map[string]uintptr{}}
	if r, _, _ := procPdhOpenQueryW.Call(0, 0, uintptr(unsafe.Pointer(&s.query))); r != 0 {
		return nil, fmt.Errorf("PdhOpenQuery: status 0x%08X", uint32(r))
	}
	for _, name := range pdhCounterNames {
		path := `\PhysicalDisk(*)\` + name
		p, err := windows.UTF16PtrFromString(path)
		if err != nil {
			s.Close()
			return nil, err
		}
		var h uintptr
		if r, _, _ := procPdhAddEnglishCounterW.Call(s.query, uintptr(unsafe.Pointer(p)), 0, uintptr(unsafe.Pointer(&h))); r != 0 {
			s.Close()
			return nil, fmt.Errorf("PDH counter %s: status 0x%08X (is the performance counter library disabled? lodctr /R rebuilds it)", path, uint32(r))
		}
		s.counters[name] = h
	}
	return s, nil
}

func (s *pdhSampler) Close() error {
	if s.query != 0 {
		procPdhCloseQuery.Call(s.query)
		s.query = 0
	}
	return nil
}

// Sample collects the query; the first collection is the baseline of the
// rate counters, so it returns no disks.
func (s *pdhSampler) Sample(now time.Time) (Stats, error) {
	st := Stats{Time: now, Source: "PDH PhysicalDisk, GetDiskFreeSpaceEx"}
	if r, _, _ := procPdhCollectQueryData.Call(s.query); r != 0 {
		return st, fmt.Errorf("PdhCollectQueryData: status 0x%08X", uint32(r))
	}
	if !s.prevTime.IsZero() && now.After(s.prevTime) {
		st.Interval = now.Sub(s.prevTime)
		values := map[string]map[string]float64{}
		for name, h := range s.counters {
			v, err := s.array(h)
			if err != nil {
				return st, fmt.Errorf(`PDH \PhysicalDisk(*)\%s: %w`, name, err)
			}
			values[name] = v
		}
		st.Disks = disksFromPDH(values)
	}
	s.prevTime = now
	st.Volumes, st.VolumeErr = fixedVolumes()
	return st, nil
}

// array reads one wildcard counter's formatted values by instance
// (PdhGetFormattedCounterArrayW, the documented two calls: internal/pdh).
func (s *pdhSampler) array(h uintptr) (map[string]float64, error) {
	return pdh.FormattedArray(func(size, count *uint32, buf *byte) uint32 {
		r, _, _ := procPdhGetFormattedCounterArray.Call(h, pdh.FmtDouble|pdh.FmtNoCap100,
			uintptr(unsafe.Pointer(size)), uintptr(unsafe.Pointer(count)), uintptr(unsafe.Pointer(buf)))
		return uint32(r)
	})
}

// fixedVolumes lists the fixed drives (GetDriveType DRIVE_FIXED) with
// their filesystem and space.
func fixedVolumes() ([]Volume, error) {
	// A return value above the buffer's length is the length needed
	// (GetLogicalDriveStrings' documentation), not a count of characters
	// written.
	buf := make([]uint16, 512)
	n, err := windows.GetLogicalDriveStrings(uint32(len(buf)), &buf[0])
	if err == nil && n > uint32(len(buf)) {
		buf = make([]uint16, n+1)
		n, err = windows.GetLogicalDriveStrings(uint32(len(buf)), &buf[0])
	}
	if err != nil {
		return nil, fmt.Errorf("GetLogicalDriveStrings: %w", err)
	}
	if n > uint32(len(buf)) {
		return nil, fmt.Errorf("GetLogicalDriveStrings: the drive list keeps growing")
	}
	var out []Volume
	var firstErr error
	for _, root := range splitMultiSZ(buf[:n]) {
		p, _ := windows.UTF16PtrFromString(root)
		if windows.GetDriveType(p) != windows.DRIVE_FIXED {
			continue
		}
		var free, total, totalFree uint64
		if err := windows.GetDiskFreeSpaceEx(p, &free, &total, &totalFree); err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("GetDiskFreeSpaceEx %s: %w", root, err)
			}
			continue
		}
		fs := make([]uint16, 64)
		_ = windows.GetVolumeInformation(p, nil, 0, nil, nil, nil, &fs[0], uint32(len(fs)))
		out = append(out, Volume{Mount: root, Device: strings.TrimSuffix(root, `\`), FSType: windows.UTF16ToString(fs), Total: total, Available: free})
	}
	return out, firstErr
}

// splitMultiSZ splits a list of NUL-terminated strings ended by an empty one.
func splitMultiSZ(b []uint16) []string {
	var out []string
	start := 0
	for i, c := range b {
		if c == 0 {
			if i > start {
				out = append(out, windows.UTF16ToString(b[start:i]))
			}
			start = i + 1
		}
	}
	return out
}
