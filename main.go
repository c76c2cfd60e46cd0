// Command hvrdoctor troubleshoots Hyper-V Replica: a live sampler of
// per-process and per-file disk writes beside a guided wizard that checks the
// path to the replica server. Without a subcommand it opens the terminal UI;
// subcommands run headless (check, record, analyze, explain). The commands
// live in internal/cli.
package main

import (
	"os"

	"github.com/hvrdoctor/hvrdoctor/internal/cli"
	"github.com/hvrdoctor/hvrdoctor/internal/winconsole"
)

// version is set at release time: -ldflags "-X main.version=v1.2.3".
var version = ""

func main() {
	// On Windows: UTF-8 and VT mode while running, the console as it was
	// afterwards, and a pause when double-clicked (see winconsole).
	console := winconsole.Setup()
	code := cli.Main(os.Args[1:], cli.OSEnv(version))
	console.Restore()
	console.PauseIfOwnConsole(os.Stdin, os.Stdout, code)
	os.Exit(code)
}
