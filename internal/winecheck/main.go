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
	"strings"
	"time"
)

func main() {
	linuxBin := flag.String("linux", "", "hvrdoctor built for this machine")
	windowsExe := flag.String("windows", "", "hvrdoctor.exe built with GOOS=windows")
	wine := flag.String("wine", "wine", "wine command")
	run := flag.String("run", "", "run only the scenarios whose name contains this")
	consoleTest := flag.String("console-test", "", "internal/winconsole's test binary for windows (go test -c), run on a console")
	flag.Parse()
	if *linuxBin == "" || *windowsExe == "" {
		fmt.Fprintln(os.Stderr, "winecheck: give -linux and -windows (see the package comment)")
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "hvrdoctor-winecheck-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "winecheck: temp dir: %v\n", err)
		os.Exit(1)
	}
	defer os.RemoveAll(dir)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	env, err := startLab(ctx, dir)
	if env != nil {
		defer env.stop()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "winecheck: start the loopback servers: %v\n", err)
		os.Exit(1)
	}
	r := runner{linux: *linuxBin, windows: *windowsExe, wine: *wine}
	passed, failed := 0, 0
	for _, sc := range scenarios(env) {
		if *run != "" && !strings.Contains(sc.name, *run) {
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
		if *run != "" && !strings.Contains(c.name, *run) {
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
	if failed > 0 {
		os.Exit(1)
	}
}
