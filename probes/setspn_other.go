//go:build !windows

package probes

import (
	"context"
	"errors"
)

// setspnAvailable: setspn exists on Windows only.
func setspnAvailable() bool { return false }

func runSetspnList(context.Context, string) (string, error) {
	return "", errors.New("setspn runs on Windows only")
}
