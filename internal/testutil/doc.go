// Package testutil is the plumbing the tests of several packages share:
// skipping (or, under HVRDOCTOR_REQUIRE_INTEGRATION=1, failing) when a
// component is missing; building the hvrdoctor binary once per test
// process; re-executing the test binary as a helper child (a writer of a
// known number of bytes with fsync, a steady churn writer, or a package's
// own helper) and ending it by its PID; and directories with the
// properties the tests need (on a block device, writable by any user).
// Only tests and test-support packages (probes/lab/labtest) import it.
package testutil
