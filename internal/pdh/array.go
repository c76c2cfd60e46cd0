// Package pdh reads the formatted values of a wildcard PDH counter
// (PdhGetFormattedCounterArrayW) the way Microsoft documents it. The
// buffer handling and the decoding of PDH_FMT_COUNTERVALUE_ITEM_W are
// portable, so they are tested on every OS with buffers laid out as the
// documentation gives them; the Windows callers pass the real call.
package pdh

import (
	"fmt"
	"strconv"
	"unsafe"
)

// Formats and statuses, from pdh.h and pdhmsg.h.
const (
	FmtDouble   = 0x00000200 // PDH_FMT_DOUBLE
	FmtNoCap100 = 0x00008000 // PDH_FMT_NOCAP100

	MoreData        = 0x800007D2 // PDH_MORE_DATA
	InvalidArgument = 0xC0000BBD // PDH_INVALID_ARGUMENT
	NoObject        = 0xC0000BB8 // PDH_CSTATUS_NO_OBJECT
	NoCounter       = 0xC0000BB9 // PDH_CSTATUS_NO_COUNTER

	cstatusValid = 0 // PDH_CSTATUS_VALID_DATA
	cstatusNew   = 1 // PDH_CSTATUS_NEW_DATA
)

// Item is PDH_FMT_COUNTERVALUE_ITEM_W read with PDH_FMT_DOUBLE: szName,
// then PDH_FMT_COUNTERVALUE (CStatus, then the 8-byte union, which C
// aligns to 8: 4 bytes of padding). 24 bytes on 64-bit Windows (amd64 and
// arm64, checked in the tests); hvrdoctor builds no 32-bit Windows binary.
type Item struct {
	Name    *uint16
	CStatus uint32
	_       uint32
	Value   float64
}

// ArrayCall is one PdhGetFormattedCounterArrayW call on a counter with a
// fixed format: the buffer size in bytes (in and out), the item count
// (out) and the buffer (nil with size 0). It returns the PDH status.
type ArrayCall func(size, count *uint32, buf *byte) uint32

// maxBuffer bounds the buffer PDH may ask for (64 MiB).
const maxBuffer = 64 << 20

// FormattedArray reads a wildcard counter's values by instance name with
// the documented two calls: the first with size 0 and no buffer (PDH
// answers PDH_MORE_DATA and the size it needs), the second with a buffer
// of that size. A buffer that was too small is never trusted for a new
// size (the function page: "you should not rely on the returned size";
// some releases answer PDH_INVALID_ARGUMENT instead), so a reused buffer
// is not passed first. Items whose CStatus is not valid or new data are
// left out; instance names that repeat get "#1", "#2", ... as PDH counter
// paths number duplicate instances. A name pointer outside the buffer or
// without a terminator inside it is skipped.
func FormattedArray(call ArrayCall) (map[string]float64, error) {
	for tries := 0; tries < 4; tries++ {
		var size, count uint32
		r := call(&size, &count, nil)
		if r == 0 {
			return map[string]float64{}, nil // no instance
		}
		if r != MoreData {
			return nil, fmt.Errorf("status 0x%08X", r)
		}
		if size == 0 || size > maxBuffer {
			return nil, fmt.Errorf("PDH asked for a buffer of %d bytes", size)
		}
		buf := make([]byte, size)
		r = call(&size, &count, &buf[0])
		if r == MoreData || r == InvalidArgument {
			continue // the instances changed between the calls: ask again
		}
		if r != 0 {
			return nil, fmt.Errorf("status 0x%08X", r)
		}
		return decode(buf[:min(int(size), len(buf))], count), nil
	}
	return nil, fmt.Errorf("the buffer size kept changing")
}

// decode reads count items from buf, whose names point into buf.
func decode(buf []byte, count uint32) map[string]float64 {
	out := map[string]float64{}
	n := min(int(count), len(buf)/int(unsafe.Sizeof(Item{})))
	if n == 0 {
		return out
	}
	items := unsafe.Slice((*Item)(unsafe.Pointer(&buf[0])), n)
	seen := map[string]int{}
	for _, it := range items {
		if it.CStatus != cstatusValid && it.CStatus != cstatusNew {
			continue
		}
		name, ok := nameIn(buf, it.Name)
		if !ok {
			continue
		}
		if k := seen[name]; k > 0 {
			seen[name] = k + 1
			name += "#" + strconv.Itoa(k)
		} else {
			seen[name] = 1
		}
		out[name] = it.Value
	}
	return out
}

// nameIn reads the NUL-terminated UTF-16 string p points to, which must
// lie inside buf.
func nameIn(buf []byte, p *uint16) (string, bool) {
	if p == nil || len(buf) < 2 {
		return "", false
	}
	start := uintptr(unsafe.Pointer(&buf[0]))
	off := uintptr(unsafe.Pointer(p)) - start
	if uintptr(unsafe.Pointer(p)) < start || off >= uintptr(len(buf)) || off%2 != 0 {
		return "", false
	}
	var u []uint16
	for i := int(off); i+1 < len(buf); i += 2 {
		c := uint16(buf[i]) | uint16(buf[i+1])<<8
		if c == 0 {
			return decodeUTF16(u), true
		}
		u = append(u, c)
	}
	return "", false // no terminator inside the buffer
}
