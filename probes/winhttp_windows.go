package probes

import (
	"context"
	"fmt"
	"os/exec"
)

// readWinHTTPProxy runs `netsh winhttp show proxy` and parses its output.
func readWinHTTPProxy(ctx context.Context) (WinHTTPProxy, error) {
	out, err := exec.CommandContext(ctx, "netsh", "winhttp", "show", "proxy").Output()
	if err != nil {
		return WinHTTPProxy{}, fmt.Errorf("netsh winhttp show proxy: %w", err)
	}
	return ParseNetshWinHTTP(string(out))
}
