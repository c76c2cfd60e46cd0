package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/views"
)

func init() {
	register(command{
		name:    "check",
		summary: "check the path to a replica server (DNS, TCP, listener, proxy, auth)",
		run:     runCheck,
	})
}

const checkUsage = `Usage: hvrdoctor check --replica NAME [flags]

Runs the wizard's checks against a Hyper-V Replica server and prints what it
found, why it matters and the fix commands. Exit status: 0 all checks passed
(warnings allowed), 1 a check failed or could not run, 2 bad usage.

Flags:
`

// runCheck is `hvrdoctor check`.
func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var format string
	tf := addTargetFlags(fs, nil, "replica server: short name, FQDN or IP address (required)")
	fs.StringVar(&format, "format", "text", "output: text, json or markdown")
	t := tf.t

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, checkUsage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			fmt.Fprintln(stdout, "\nSteps, in order (IDs as in --format json):")
			for _, a := range []probes.AuthType{probes.AuthKerberos, probes.AuthCertificate} {
				var ids []string
				for _, s := range probes.Plan(&probes.Target{Auth: a}) {
					ids = append(ids, s.Probe.ID())
				}
				fmt.Fprintf(stdout, "  %s: %s\n", a, strings.Join(ids, ", "))
			}
			return exitOK
		}
		fmt.Fprintf(stderr, "hvrdoctor check: %s; run 'hvrdoctor check -h' for the flags\n", flagErrorLine(err))
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hvrdoctor check: unexpected argument %s; give the replica with --replica NAME\n", probes.ShowValue(fs.Arg(0)))
		return exitUsage
	}
	format = strings.ToLower(format)
	switch format {
	case "text", "json", "markdown":
	case "md":
		format = "markdown"
	default:
		fmt.Fprintf(stderr, "hvrdoctor check: --format %s: use text, json or markdown\n", probes.ShowValue(format))
		return exitUsage
	}
	if err := tf.apply(); err != nil {
		fmt.Fprintf(stderr, "hvrdoctor check: %v\n", err)
		return exitUsage
	}
	if err := finishAuthFlags(t, os.Stdin, stderr); err != nil {
		fmt.Fprintf(stderr, "hvrdoctor check: %v\n", err)
		return exitUsage
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	steps := probes.Plan(t)
	runner := probes.Runner{}
	if f, ok := stderr.(*os.File); ok && format == "text" && term.IsTerminal(int(f.Fd())) {
		runner.OnEvent = func(e probes.Event) {
			if e.Result.Status == probes.StatusRunning {
				fmt.Fprintf(stderr, "  ... %s\n", e.Probe.Title())
			}
		}
	}
	start := time.Now()
	results := runner.Run(ctx, t, steps)
	host, err := os.Hostname()
	if err != nil {
		host = "unknown host"
	}
	report := probes.NewReport(t, steps, results, "hvrdoctor "+buildVersion(), host, start)

	switch format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			fmt.Fprintf(stderr, "hvrdoctor check: write JSON: %v\n", err)
			return exitFail
		}
	case "markdown":
		fmt.Fprint(stdout, views.FindingsMarkdown(report))
	default:
		fmt.Fprint(stdout, views.FindingsText(report))
	}
	if ctx.Err() != nil {
		// Steps cut short by Ctrl-C are skips, which alone would exit 0:
		// a script must not read an interrupted check as a passed one.
		fmt.Fprintln(stderr, "hvrdoctor check: interrupted before every step finished: the result is incomplete; run the check again to the end")
		return exitFail
	}
	if report.Failed() {
		return exitFail
	}
	return exitOK
}
