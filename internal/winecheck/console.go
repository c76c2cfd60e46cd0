package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/winconsole"
)

// consoleChecks run programs on a console of their own: script(1) gives
// wine a pseudo-terminal, so the Windows program gets a console that no
// other Windows process shares, as a double-clicked .exe does.
func (r runner) consoleChecks(ctx context.Context, consoleTest string) []namedCheck {
	checks := []namedCheck{{"double-click: pause on exit", func() []string { return r.pauseOnExit(ctx) }}}
	if consoleTest != "" {
		checks = append(checks, namedCheck{"console code page restored", func() []string { return r.codePageRestored(ctx, consoleTest) }})
	}
	return checks
}

type namedCheck struct {
	name string
	run  func() []string
}

// ptyRun runs argv under script(1). When answerAfter is not "", it
// writes a newline (Enter) once the output holds it. Stdin stays open
// until the program ends, so script never ends the session early.
func ptyRun(ctx context.Context, argv []string, answerAfter string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, perRunTimeout)
	defer cancel()
	// script(1) lingers while its input stays open after the program
	// ended: the marker says when to close it.
	cmd := exec.CommandContext(ctx, "script", "-qec", shellJoin(argv)+"; echo "+ptyDone, "/dev/null")
	cmd.Env = append(proxyFreeEnv(), "NO_COLOR=1", "WINEDLLOVERRIDES=netsh.exe=n")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return "", err
	}
	var mu sync.Mutex
	var out bytes.Buffer
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan struct{})
	seen := make(chan struct{})
	go func() {
		buf := make([]byte, 4096)
		signalled := answerAfter == ""
		for {
			n, err := pr.Read(buf)
			mu.Lock()
			out.Write(buf[:n])
			found := strings.Contains(out.String(), answerAfter)
			mu.Unlock()
			if !signalled && found {
				signalled = true
				close(seen)
			}
			if strings.Contains(out.String(), ptyDone) {
				stdin.Close()
			}
			if err != nil {
				close(done)
				return
			}
		}
	}()
	exited := make(chan struct{})
	if answerAfter != "" {
		// Enter is a carriage return on wine's console. Until wine has put
		// the terminal in raw mode (when the program starts reading), the
		// terminal turns it into a line feed, which is not Enter: so press
		// it once a second until the program ends.
		go func() {
			select {
			case <-seen:
			case <-exited:
				return
			}
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for {
				stdin.Write([]byte("\r"))
				select {
				case <-tick.C:
				case <-exited:
					return
				}
			}
		}()
	}
	werr := cmd.Wait()
	close(exited)
	pw.Close()
	<-done
	stdin.Close()
	mu.Lock()
	defer mu.Unlock()
	if ctx.Err() != nil {
		return out.String(), fmt.Errorf("%s did not end in %s (output so far: %q)", strings.Join(argv, " "), perRunTimeout, lastBytes(out.String(), 300))
	}
	return out.String(), werr
}

// pauseOnExit: on its own console hvrdoctor.exe says it has finished and
// waits for Enter before the window would close.
func (r runner) pauseOnExit(ctx context.Context) []string {
	start := time.Now()
	out, err := ptyRun(ctx, []string{r.wine, r.windows, "--version"}, winconsole.PauseMessage)
	if err != nil {
		return []string{err.Error()}
	}
	clean := stripANSI(out)
	var problems []string
	if !strings.Contains(clean, "hvrdoctor ") || !strings.Contains(clean, "has finished. "+winconsole.PauseMessage) {
		problems = append(problems, fmt.Sprintf("no pause message on its own console after %s: %q", time.Since(start).Round(time.Millisecond), lastBytes(clean, 300)))
	}
	return problems
}

// codePageRestored runs winconsole's test of Setup and Restore on a real
// console (it skips without one, as under go test's pipes).
func (r runner) codePageRestored(ctx context.Context, testExe string) []string {
	out, err := ptyRun(ctx, []string{r.wine, testExe, "-test.run", "^TestRealConsoleRestored$", "-test.v"}, "")
	clean := stripANSI(out)
	if err != nil || !strings.Contains(clean, "--- PASS: TestRealConsoleRestored") {
		return []string{fmt.Sprintf("TestRealConsoleRestored on a console: %v: %q", err, lastBytes(clean, 400))}
	}
	return nil
}

// ptyDone is echoed once the program under script(1) has ended.
const ptyDone = "__winecheck_pty_done__"

var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\r`)

func stripANSI(s string) string { return ansi.ReplaceAllString(s, "") }

func lastBytes(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// shellJoin quotes argv for script -c (sh).
func shellJoin(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}
