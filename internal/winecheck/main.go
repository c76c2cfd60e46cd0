// Command winecheck runs the Windows build of hvrdoctor under wine and the
// Linux build side by side, against the same loopback servers it starts
// (an HTTP listener, squid with and without the 4 GB upload limit, a TLS
// listener that requires client certificates), and compares what each
// build concludes: the same exit status and, for check, the same status
// and error codes in every step. scripts/test-windows.sh runs it; it is a
// test tool, never part of a release.
//
// Usage (wine on PATH, WINEPREFIX set up with the ProcessPrng shim and
// the netsh.exe stand-in of scripts/windows/):
//
//	go run ./internal/winecheck -linux ./hvrdoctor -windows ./hvrdoctor.exe
//
// It prints one line per scenario ("ok", "FAIL" or "SKIP" and its name)
// and ends with "winecheck: N passed, N failed".
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() { os.Exit(run()) }

// run returns the exit status once every server it started is stopped
// and its temp dir removed (os.Exit in main skips no cleanup).
func run() int {
	linuxBin := flag.String("linux", "", "hvrdoctor built for this machine")
	windowsExe := flag.String("windows", "", "hvrdoctor.exe built with GOOS=windows")
	wine := flag.String("wine", "wine", "wine command")
	only := flag.String("run", "", "run only the scenarios whose name contains this")
	consoleTest := flag.String("console-test", "", "internal/winconsole's test binary for windows (go test -c), run on a console")
	flag.Parse()
	if *linuxBin == "" || *windowsExe == "" {
		fmt.Fprintln(os.Stderr, "winecheck: give -linux and -windows (see the package comment)")
		return 2
	}
	dir, err := os.MkdirTemp("", "hvrdoctor-winecheck-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "winecheck: temp dir: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)

	// Interrupted (CI cancels, Ctrl+C), the running command is killed
	// and the servers are still stopped.
	sigCtx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(sigCtx, 10*time.Minute)
	defer cancel()
	env, err := startLab(ctx, dir)
	if env != nil {
		defer env.stop()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "winecheck: start the loopback servers: %v\n", err)
		return 1
	}
	r := runner{linux: *linuxBin, windows: *windowsExe, wine: *wine}
	passed, failed := 0, 0
	for _, sc := range scenarios(env) {
		if *only != "" && !strings.Contains(sc.name, *only) {
			continue
		}
		start := time.Now()
		problems := r.compare(ctx, sc)
		took := time.Since(start).Round(10 * time.Millisecond)
		if len(problems) == 0 {
			passed++
			fmt.Printf("ok    %-34s %s\n", sc.name, took)
			continue
		}
		failed++
		fmt.Printf("FAIL  %-34s %s\n", sc.name, took)
		for _, p := range problems {
			fmt.Printf("      %s\n", p)
		}
	}
	for _, c := range r.consoleChecks(ctx, *consoleTest) {
		if *only != "" && !strings.Contains(c.name, *only) {
			continue
		}
		start := time.Now()
		problems := c.run()
		took := time.Since(start).Round(10 * time.Millisecond)
		if len(problems) == 0 {
			passed++
			fmt.Printf("ok    %-34s %s\n", c.name, took)
			continue
		}
		failed++
		fmt.Printf("FAIL  %-34s %s\n", c.name, took)
		for _, p := range problems {
			fmt.Printf("      %s\n", p)
		}
	}
	fmt.Printf("winecheck: %d passed, %d failed\n", passed, failed)
	if failed > 0 || ctx.Err() != nil {
		return 1
	}
	return 0
}
