package exporter

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// TestAlertRules runs promtool's own checks and unit tests of the alert
// rules in deploy/prometheus: each alert fires in its test and stays
// quiet in the case beside it.
func TestAlertRules(t *testing.T) {
	promtool := needTool(t, "promtool")
	dir := filepath.Join("..", "deploy", "prometheus")
	for _, args := range [][]string{
		{"check", "rules", "hvrdoctor-rules.yml"},
		{"test", "rules", "hvrdoctor-rules.test.yml"},
	} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("promtool %v: %v\n%s", args, err, out)
		}
	}
}
