package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestWinePackagesUseTestutilTempDir: t.TempDir's cleanup fails every
// test under wine (Go 1.26's os.RemoveAll there), so the packages
// scripts/test-windows.sh runs under wine must use testutil.TempDir. This
// runs on Linux, so a new t.TempDir is caught before the Windows step.
func TestWinePackagesUseTestutilTempDir(t *testing.T) {
	root := filepath.Join("..", "..")
	f, err := os.Open(filepath.Join(root, "scripts", "windows", "test-packages.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tempDir := regexp.MustCompile(`\b[tb]\.TempDir\(\)`)
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		pkg := strings.TrimSpace(sc.Text())
		if pkg == "" || strings.HasPrefix(pkg, "#") {
			continue
		}
		if opt, ok := strings.CutPrefix(pkg, "?"); ok {
			if _, err := os.Stat(filepath.Join(root, opt)); err != nil {
				continue // not there yet
			}
			pkg = opt
		}
		n++
		files, _ := filepath.Glob(filepath.Join(root, pkg, "*_test.go"))
		if len(files) == 0 {
			t.Errorf("scripts/windows/test-packages.txt names %s, which has no tests", pkg)
		}
		for _, file := range files {
			// Tests built only for Linux never run under wine.
			if strings.HasSuffix(file, "_linux_test.go") {
				continue
			}
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for i, line := range strings.Split(string(b), "\n") {
				if tempDir.MatchString(line) {
					t.Errorf("%s:%d uses t.TempDir(): use testutil.TempDir(t) (the package's tests run under wine)", file, i+1)
				}
			}
		}
	}
	if n == 0 {
		t.Error("scripts/windows/test-packages.txt lists no package")
	}
}

// TestCompareVerdictsFindsDifferences: the comparison can fail: a step
// whose status or codes differ, a different exit status, or output that
// is not a report, each is named.
func TestCompareVerdictsFindsDifferences(t *testing.T) {
	lin := result{code: 1, stdout: `{"status":"fail","steps":[{"id":"tcp","status":"pass"},{"id":"proxy-large-upload","status":"fail","codes":["0x00002EFE"]}]}`}
	if p := compareVerdicts(lin, lin); len(p) != 0 {
		t.Errorf("identical reports differ: %v", p)
	}
	win := result{code: 0, stdout: `{"status":"pass","steps":[{"id":"tcp","status":"pass"},{"id":"proxy-large-upload","status":"pass"}]}`}
	p := strings.Join(compareVerdicts(lin, win), "\n")
	for _, want := range []string{"exit status: linux 1, windows 0", "overall status", "step 2: linux proxy-large-upload fail [0x00002EFE], windows proxy-large-upload pass []"} {
		if !strings.Contains(p, want) {
			t.Errorf("differences %q lack %q", p, want)
		}
	}
	if p := compareVerdicts(lin, result{stdout: "panic: boom"}); len(p) != 1 || !strings.Contains(p[0], "not a check report") {
		t.Errorf("non-JSON output: %v", p)
	}
}

// TestNormalizeMatchesBothPathForms: an input path printed by either
// build, raw, quoted or JSON-escaped, compares equal.
func TestNormalizeMatchesBothPathForms(t *testing.T) {
	p := "/tmp/hvr-wine/rec dir"
	lin := normalize(`"path": "/tmp/hvr-wine/rec dir/HVRStats-1.csv"`, []string{p})
	win := normalize(`"path": "Z:\\tmp\\hvr-wine\\rec dir\\HVRStats-1.csv"`, []string{p})
	if lin != win {
		t.Errorf("linux %q and windows %q differ", lin, win)
	}
	if a, b := normalize("line\r\n", nil), normalize("line\n", nil); a != b {
		t.Errorf("CRLF kept: %q", a)
	}
	if got := WindowsPath("/tmp/a b/c.pfx"); got != `Z:\tmp\a b\c.pfx` {
		t.Errorf("WindowsPath = %s", got)
	}
}
