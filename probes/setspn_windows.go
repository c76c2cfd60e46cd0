//go:build windows

package probes

import (
	"context"
	"fmt"
	"os/exec"
)

// setspnAvailable reports whether setspn.exe is on PATH (Windows Server,
// or RSAT on clients).
func setspnAvailable() bool {
	_, err := exec.LookPath("setspn.exe")
	return err == nil
}

// runSetspnList runs `setspn -L account` and returns its output. setspn
// writes its listing and its errors to stdout and exits non-zero when the
// account is not found; the parser decides.
func runSetspnList(ctx context.Context, account string) (string, error) {
	cmd := exec.CommandContext(ctx, "setspn.exe", "-L", account)
	out, err := cmd.CombinedOutput()
	if err != nil && len(out) == 0 {
		return "", fmt.Errorf("setspn -L %s: %w", account, err)
	}
	return string(out), nil
}
