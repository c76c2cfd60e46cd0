package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
)

// scenario is one command both builds run. Arguments that are file paths
// are given as pathArg so each build gets the path in its own form (the
// Windows build under wine sees the Linux file system as drive Z:).
type scenario struct {
	name string
	args []arg
	// stdin is given to both runs.
	stdin string
	// kind says how the outputs are compared.
	kind compareKind
	// windowsEnv is added to the Windows run's environment only (the
	// WinHTTP proxy the netsh.exe stand-in prints).
	windowsEnv []string
	// windowsArgs replaces args for the Windows run when not nil (the
	// WinHTTP path: the Linux build gets the same proxy by --proxy).
	windowsArgs []arg
	// checkWindows is an extra check of the Windows run's stdout.
	checkWindows func(stdout string) []string
	// windowsOnly, when set, runs only the Windows build and judges its
	// result (the Linux build would record this machine, not the same
	// thing).
	windowsOnly func(win result) []string
}

// arg is a command-line argument; path marks a Linux path to translate
// for the Windows run, with win when not nil (else WindowsPath).
type arg struct {
	s    string
	path bool
	win  func(string) string
}

// extendedPath is the \\?\ (extended-length) form of the Windows path.
func extendedPath(p string) string { return `\\?\` + WindowsPath(p) }

// slashPath is the Windows path written with forward slashes (Z:/tmp/x),
// which Windows accepts too.
func slashPath(p string) string { return "Z:" + p }

func plain(ss ...string) []arg {
	a := make([]arg, len(ss))
	for i, s := range ss {
		a[i] = arg{s: s}
	}
	return a
}

func pathArg(p string) arg { return arg{s: p, path: true} }

type compareKind int

const (
	// sameOutput: the same exit status and byte-identical stdout (after
	// input paths are replaced by a placeholder).
	sameOutput compareKind = iota
	// sameVerdicts: check --format json from both; the same exit status,
	// overall status, and per step the same status and error codes.
	sameVerdicts
)

func scenarios(e *labEnv) []scenario {
	_, listenerPort, _ := net.SplitHostPort(e.listener.Addr)
	_, mtlsPort, _ := net.SplitHostPort(e.mtls.Addr)
	_, closedPort, _ := net.SplitHostPort(e.closedPort)
	check := func(extra ...string) []arg {
		return plain(append([]string{"check", "--format", "json", "--timeout", "5s"}, extra...)...)
	}
	kerberos := func(extra ...string) []arg {
		return check(append([]string{"--replica", "127.0.0.1", "--port", listenerPort, "--auth", "kerberos"}, extra...)...)
	}
	certArgs := append(check("--replica", "127.0.0.1", "--port", mtlsPort, "--auth", "certificate", "--cert-name", "replica.lab.test",
		"--bypass-proxy", "--cert-password-stdin", "--cert"), pathArg(e.pfx), arg{s: "--ca"}, pathArg(e.rootPEM))
	return []scenario{
		{name: "version", args: plain("--version")},
		{name: "explain 0x00002EF3", args: plain("explain", "0x00002EF3")},
		{name: "explain 0x80090303 with target", args: plain("explain", "--replica", "replica.lab.test", "--vm", "SQL01", "0x80090303")},
		{name: "explain unknown code", args: plain("explain", "0x12345678")},
		{name: "analyze recording dir (json)", args: append(plain("analyze", "--format", "json"), pathArg(e.recordingDir))},
		{name: "analyze recording dir (text)", args: append(plain("analyze", "--format", "text", "--link", "100Mbit"), pathArg(e.recordingDir))},
		{name: "analyze generic CSV (markdown)", args: append(plain("analyze", "--format", "markdown"), pathArg(e.genericCSV))},
		{name: `analyze, \\?\ extended path`, args: append(plain("analyze", "--format", "json"), arg{s: e.recordingDir, path: true, win: extendedPath})},
		{name: "analyze, Z:/ forward slashes", args: append(plain("analyze", "--format", "json"), arg{s: e.genericCSV, path: true, win: slashPath})},
		{
			// A recording written by the Windows build through a
			// drive-letter path with a space. Under wine the process
			// counters are zeros: this checks the files, not the figures.
			name: "record to a Z:\\ path with a space",
			args: append(plain("record", "--interval", "500ms", "--duration", "2s", "--files", "off", "--out"), pathArg(e.dir+"/win rec")),
			windowsOnly: func(win result) []string {
				if win.code != 0 {
					return []string{fmt.Sprintf("record exited %d: %s", win.code, firstLine(win.stderr))}
				}
				var problems []string
				// ProcStats has rows only for processes that wrote: none
				// under wine, so its header is all there is to check.
				for f, lines := range map[string]int{"HVRStats-1.csv": 3, "ProcStats-1.csv": 1} {
					b, err := os.ReadFile(filepath.Join(e.dir, "win rec", f))
					if err != nil || !strings.HasPrefix(string(b), "Timestamp,") || strings.Count(string(b), "\n") < lines {
						problems = append(problems, fmt.Sprintf("%s: want a header and %d lines, got %q (%v)", f, lines, firstLine(string(b)), err))
					}
				}
				return problems
			},
		},
		{name: "analyze missing file", args: append(plain("analyze", "--format", "text"), pathArg(e.dir+"/no-such.csv"))},
		{
			// No Hyper-V here (wine has no vmms service): status must say
			// so plainly, not print a WMI error.
			name: "status without --from: not a Hyper-V host", args: plain("status"),
			windowsOnly: func(win result) []string {
				want := "hvrdoctor status: " + hyperv.ErrNoVMMS.Error()
				if got := strings.TrimSpace(strings.ReplaceAll(win.stderr, "\r", "")); win.code != 2 || got != want {
					return []string{fmt.Sprintf("exit %d, stderr %q; want exit 2 and %q", win.code, got, want)}
				}
				return nil
			},
		},
		uncScenario("analyze", plain("analyze", "--format", "text", `\\nosuchserver\share\rec`)),
		uncScenario("status --from", plain("status", "--from", `\\nosuchserver\share\hv`)),
		uncScenario("check --ca", plain("check", "--replica", "replica.lab.test", "--ca", `\\nosuchserver\share\ca.pem`, "--timeout", "2s")),
		uncScenario("check --cert", plain("check", "--replica", "replica.lab.test", "--auth", "certificate", "--cert", `\\nosuchserver\share\r.pfx`, "--timeout", "2s")),
		uncScenario("record --rules", plain("record", "--duration", "1s", "--rules", `\\nosuchserver\share\rules.txt`, "--out", `\\nosuchserver\share\out`)),
		// A directory that cannot be created is a failure (exit 1), not a usage error.
		withExit(1, uncScenario("record --out", plain("record", "--duration", "1s", "--files", "off", "--out", `\\nosuchserver\share\out`))),
		uncScenario("serve --web.config.file", plain("serve", "--listen", "127.0.0.1:0", "--web.config.file", `\\nosuchserver\share\web.yml`)),
		{name: "check listener, no proxy", kind: sameVerdicts, args: kerberos("--bypass-proxy")},
		{name: "check closed port", kind: sameVerdicts, args: check("--replica", "127.0.0.1", "--port", closedPort, "--bypass-proxy")},
		{name: "check squid with 4 GB limit", kind: sameVerdicts, args: kerberos("--proxy", e.limited.URL)},
		{name: "check squid without limit", kind: sameVerdicts, args: kerberos("--proxy", e.open.URL)},
		{name: "check mutual TLS with PFX", kind: sameVerdicts, args: certArgs, stdin: pfxPassword + "\n"},
		{name: "check missing PFX", kind: sameOutput, args: append(check("--replica", "127.0.0.1", "--auth", "certificate", "--cert"), pathArg(e.dir+"/missing.pfx"))},
		{
			// Windows reads the WinHTTP machine proxy (netsh winhttp show
			// proxy) when no --proxy and no HTTP_PROXY is given; Linux is
			// told the same proxy with --proxy.
			name: "check WinHTTP proxy (4 GB limit)", kind: sameVerdicts,
			args:        kerberos("--proxy", e.limited.URL),
			windowsArgs: kerberos(),
			windowsEnv:  []string{"HVR_WINHTTP_PROXY=" + e.limited.Addr},
			checkWindows: func(out string) []string {
				if !strings.Contains(out, `"proxy_source"`) || !strings.Contains(strings.ToLower(out), "winhttp") {
					return []string{"the Windows run does not say the proxy came from WinHTTP"}
				}
				return nil
			},
		},
		{
			// No proxy anywhere: WinHTTP says "Direct access".
			name: "check WinHTTP direct", kind: sameVerdicts, args: kerberos(),
		},
	}
}

// uncScenario runs the Windows build with a path on a server that does not
// exist (\\nosuchserver\share\...): it must end (within the run timeout)
// with exit 2 and one line naming the path as typed, single backslashes.
func uncScenario(what string, args []arg) scenario {
	return uncScenarioExit(what, args, 2)
}

// withExit is sc expecting exit status code instead of 2.
func withExit(code int, sc scenario) scenario {
	return uncScenarioExit(strings.TrimPrefix(sc.name, "UNC path, "), sc.args, code)
}

func uncScenarioExit(what string, args []arg, code int) scenario {
	return scenario{
		name: `UNC path, ` + what,
		args: args,
		windowsOnly: func(win result) []string {
			msg := strings.TrimSpace(strings.ReplaceAll(win.stderr, "\r", ""))
			var problems []string
			if win.code != code {
				problems = append(problems, fmt.Sprintf("exit %d, want %d", win.code, code))
			}
			if strings.Count(msg, "\n") != 0 || !strings.Contains(msg, `\\nosuchserver\share\`) || strings.Contains(msg, `\\\\`) {
				problems = append(problems, fmt.Sprintf("want one line naming \\\\nosuchserver\\share\\... as typed, got %q", msg))
			}
			// The reason in the same words as the Linux build's, not the
			// OS's ("Path not found." under wine).
			if strings.Contains(msg, "not found.") || strings.Contains(msg, "cannot find") {
				problems = append(problems, fmt.Sprintf("the reason is in the OS's words: %q", msg))
			}
			return problems
		},
	}
}
