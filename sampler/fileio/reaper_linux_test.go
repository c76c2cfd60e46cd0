//go:build linux

package fileio

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// reaperHelper names the helper that runs one short-lived writer child and
// reaps it (reaperMain).
const reaperHelper = "reaper"

// reaperMain is a parent of one short-lived writer (args: path, bytes). It
// prints "ready"; on a line from stdin it starts testutil's writer helper,
// waits until the child has written and fsynced its bytes, lets it exit,
// waits for it (Linux then adds the child's I/O counters to this
// process's) and prints "reaped <child PID>". Then it idles until stdin
// closes, so its own counters stay still.
func reaperMain(args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "reaper: need <path> <bytes>")
		return 2
	}
	in := bufio.NewReader(os.Stdin)
	fmt.Println("ready")
	if _, err := in.ReadString('\n'); err != nil {
		return 1
	}
	cmd := testutil.HelperCommand("", testutil.WriterHelper, args[0], args[1])
	cmd.Stderr = os.Stderr
	childIn, err := cmd.StdinPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "reaper:", err)
		return 1
	}
	childOut, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "reaper:", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "reaper: start child:", err)
		return 1
	}
	line, err := bufio.NewReader(childOut).ReadString('\n')
	childIn.Close() // the writer exits once its stdin closes
	if err != nil || strings.TrimSpace(line) != "done" {
		fmt.Fprintf(os.Stderr, "reaper: child said %q: %v\n", line, err)
		cmd.Process.Kill()
		cmd.Wait()
		return 1
	}
	if err := cmd.Wait(); err != nil {
		fmt.Fprintln(os.Stderr, "reaper: child:", err)
		return 1
	}
	fmt.Printf("reaped %d\n", cmd.Process.Pid)
	in.ReadString('\n') // idle until stdin closes
	return 0
}

// churnHelper names the helper that runs many short-lived writers one
// after the other (churnMain).
const churnHelper = "churn"

// churnMain starts n short-lived "rewrite" writers in turn (args: dir, n,
// bytes), each to its own file in dir and reaped before the next starts,
// after a line on stdin; it prints "ready" first and "done" at the end,
// then idles until stdin closes.
func churnMain(args []string) int {
	if len(args) != 3 {
		fmt.Fprintln(os.Stderr, "churn: need <dir> <n> <bytes>")
		return 2
	}
	n, err := strconv.Atoi(args[1])
	if err != nil {
		return 2
	}
	in := bufio.NewReader(os.Stdin)
	fmt.Println("ready")
	if _, err := in.ReadString('\n'); err != nil {
		return 1
	}
	for i := 0; i < n; i++ {
		cmd := testutil.HelperCommand("", "rewrite", filepath.Join(args[0], fmt.Sprintf("churn-%d.dat", i)), args[2], "oneshot")
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "churn: writer:", err)
			return 1
		}
	}
	fmt.Println("done")
	in.ReadString('\n')
	return 0
}
