package sampler

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// The tests re-execute their own binary as helper processes (a writer of a
// known number of bytes, an unprivileged sampler) when this variable names
// a helper.
const helperEnv = "HVRDOCTOR_SAMPLER_HELPER"

func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "":
		os.Exit(m.Run())
	case "writer":
		os.Exit(writerHelper(os.Args[len(os.Args)-2], os.Args[len(os.Args)-1]))
	case "snapshot":
		os.Exit(snapshotHelper())
	case "parent":
		os.Exit(parentHelper(os.Args[len(os.Args)-2], os.Args[len(os.Args)-1]))
	default:
		fmt.Fprintf(os.Stderr, "unknown helper %q\n", os.Getenv(helperEnv))
		os.Exit(2)
	}
}

// writerHelper writes exactly size bytes to path in 1 MiB chunks, fsyncs,
// prints "done" and then stays alive until its stdin closes, so the sampler
// can see it after the write.
func writerHelper(path, sizeArg string) int {
	size, err := strconv.ParseInt(sizeArg, 10, 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, "writer: bad size:", err)
		return 2
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "writer:", err)
		return 1
	}
	chunk := make([]byte, 1<<20)
	for i := range chunk {
		chunk[i] = byte(i * 7)
	}
	for left := size; left > 0; {
		n := int64(len(chunk))
		if left < n {
			n = left
		}
		if _, err := f.Write(chunk[:n]); err != nil {
			fmt.Fprintln(os.Stderr, "writer:", err)
			return 1
		}
		left -= n
	}
	if err := f.Sync(); err != nil {
		fmt.Fprintln(os.Stderr, "writer: fsync:", err)
		return 1
	}
	f.Close()
	fmt.Println("done")
	bufio.NewReader(os.Stdin).ReadString('\n') // until stdin closes
	return 0
}

// parentHelper starts a writer child (the writer helper) of size bytes to
// path and tells its own stdout, one line each: "child <pid>" once started,
// "child-done" once the child has written and fsynced. On the line "reap"
// from stdin it lets the child exit, waits for it (the kernel then adds
// the child's I/O counters to this process's) and says "reaped"; then it
// idles until stdin closes.
func parentHelper(path, size string) int {
	cmd := exec.Command(os.Args[0], "-test.run=^$", path, size)
	cmd.Env = append(os.Environ(), helperEnv+"=writer")
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

// requireOrSkip skips the test, or fails it when the environment demands
// integration tests (HVRDOCTOR_REQUIRE_INTEGRATION=1, as CI sets).
func requireOrSkip(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv("HVRDOCTOR_REQUIRE_INTEGRATION") == "1" {
		t.Fatalf("integration test cannot run: %s", reason)
	}
	t.Skipf("skipping integration test: %s (set HVRDOCTOR_REQUIRE_INTEGRATION=1 to make this a failure)", reason)
}
