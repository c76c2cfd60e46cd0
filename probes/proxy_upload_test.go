package probes

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// fakeProxy is a loopback HTTP proxy stand-in that reacts to the
// Content-Length of each request head the way a given proxy product does.
// Squid itself is tested in proxy_integration_test.go; Forefront TMG (400)
// and proxies that reset or stall cannot run here, so their documented
// behaviour is reproduced on a real socket.
func fakeProxy(t *testing.T, onLarge string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil {
					return
				}
				if req.ContentLength < 4<<30 {
					fmt.Fprint(c, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Negotiate\r\nContent-Length: 0\r\n\r\n")
					return
				}
				switch onLarge {
				case "400":
					fmt.Fprint(c, "HTTP/1.1 400 Bad Request\r\nServer: TMG-stand-in\r\nContent-Length: 0\r\n\r\n")
				case "reset":
					c.(*net.TCPConn).SetLinger(0) // close with RST
				case "stall":
					time.Sleep(3 * time.Second)
				case "forward":
					fmt.Fprint(c, "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")
				}
			}(c)
		}
	}()
	return "http://" + ln.Addr().String()
}

func uploadTarget(t *testing.T, proxy string) *Target {
	tg, err := ParseTarget(TargetInput{Replica: "replica01.contoso.com", VMName: "SQL01", ProxyURL: proxy, Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func TestLargeUploadProxyBehaviours(t *testing.T) {
	cases := []struct {
		onLarge string
		status  Status
		says    string
	}{
		{"400", StatusFail, "400 Bad Request (Forefront TMG"},
		{"reset", StatusFail, "dropped the connection (reset)"},
		{"stall", StatusFail, "never answered"},
		{"forward", StatusPass, "like a small one"},
	}
	for _, c := range cases {
		t.Run(c.onLarge, func(t *testing.T) {
			tg := uploadTarget(t, fakeProxy(t, c.onLarge))
			res := LargeUploadProbe{}.Run(context.Background(), tg)
			if res.Status != c.status || !strings.Contains(res.Summary, c.says) {
				t.Fatalf("got %s %q, want %s containing %q; evidence %v", res.Status, res.Summary, c.status, c.says, res.Evidence)
			}
			if c.status == StatusFail {
				for _, want := range []string{
					"Set-VMReplication -VMName 'SQL01' -BypassProxyServer $true",
					"Enable-VMReplication -VMName 'SQL01' -ReplicaServerName 'replica01.contoso.com' -ReplicaServerPort 80 -AuthenticationType Kerberos -BypassProxyServer $true",
					"netsh winhttp show proxy",
					"netsh winhttp set proxy proxy-server='" + tg.Proxy.Host + "' bypass-list='<current bypass list>;replica01.contoso.com'",
					"-AuthenticationType Certificate",
				} {
					if !hasFix(res, want) {
						t.Errorf("missing fix command %q", want)
					}
				}
			}
		})
	}
}

func TestJudgeUploadControlUnanswered(t *testing.T) {
	tg := uploadTarget(t, "http://127.0.0.1:9")
	res := judgeUpload(tg, uploadOutcome{length: ControlUploadLength, class: ConnRefused, err: fmt.Errorf("refused")},
		uploadOutcome{length: LargeUploadLength, class: ConnRefused, err: fmt.Errorf("refused")})
	if res.Status != StatusError || !strings.Contains(res.Summary, "Inconclusive") {
		t.Errorf("unanswered control should be inconclusive: %s %q", res.Status, res.Summary)
	}
	// 413 from squid-like proxies, while the control got through.
	res = judgeUpload(tg, uploadOutcome{length: ControlUploadLength, status: 401, line: "HTTP/1.1 401 Unauthorized", class: ConnOK},
		uploadOutcome{length: LargeUploadLength, status: 413, line: "HTTP/1.1 413 Payload Too Large", class: ConnOK})
	if res.Status != StatusFail || !strings.Contains(res.Summary, "413") || res.Codes[0] != "0x00002EE2" {
		t.Errorf("413: %s %q %v", res.Status, res.Summary, res.Codes)
	}
	// Both refused the same way: not a size limit.
	res = judgeUpload(tg, uploadOutcome{length: ControlUploadLength, status: 403, class: ConnOK},
		uploadOutcome{length: LargeUploadLength, status: 403, class: ConnOK})
	if res.Status != StatusPass {
		t.Errorf("same answer for both sizes is no size limit: %s %q", res.Status, res.Summary)
	}
}

func TestLargeUploadSkippedWithoutProxy(t *testing.T) {
	tg, _ := ParseTarget(TargetInput{Replica: "r1", Env: noEnv, WinHTTP: noWinHTTP})
	if res := (LargeUploadProbe{}).Run(context.Background(), tg); res.Status != StatusSkip {
		t.Errorf("no proxy: %s %q", res.Status, res.Summary)
	}
	if (LargeUploadProbe{}).AppliesTo(AuthCertificate) {
		t.Error("certificate traffic is a CONNECT tunnel: the large-upload probe does not apply")
	}
}
