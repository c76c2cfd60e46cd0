package cli

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

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/views"
)

const checkUsage = `Usage: hvrdoctor check --replica NAME [flags]

Runs the wizard's checks against a Hyper-V Replica server and prints what it
found, why it matters and the fix commands. Exit status: 0 all checks passed
(warnings allowed), 1 a check failed or could not run, 2 bad usage.

Flags:
`

// runCheck is `hvrdoctor check`: exit 1 when a check failed (its verdict,
// printed in the report) or could not run.
func runCheck(env *Env, args []string) error {
	t, format, err := parseCheckFlags(env, args)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	steps := probes.Plan(t)
	runner := probes.Runner{}
	if format == "text" && env.IsTerminal(env.Stderr) {
		runner.OnEvent = func(e probes.Event) {
			if e.Result.Status == probes.StatusRunning {
				fmt.Fprintf(env.Stderr, "  ... %s\n", e.Probe.Title())
			}
		}
	}
	start := env.Now()
	results := runner.Run(ctx, t, steps)
	host, err := os.Hostname()
	if err != nil {
		host = "unknown host"
	}
	report := probes.NewReport(t, steps, results, env.tool(), host, start)

	switch format {
	case "json":
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return fmt.Errorf("write JSON: %v", err)
		}
	case "markdown":
		fmt.Fprint(env.Stdout, views.FindingsMarkdown(report))
	default:
		fmt.Fprint(env.Stdout, views.FindingsText(report))
	}
	if ctx.Err() != nil {
		// Steps cut short by Ctrl-C are skips, which alone would exit 0:
		// a script must not read an interrupted check as a passed one.
		return errors.New("interrupted before every step finished: the result is incomplete; run the check again to the end")
	}
	if report.Failed() {
		return errFailed
	}
	return nil
}

// parseCheckFlags reads check's flags into the target to check and the
// output format (text, json or markdown), asking for missing secrets on a
// terminal.
func parseCheckFlags(env *Env, args []string) (*probes.Target, string, error) {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var format string
	tf := addTargetFlags(env, fs, nil, "replica server: short name, FQDN or IP address (required)")
	fs.StringVar(&format, "format", "text", "output: text, json or markdown")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCheckUsage(fs, env.Stdout)
			return nil, "", errHelp
		}
		return nil, "", parseError("check", err)
	}
	if fs.NArg() > 0 {
		return nil, "", flagErrorf("unexpected argument %s; give the replica with --replica NAME", probes.ShowValue(fs.Arg(0)))
	}
	format = strings.ToLower(format)
	switch format {
	case "text", "json", "markdown":
	case "md":
		format = "markdown"
	default:
		return nil, "", flagErrorf("--format %s: use text, json or markdown", probes.ShowValue(format))
	}
	if err := tf.apply(); err != nil {
		return nil, "", &FlagError{Err: err}
	}
	if err := finishAuthFlags(tf.t, env.Terminal, env.Stderr); err != nil {
		return nil, "", &FlagError{Err: err}
	}
	return tf.t, format, nil
}

// printCheckUsage is check's -h: the flags and the steps.
func printCheckUsage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprint(w, checkUsage)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintln(w, "\nSteps, in order (IDs as in --format json):")
	for _, a := range []probes.AuthType{probes.AuthKerberos, probes.AuthCertificate} {
		var ids []string
		for _, s := range probes.Plan(&probes.Target{Auth: a}) {
			ids = append(ids, s.Probe.ID())
		}
		fmt.Fprintf(w, "  %s: %s\n", a, strings.Join(ids, ", "))
	}
}
