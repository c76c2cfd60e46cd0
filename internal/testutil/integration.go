package testutil

import (
	"fmt"
	"os"
	"testing"
)

// RequireIntegrationEnv, set to 1 (as CI does), makes a missing component
// fail the tests that need it instead of skipping them.
const RequireIntegrationEnv = "HVRDOCTOR_REQUIRE_INTEGRATION"

// RequireIntegration reports whether missing components must fail tests.
func RequireIntegration() bool { return os.Getenv(RequireIntegrationEnv) == "1" }

// SkipOrFail skips t because a component it needs is missing, or fails it
// when RequireIntegration says so. The reason is formatted as by
// fmt.Sprintf and should say what is missing and how to get it.
func SkipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	reason := fmt.Sprintf(format, args...)
	if RequireIntegration() {
		t.Fatalf("integration test cannot run (%s=1): %s", RequireIntegrationEnv, reason)
		return
	}
	t.Skipf("skipping integration test: %s (set %s=1 to make this a failure)", reason, RequireIntegrationEnv)
}

// SkipUnless calls SkipOrFail with err when err is not nil: err says why
// a component cannot run here.
func SkipUnless(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		SkipOrFail(t, "%v", err)
	}
}
