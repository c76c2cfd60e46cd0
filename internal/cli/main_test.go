package cli

import (
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// TestMain lets the tests re-execute this test binary as a helper child
// (testutil's churn writer for the recording tests).
func TestMain(m *testing.M) { testutil.Main(m, nil) }
