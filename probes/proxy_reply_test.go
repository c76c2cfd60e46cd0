package probes

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
)

// Answers as proxies and listeners send them (squid's headers recorded on
// this machine; TMG's and mitmproxy's typed from their documented error
// pages): who generated each one.
func TestWhoAnswered(t *testing.T) {
	cases := []struct {
		name    string
		raw     string
		connect bool
		proxy   bool
		fault   proxyFault
	}{
		{"squid 407", "HTTP/1.1 407 Proxy Authentication Required\r\nServer: squid/5.7\r\nProxy-Authenticate: Basic realm=\"x\"\r\nX-Squid-Error: ERR_CACHE_ACCESS_DENIED 0\r\n\r\n", false, true, faultAuth},
		{"squid deny", "HTTP/1.1 403 Forbidden\r\nServer: squid/5.7\r\nX-Squid-Error: ERR_ACCESS_DENIED 0\r\n\r\n", false, true, faultDenied},
		{"squid dns", "HTTP/1.1 503 Service Unavailable\r\nServer: squid\r\nX-Squid-Error: ERR_DNS_FAIL 0\r\n\r\n", false, true, faultName},
		{"squid connect fail", "HTTP/1.1 503 Service Unavailable\r\nX-Squid-Error: ERR_CONNECT_FAIL 111\r\n\r\n", false, true, faultConnect},
		{"squid too big", "HTTP/1.1 413 Payload Too Large\r\nX-Squid-Error: ERR_TOO_BIG 0\r\n\r\n", false, true, faultTooBig},
		{"TMG host not found", "HTTP/1.1 502 Proxy Error ( The host was not found. )\r\nVia: 1.1 TMG\r\n\r\n", false, true, faultName},
		{"gateway timeout", "HTTP/1.1 504 Gateway Timeout\r\n\r\n", false, true, faultConnect},
		{"mitmproxy 502", "HTTP/1.1 502 Bad Gateway\r\nServer: mitmproxy\r\n\r\n", false, true, faultConnect},
		{"zscaler 403", "HTTP/1.1 403 Forbidden\r\nServer: Zscaler/6.2\r\n\r\n", false, true, faultDenied},
		{"CONNECT 403 bare", "HTTP/1.1 403 Forbidden\r\n\r\n", true, true, faultDenied},
		{"CONNECT 200", "HTTP/1.1 200 Connection established\r\n\r\n", true, false, ""},
		{"replica 401", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Negotiate\r\nServer: Microsoft-HTTPAPI/2.0\r\nVia: 1.1 vm (squid/5.7)\r\n\r\n", false, false, ""},
		{"replica HTTP.sys 503", "HTTP/1.1 503 Service Unavailable\r\nServer: Microsoft-HTTPAPI/2.0\r\n\r\n", false, false, ""},
		{"origin 404", "HTTP/1.1 404 Not Found\r\n\r\n", false, false, ""},
	}
	for _, c := range cases {
		resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(c.raw)), nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := whoAnswered(resp, nil, c.connect)
		if got.proxy != c.proxy || got.fault != c.fault {
			t.Errorf("%s: proxy=%v fault=%q, want %v %q (%s)", c.name, got.proxy, got.fault, c.proxy, c.fault, got.sign)
		}
	}
}
