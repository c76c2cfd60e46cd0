package sampler

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// The tests re-execute their own binary as helper processes: testutil's
// writer of a known number of bytes, and these.
const (
	snapshotHelperName = "sampler-snapshot" // an unprivileged sampler
	parentHelperName   = "sampler-parent"   // a parent that reaps a writer
	tempHelperName     = "sampler-tempfile" // writes temp files and deletes them before writeback
	fexecHelperName    = "sampler-fexec"    // executes a program from a memfd
	spawnerHelperName  = "sampler-spawner"  // runs a short-lived writer child and reaps it
	evilNameHelperName = "sampler-evilname" // renames itself with escape sequences and bytes that are not UTF-8
)

func TestMain(m *testing.M) {
	testutil.Main(m, map[string]testutil.HelperFunc{
		snapshotHelperName: func([]string) int { return snapshotHelper() },
		parentHelperName:   parentHelper,
		tempHelperName:     tempFileHelper,
		fexecHelperName:    fexecHelper,
		spawnerHelperName:  spawnerHelper,
		evilNameHelperName: evilNameHelper,
	})
}

// parentHelper starts a writer child (testutil's writer helper) of size
// bytes to path (args: path, size) and tells its own stdout, one line
// each: "child <pid>" once started, "child-done" once the child has
// written and fsynced. On the line "reap" from stdin it lets the child
// exit, waits for it (the kernel then adds the child's I/O counters to
// this process's) and says "reaped"; then it idles until stdin closes.
func parentHelper(args []string) int {
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "parent: need <path> <bytes>")
		return 2
	}
	cmd := testutil.HelperCommand("", testutil.WriterHelper, args[0], args[1])
	cmd.Stderr = os.Stderr
	childIn, err := cmd.StdinPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "parent:", err)
		return 1
	}
	childOut, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "parent:", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "parent: start child:", err)
		return 1
	}
	fmt.Printf("child %d\n", cmd.Process.Pid)
	line, err := bufio.NewReader(childOut).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "done" {
		fmt.Fprintf(os.Stderr, "parent: child said %q: %v\n", line, err)
		cmd.Process.Kill()
		cmd.Wait()
		return 1
	}
	fmt.Println("child-done")
	in := bufio.NewReader(os.Stdin)
	if msg, _ := in.ReadString('\n'); strings.TrimSpace(msg) != "reap" {
		return 1
	}
	childIn.Close()
	if err := cmd.Wait(); err != nil {
		fmt.Fprintln(os.Stderr, "parent: child:", err)
		return 1
	}
	fmt.Println("reaped")
	in.ReadString('\n') // idle until stdin closes
	return 0
}

// tempFileHelper writes 4 MiB files in dir (args: dir) and deletes each
// right after writing it, before writeback, until stdin closes; then it
// prints the bytes it wrote.
func tempFileHelper(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "tempfile: need <dir>")
		return 2
	}
	stop := make(chan struct{})
	go func() {
		bufio.NewReader(os.Stdin).ReadString('\n')
		close(stop)
	}()
	buf := make([]byte, 4<<20)
	for i := range buf {
		buf[i] = byte(i)
	}
	var total int64
	for i := 0; ; i++ {
		select {
		case <-stop:
			fmt.Println(total)
			return 0
		default:
		}
		path := fmt.Sprintf("%s/tmp-%d", args[0], i%4)
		if err := os.WriteFile(path, buf, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "tempfile:", err)
			return 1
		}
		total += int64(len(buf))
		if err := os.Remove(path); err != nil {
			fmt.Fprintln(os.Stderr, "tempfile:", err)
			return 1
		}
	}
}

// spawnerHelper prints "ready"; on a line from stdin it runs testutil's
// writer of size bytes to path.I (args: path, size, [count, default 1]),
// one after the other, each exiting at once and reaped, and prints
// "reaped"; then it idles until stdin closes.
func spawnerHelper(args []string) int {
	if len(args) != 2 && len(args) != 3 {
		fmt.Fprintln(os.Stderr, "spawner: need <path> <bytes> [count]")
		return 2
	}
	in := bufio.NewReader(os.Stdin)
	fmt.Println("ready")
	if _, err := in.ReadString('\n'); err != nil {
		return 1
	}
	n := 1
	if len(args) > 2 {
		n, _ = strconv.Atoi(args[2])
	}
	for i := 0; i < n; i++ {
		cmd := testutil.HelperCommand("", testutil.WriterHelper, fmt.Sprintf("%s.%d", args[0], i%8), args[1])
		cmd.Stdin = strings.NewReader("") // it exits once written
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "spawner: child:", err)
			return 1
		}
	}
	fmt.Println("reaped")
	in.ReadString('\n')
	return 0
}
