//go:build amd64 || arm64

package pdh

import (
	"testing"
	"unsafe"
)

// PDH_FMT_COUNTERVALUE_ITEM_W on 64-bit Windows (pdh.h): an 8-byte name
// pointer, then PDH_FMT_COUNTERVALUE, whose union holds a double and so is
// 8-aligned: CStatus at 8, the value at 16, 24 bytes in all. The constants
// below fail to compile when the layout differs, so
// `GOOS=windows GOARCH=arm64 go vet` checks arm64 as well.
const (
	_ = uint(24 - unsafe.Sizeof(Item{}))
	_ = uint(unsafe.Sizeof(Item{}) - 24)
	_ = uint(8 - unsafe.Offsetof(Item{}.CStatus))
	_ = uint(unsafe.Offsetof(Item{}.CStatus) - 8)
	_ = uint(16 - unsafe.Offsetof(Item{}.Value))
	_ = uint(unsafe.Offsetof(Item{}.Value) - 16)
)

func TestItemLayout(t *testing.T) {
	var it Item
	if unsafe.Sizeof(it) != 24 || unsafe.Offsetof(it.CStatus) != 8 || unsafe.Offsetof(it.Value) != 16 {
		t.Errorf("Item: size %d, CStatus at %d, Value at %d; want 24, 8, 16", unsafe.Sizeof(it), unsafe.Offsetof(it.CStatus), unsafe.Offsetof(it.Value))
	}
}
