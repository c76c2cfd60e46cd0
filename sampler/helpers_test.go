package sampler

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
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

// requireOrSkip skips the test, or fails it when the environment demands
// integration tests (HVRDOCTOR_REQUIRE_INTEGRATION=1, as CI sets).
func requireOrSkip(t testing.TB, reason string) {
	t.Helper()
	if os.Getenv("HVRDOCTOR_REQUIRE_INTEGRATION") == "1" {
		t.Fatalf("integration test cannot run: %s", reason)
	}
	t.Skipf("skipping integration test: %s (set HVRDOCTOR_REQUIRE_INTEGRATION=1 to make this a failure)", reason)
}
