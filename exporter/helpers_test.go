package exporter

import (
	"os/exec"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m, nil) }

// needTool finds a program of the prometheus package, or skips (fails
// under HVRDOCTOR_REQUIRE_INTEGRATION=1).
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		testutil.SkipOrFail(t, "%s not found on PATH (apt-get install prometheus)", name)
	}
	return p
}
