package pdh

import (
	"encoding/binary"
	"maps"
	"testing"
	"unicode/utf16"
	"unsafe"
)

// fakeArray is PdhGetFormattedCounterArrayW as its documentation
// describes it (no PDH here: the buffer is typed from the documented
// PDH_FMT_COUNTERVALUE_ITEM_W layout, not captured): size 0 answers
// PDH_MORE_DATA with the size needed; a buffer that is too small answers
// PDH_INVALID_ARGUMENT (what "some releases" do) with a size that must not
// be trusted; a large enough one gets the items, then the instance names
// they point to.
type fakeArray struct {
	items []fakeItem
	calls int
}

type fakeItem struct {
	name   string
	status uint32
	value  float64
}

func (f *fakeArray) layout() (size int, nameAt []int) {
	size = len(f.items) * int(unsafe.Sizeof(Item{}))
	for _, it := range f.items {
		nameAt = append(nameAt, size)
		size += 2 * (len(utf16.Encode([]rune(it.name))) + 1)
	}
	return size, nameAt
}

func (f *fakeArray) call(size, count *uint32, buf *byte) uint32 {
	f.calls++
	need, nameAt := f.layout()
	if *size == 0 {
		*size = uint32(need)
		return MoreData
	}
	if int(*size) < need {
		*size = 7 // not to be relied on
		return InvalidArgument
	}
	b := unsafe.Slice(buf, *size)
	for i, it := range f.items {
		off := i * int(unsafe.Sizeof(Item{}))
		p := (*Item)(unsafe.Pointer(&b[off]))
		p.Name = (*uint16)(unsafe.Pointer(&b[nameAt[i]]))
		p.CStatus = it.status
		p.Value = it.value
		u := utf16.Encode([]rune(it.name))
		for j, c := range append(u, 0) {
			binary.LittleEndian.PutUint16(b[nameAt[i]+2*j:], c)
		}
	}
	*size, *count = uint32(need), uint32(len(f.items))
	return 0
}

func TestFormattedArrayDocumentedCalls(t *testing.T) {
	f := &fakeArray{items: []fakeItem{
		{"0 C:", 0, 12.5},
		{"1 D:", 1, 3},
		{"_Total", 0, 15.5},
		{"offline", 0xC0000BC6, 99}, // PDH_CSTATUS_INVALID_DATA: left out
		{"VM-é", 0, 1},
		{"VM-é", 0, 2}, // two VMs with one name
	}}
	got, err := FormattedArray(f.call)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"0 C:": 12.5, "1 D:": 3, "_Total": 15.5, "VM-é": 1, "VM-é#1": 2}
	if !maps.Equal(got, want) {
		t.Errorf("FormattedArray = %v, want %v", got, want)
	}
	if f.calls != 2 {
		t.Errorf("%d calls, want the documented 2 (size, then data)", f.calls)
	}
	// A new instance between readings: no stale buffer is passed first.
	f.items = append(f.items, fakeItem{"2 E:", 0, 7})
	f.calls = 0
	got, err = FormattedArray(f.call)
	if err != nil || got["2 E:"] != 7 || f.calls != 2 {
		t.Errorf("after a new instance: %v, %v in %d calls", got, err, f.calls)
	}
}

func TestFormattedArrayNoInstance(t *testing.T) {
	got, err := FormattedArray(func(size, count *uint32, buf *byte) uint32 { return 0 })
	if err != nil || len(got) != 0 {
		t.Errorf("no instance: %v, %v", got, err)
	}
	if _, err := FormattedArray(func(size, count *uint32, buf *byte) uint32 { return 0xC0000BBC }); err == nil {
		t.Error("PDH_INVALID_HANDLE: no error")
	}
}

// A name that points outside the buffer, or has no terminator inside it,
// is skipped rather than read past the buffer's end.
func TestDecodeBoundsNames(t *testing.T) {
	buf := make([]byte, 2*int(unsafe.Sizeof(Item{}))+6)
	other := []uint16{'x', 0}
	items := unsafe.Slice((*Item)(unsafe.Pointer(&buf[0])), 2)
	items[0].Name = &other[0] // outside
	items[1].Name = (*uint16)(unsafe.Pointer(&buf[48]))
	copy(buf[48:], []byte{'a', 0, 'b', 0, 'c', 0}) // no terminator
	if got := decode(buf, 2); len(got) != 0 {
		t.Errorf("decode = %v, want nothing", got)
	}
	if got := decode(buf, 1000); len(got) != 0 { // count past the buffer
		t.Errorf("decode with a count past the buffer = %v", got)
	}
}
