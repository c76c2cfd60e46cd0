package cli

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
	"github.com/hvrdoctor/hvrdoctor/probes/lab"
)

// Issue 13: `hvrdoctor check` against hostile servers and proxies on
// loopback stays under 64 MiB of memory (the process's own peak RSS, from
// the kernel's rusage) and ends within the timeout plus 1 s. Before the
// size limits, an endless response head took it past 4 GB in 5 s.
func TestCheckAgainstHostileServersIsBounded(t *testing.T) {
	bin := testutil.Binary(t)
	const timeout = 2 * time.Second
	closed := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().(*net.TCPAddr).AddrPort().String()
	}
	type run struct {
		name string
		args func(h *lab.Hostile) []string
	}
	var runs []run
	for _, auth := range []string{"kerberos", "certificate"} {
		runs = append(runs,
			run{"direct-" + auth, func(h *lab.Hostile) []string {
				_, port, _ := net.SplitHostPort(h.Addr)
				return []string{"--replica", "127.0.0.1", "--port", port, "--auth", auth}
			}},
			run{"proxy-" + auth, func(h *lab.Hostile) []string {
				_, port, _ := net.SplitHostPort(closed())
				return []string{"--replica", "127.0.0.1", "--port", port, "--auth", auth, "--proxy", h.URL}
			}},
		)
	}
	for _, b := range []string{lab.EndlessHead, lab.EndlessStatus, lab.EndlessBody, lab.EndlessInterim, lab.ContinueSilence, lab.Continue413, lab.GarbageTLS} {
		for _, r := range runs {
			t.Run(b+"/"+r.name, func(t *testing.T) {
				// Through a proxy, the 100 Continue cases forward small
				// requests (the control POST) like a working proxy.
				smallOK := strings.HasPrefix(b, "continue") && strings.HasPrefix(r.name, "proxy")
				h, err := lab.StartHostile(lab.HostileOptions{Behaviour: b, SmallOK: smallOK})
				if err != nil {
					t.Fatal(err)
				}
				defer h.Stop()
				args := append([]string{"check", "--timeout", timeout.String(), "--vm", "SQL01"}, r.args(h)...)
				cmd := exec.Command(bin, args...)
				for _, kv := range os.Environ() {
					if !strings.Contains(strings.ToUpper(strings.SplitN(kv, "=", 2)[0]), "PROXY") {
						cmd.Env = append(cmd.Env, kv)
					}
				}
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &out
				start := time.Now()
				err = cmd.Run()
				took := time.Since(start)
				if _, ok := err.(*exec.ExitError); err != nil && !ok {
					t.Fatal(err)
				}
				ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
				if !ok {
					t.Fatal("no rusage")
				}
				rss := ru.Maxrss << 10 // KiB on Linux
				t.Logf("%s: exit %d in %s, peak RSS %d MiB", strings.Join(args, " "), cmd.ProcessState.ExitCode(), took.Round(time.Millisecond), rss>>20)
				if rss >= 64<<20 {
					t.Errorf("peak RSS %d MiB, bound 64 MiB", rss>>20)
				}
				if took > timeout+time.Second {
					t.Errorf("took %s, bound timeout+1s = %s\n%s", took.Round(time.Millisecond), timeout+time.Second, out.String())
				}
				if strings.Contains(out.String(), "[PASS] Replica listener") && b != lab.EndlessBody && b != lab.Continue413 {
					t.Errorf("the listener passed against %s:\n%s", b, out.String())
				}
			})
		}
	}
}
