package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/probes"
	"github.com/hvrdoctor/hvrdoctor/views"
)

const explainUsage = `Usage: hvrdoctor explain [--replica NAME] [--port N] [--vm NAME] [--proxy URL] CODE|TEXT

Explains a Windows error code that Hyper-V Replica reported, in any form
(0x80090303, 80090303, -2146893053, 2148074243, %%2148074243, 12019, 0x2EF3),
or a sentence pasted from an error dialog or event, or an event ID of the
Microsoft-Windows-Hyper-V-VMMS-Admin log (32086, "event 32022"). With --replica, --port,
--vm and --proxy the fix commands carry your values; the flags go before or
after the code. Exit status 2 for an unknown code.

Flags:
`

// runExplain is `hvrdoctor explain`.
func runExplain(env *Env, args []string) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var in probes.TargetInput
	fs.StringVar(&in.Replica, "replica", "", "replica server name for the fix commands")
	fs.Func("port", "replica port for the fix commands", func(v string) error { in.PortText = v; return nil })
	fs.StringVar(&in.VMName, "vm", "", "VM name for the fix commands")
	fs.StringVar(&in.ProxyURL, "proxy", "", "forward proxy (http://HOST:PORT) for the fix commands")
	args = explainFlagsFirst(fs, args)
	// A negative decimal code (-2146893053) is the input, not a flag:
	// flags end where it starts.
	var rest []string
	for i, a := range args {
		if i > 0 && explainTakesValue(args[i-1]) {
			continue // the value of --port, --replica or --vm (explain --port -1)
		}
		if len(a) > 1 && a[0] == '-' && strings.Trim(a[1:], "0123456789") == "" {
			args, rest = args[:i], args[i:]
			break
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(env.Stdout, explainUsage)
			fs.SetOutput(env.Stdout)
			fs.PrintDefaults()
			return errHelp
		}
		return parseError("explain", err)
	}
	input := strings.Join(append(fs.Args(), rest...), " ")
	if strings.TrimSpace(input) == "" {
		return flagErrorf("give an error code (for example 0x80090303) or paste the error text")
	}
	if explainEvent(input, env.Stdout) {
		return nil
	}
	e, err := probes.Explain(input)
	if err != nil {
		return &FlagError{Err: &namedError{Err: err}} // "explain ...": after "hvrdoctor " alone
	}
	var t *probes.Target
	if in.Replica != "" || in.VMName != "" || in.PortText != "" || in.ProxyURL != "" {
		if in.Replica == "" {
			in.Replica = "replica.invalid" // replaced below: only the VM/port were given
		}
		in.Auth = string(e.Auth)
		in.Env = func(string) string { return "" }
		in.WinHTTP = func(context.Context) (probes.WinHTTPProxy, error) { return probes.WinHTTPProxy{}, nil }
		tg, err := probes.ParseTarget(in)
		if err != nil {
			return &FlagError{Err: err}
		}
		if tg.Replica == "replica.invalid" {
			tg.Replica = "<replica>"
		}
		t = tg
	}
	fmt.Fprint(env.Stdout, views.FindingsExplainFor(e, t, e.Fixes(t)))
	return nil
}

// explainFlagsFirst moves the flags of fs given after the code (hvrdoctor
// explain 12019 --replica hv-dr01 --proxy http://proxy:3128) in front of
// it, so that they fill the fixes instead of being read as error text,
// exactly as they would before it. Only fs's own flag names move, with
// their value (and -h/--help); everything else keeps its order.
func explainFlagsFirst(fs *flag.FlagSet, args []string) []string {
	var flags, others []string
	for i := 0; i < len(args); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if strings.HasPrefix(args[i], "-") && (name == "h" || name == "help") {
			flags = append(flags, args[i])
			continue
		}
		isFlag := strings.HasPrefix(args[i], "-") && name != "" && fs.Lookup(name) != nil
		switch {
		case args[i] == "--":
			return append(append(flags, others...), args[i:]...)
		case isFlag && hasValue:
			flags = append(flags, args[i])
		case isFlag && i+1 < len(args):
			flags = append(flags, args[i], args[i+1])
			i++
		default:
			others = append(others, args[i])
		}
	}
	return append(flags, others...)
}

// explainTakesValue reports whether a is --replica, --port, --vm or --proxy without
// "=value": the next argument is its value.
func explainTakesValue(a string) bool {
	name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
	return strings.HasPrefix(a, "-") && !hasValue && (name == "replica" || name == "port" || name == "vm" || name == "proxy")
}
