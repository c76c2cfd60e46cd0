package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// runner runs a scenario with both builds.
type runner struct {
	linux, windows, wine string
}

// result is one run's outcome.
type result struct {
	code           int
	stdout, stderr string
}

// perRunTimeout bounds one command (check's steps have 5 s timeouts each).
const perRunTimeout = 2 * time.Minute

// compare runs sc with both builds and returns what differs.
func (r runner) compare(ctx context.Context, sc scenario) []string {
	if sc.windowsOnly != nil {
		win, err := r.run(ctx, r.wine, []string{r.windows}, sc.args, true, sc.stdin, []string{"WINEDLLOVERRIDES=netsh.exe=n"})
		if err != nil {
			return []string{"windows build: " + err.Error()}
		}
		return sc.windowsOnly(win)
	}
	lin, err := r.run(ctx, r.linux, nil, sc.args, false, sc.stdin, nil)
	if err != nil {
		return []string{"linux build: " + err.Error()}
	}
	wargs := sc.args
	if sc.windowsArgs != nil {
		wargs = sc.windowsArgs
	}
	// Every Windows run uses the netsh.exe stand-in (wine's own prints
	// nothing, which the build reports as an unreadable WinHTTP proxy):
	// without HVR_WINHTTP_PROXY it prints "Direct access".
	wenv := append([]string{"WINEDLLOVERRIDES=netsh.exe=n"}, sc.windowsEnv...)
	win, err := r.run(ctx, r.wine, []string{r.windows}, wargs, true, sc.stdin, wenv)
	if err != nil {
		return []string{"windows build: " + err.Error()}
	}
	var problems []string
	switch sc.kind {
	case sameVerdicts:
		problems = compareVerdicts(lin, win)
	default:
		problems = compareOutput(lin, win, pathsOf(sc.args))
	}
	if sc.checkWindows != nil {
		problems = append(problems, sc.checkWindows(win.stdout)...)
	}
	return problems
}

// run runs bin (with pre arguments first: the .exe for wine) with args,
// paths in Windows form when windows, without any proxy variable in the
// environment.
func (r runner) run(ctx context.Context, bin string, pre []string, args []arg, windows bool, stdin string, extraEnv []string) (result, error) {
	ctx, cancel := context.WithTimeout(ctx, perRunTimeout)
	defer cancel()
	argv := append([]string(nil), pre...)
	for _, a := range args {
		switch {
		case a.path && windows && a.win != nil:
			argv = append(argv, a.win(a.s))
		case a.path && windows:
			argv = append(argv, WindowsPath(a.s))
		default:
			argv = append(argv, a.s)
		}
	}
	cmd := exec.CommandContext(ctx, bin, argv...)
	cmd.Env = append(proxyFreeEnv(), "NO_COLOR=1")
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return result{}, fmt.Errorf("%s did not finish in %s", strings.Join(argv, " "), perRunTimeout)
	case errors.As(err, &ee):
		return result{code: ee.ExitCode(), stdout: o.String(), stderr: e.String()}, nil
	case err != nil:
		return result{}, err
	}
	return result{stdout: o.String(), stderr: e.String()}, nil
}

// proxyFreeEnv is this process's environment without any proxy variable
// (nor the stand-in netsh.exe's settings).
func proxyFreeEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.Contains(strings.ToUpper(name), "PROXY") && !strings.HasPrefix(name, "HVR_WINHTTP") && name != "WINEDLLOVERRIDES" {
			env = append(env, kv)
		}
	}
	return env
}

