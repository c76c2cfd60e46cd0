package testutil

import (
	"sync"

	"golang.org/x/sys/windows"
)

var underWine = sync.OnceValue(func() bool {
	// Every wine ntdll exports wine_get_version; Windows' never does.
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
})

// UnderWine reports whether this Windows process runs under wine (as
// scripts/test-windows.sh runs the Windows tests), where some Windows
// APIs are stubs.
func UnderWine() bool { return underWine() }
