package probes

import (
	"context"
	"fmt"
	"strings"
)

// ProxyPathProbe decides whether a forward proxy sits between the primary
// and the replica (explicit, environment, or WinHTTP; bypass list and
// --bypass-proxy honoured) and whether it accepts connections.
type ProxyPathProbe struct{}

// ID implements Probe.
func (ProxyPathProbe) ID() string { return IDProxyPath }

// Title implements Probe.
func (ProxyPathProbe) Title() string { return "Proxy in the path" }

// About implements Probe.
func (ProxyPathProbe) About() string {
	return "Finds out whether replication traffic to this replica goes through a forward proxy (the --proxy flag, HTTP(S)_PROXY, " +
		"or the WinHTTP machine proxy, minus its bypass list) and whether the proxy accepts connections. Proxies cause the two classic failures that follow."
}

// AppliesTo implements Probe.
func (ProxyPathProbe) AppliesTo(AuthType) bool { return true }

// Run implements Probe.
func (ProxyPathProbe) Run(ctx context.Context, t *Target) Result {
	inPath, why := t.ProxyInPath()
	if !inPath {
		res := Result{Status: StatusPass, Summary: "No proxy in the path: the primary connects to the replica directly.", Evidence: []string{why}}
		if strings.HasPrefix(t.ProxySource, "WinHTTP (") {
			res.Status = StatusWarn
			res.Summary = "Could not read the WinHTTP machine proxy; assuming a direct path."
			res.Fixes = []Fix{{Text: "Look at the machine proxy yourself, then pass --proxy or --bypass-proxy.", Command: "netsh winhttp show proxy", Where: OnPrimary}}
		}
		return res
	}
	start := t.now()
	c, err := dialProxy(ctx, t)
	took := t.now().Sub(start)
	if err != nil {
		return Result{
			Status:   StatusFail,
			Summary:  fmt.Sprintf("Proxy %s (from %s) is in the path but does not accept connections: %s.", t.Proxy.Host, t.ProxySource, classifyConnErr(err)),
			Evidence: []string{why, err.Error()},
			Reason:   "The primary sends replication through this proxy; if the proxy is down or wrong, the primary cannot connect (0x00002EFD).",
			Codes:    []string{"0x00002EFD"},
			Fixes: append([]Fix{
				{Text: "Check the machine proxy the primary uses.", Command: "netsh winhttp show proxy", Where: OnPrimary},
			}, fixesBypassProxy(t)...),
		}
	}
	c.Close()
	return Result{
		Status:   StatusPass,
		Summary:  fmt.Sprintf("Proxy %s (from %s) is in the path and accepts connections.", t.Proxy.Host, t.ProxySource),
		Evidence: []string{why, fmt.Sprintf("connected to proxy %s in %s", t.Proxy.Host, fmtDur(took))},
	}
}