// WindowsPath is how a program under wine names the Linux file p: wine
// maps / to drive Z:.
func WindowsPath(p string) string { return `Z:` + strings.ReplaceAll(p, "/", `\`) }

func pathsOf(args []arg) []string {
	var ps []string
	for _, a := range args {
		if a.path {
			ps = append(ps, a.s)
		}
	}
	return ps
}

// normalize replaces each input path, in any form either build may print
// it (as given, quoted, JSON-escaped, and its directory), by "<path>", and
// CRLF by LF.
func normalize(s string, paths []string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var forms []string
	for _, p := range paths {
		for _, f := range []string{p, WindowsPath(p), extendedPath(p), slashPath(p)} {
			q := strconv.Quote(f)
			forms = append(forms, q[1:len(q)-1], f)
		}
	}
	// Longest first, so that an escaped form is replaced before its raw
	// prefix could be.
	for i := range forms {
		for j := i + 1; j < len(forms); j++ {
			if len(forms[j]) > len(forms[i]) {
				forms[i], forms[j] = forms[j], forms[i]
			}
		}
	}
	for _, f := range forms {
		s = strings.ReplaceAll(s, f, "<path>")
	}
	// A file found under an input directory: the separator after it is
	// the OS's own (escaped in JSON).
	for _, sep := range []string{`\\\\`, `\\`, `\`} {
		s = strings.ReplaceAll(s, "<path>"+sep, "<path>/")
	}
	return s
}

// compareOutput: same exit status, same stdout and stderr once the input
// paths are placeholders.
func compareOutput(lin, win result, paths []string) []string {
	var problems []string
	if lin.code != win.code {
		problems = append(problems, fmt.Sprintf("exit status: linux %d, windows %d (windows stderr: %s)", lin.code, win.code, firstLine(win.stderr)))
	}
	for _, s := range []struct{ name, l, w string }{{"stdout", lin.stdout, win.stdout}, {"stderr", lin.stderr, win.stderr}} {
		l, w := normalize(s.l, paths), normalize(s.w, paths)
		if l != w {
			problems = append(problems, fmt.Sprintf("%s differs: %s", s.name, firstDiff(l, w)))
		}
	}
	return problems
}

// checkReport is the part of check --format json both builds must agree
// on.
type checkReport struct {
	Status string `json:"status"`
	Steps  []struct {
		ID     string   `json:"id"`
		Status string   `json:"status"`
		Codes  []string `json:"codes"`
	} `json:"steps"`
}

// compareVerdicts: same exit status, overall status, and per step the
// same status and codes, in the same order.
func compareVerdicts(lin, win result) []string {
	var l, w checkReport
	if err := json.Unmarshal([]byte(lin.stdout), &l); err != nil {
		return []string{fmt.Sprintf("linux output is not a check report (%v): %s", err, firstLine(lin.stdout+lin.stderr))}
	}
	if err := json.Unmarshal([]byte(win.stdout), &w); err != nil {
		return []string{fmt.Sprintf("windows output is not a check report (%v): %s", err, firstLine(win.stdout+win.stderr))}
	}
	var problems []string
	if lin.code != win.code {
		problems = append(problems, fmt.Sprintf("exit status: linux %d, windows %d", lin.code, win.code))
	}
	if l.Status != w.Status {
		problems = append(problems, fmt.Sprintf("overall status: linux %s, windows %s", l.Status, w.Status))
	}
	if len(l.Steps) != len(w.Steps) {
		problems = append(problems, fmt.Sprintf("steps: linux %d, windows %d", len(l.Steps), len(w.Steps)))
	}
	for i := 0; i < len(l.Steps) && i < len(w.Steps); i++ {
		ls, ws := l.Steps[i], w.Steps[i]
		if ls.ID != ws.ID || ls.Status != ws.Status || strings.Join(ls.Codes, ",") != strings.Join(ws.Codes, ",") {
			problems = append(problems, fmt.Sprintf("step %d: linux %s %s %v, windows %s %s %v", i+1, ls.ID, ls.Status, ls.Codes, ws.ID, ws.Status, ws.Codes))
		}
	}
	if len(problems) == 0 && len(l.Steps) == 0 {
		problems = append(problems, "the report has no steps")
	}
	return problems
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// firstDiff shows the first line where a and b differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d: linux %q, windows %q", i+1, x, y)
		}
	}
	return "(same lines)"
}
