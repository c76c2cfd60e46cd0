//go:build windows

package tui

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
)

// readVMReplication runs Get-VMReplication through Windows PowerShell and
// parses its JSON. Off a Hyper-V host (no Hyper-V module) it returns the
// error PowerShell printed, which the form shows as a note.
func readVMReplication(ctx context.Context) ([]VMReplication, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "powershell.exe", "-NoProfile", "-NonInteractive", "-Command", hyperv.VMReplicationScript)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if line, _, _ := strings.Cut(msg, "\n"); line != "" {
			return nil, fmt.Errorf("Get-VMReplication: %s", strings.TrimSpace(line))
		}
		return nil, fmt.Errorf("Get-VMReplication: %w", err)
	}
	return ParseVMReplicationJSON(out)
}
