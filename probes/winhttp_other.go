//go:build !windows

package probes

import "context"

// readWinHTTPProxy reports direct access: WinHTTP exists only on Windows.
func readWinHTTPProxy(ctx context.Context) (WinHTTPProxy, error) {
	return WinHTTPProxy{}, nil
}
