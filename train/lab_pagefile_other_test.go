//go:build !linux

package train

import (
	"context"
	"testing"
)

// The page-file lab runs on Linux only (Available says so elsewhere).
func samplerShowsPaging(t *testing.T, _ context.Context, _, _ string) {
	t.Skip("the page-file lab needs Linux")
}

func pagefileLeftovers(*testing.T, *State) {}
