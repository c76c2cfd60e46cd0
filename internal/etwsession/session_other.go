//go:build !(windows && amd64)

package etwsession

import (
	"fmt"
	"runtime"
)

// Subscription is an active subscription (never made on this build).
type Subscription struct{}

// Subscribe reports that this build has no ETW: the library builds for
// windows/amd64 only.
func Subscribe(Provider, func(Event)) (*Subscription, error) {
	if runtime.GOOS == "windows" {
		return nil, fmt.Errorf("ETW is not in this windows/%s build (the ETW library builds for windows/amd64 only); use the amd64 hvrdoctor.exe, which runs on arm64 Windows under emulation", runtime.GOARCH)
	}
	return nil, fmt.Errorf("ETW exists only on Windows")
}

// Close does nothing.
func (*Subscription) Close() error { return nil }

// Flush does nothing.
func Flush() error { return nil }

// Lost is always 0.
func Lost() uint64 { return 0 }
