package train

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// A trainer's scenario file with escape sequences or direction marks in
// any text (YAML's "\e" writes ESC) reached the terminal raw in train
// list, show, hint and the TUI. Every text field is checked on load.
func TestScenarioTextRefusesControlCharacters(t *testing.T) {
	for _, c := range []struct{ from, to, field string }{
		{"title: A trainer's own scenario", `title: "Evil \e]0;PWNED\a\e[2J"`, "title"},
		{"story: The proxy eats uploads.", `story: "a\e[31mred"`, "story"},
		{"task: Fix it.", "task: \"Fix\\rit\"", "task"},
		{`symptoms: ["connection timed out"]`, `symptoms: ["ok", "x\u202ey"]`, "symptoms[1]"},
		{"choices: [DNS, Proxy large upload]", `choices: [DNS, "Proxy\x9b2J"]`, "questions[0].choices[1]"},
		{`hints: ["look at ${squid_conf}"]`, `hints: ["look at ${squid_conf}\e[8m"]`, "hints[0]"},
		{`fix: ["squid -k reconfigure -f ${squid_conf}"]`, `fix: ["rm -rf / \u2066# squid -k reconfigure -f ${squid_conf}\u2069"]`, "fix[0]"},
		{"summary: 413 at once.", `summary: "413\e[1A"`, "simulated[0].summary"},
	} {
		data := strings.Replace(validScenario, c.from, c.to, 1)
		if data == validScenario {
			t.Fatalf("case does not change the file: %q", c.from)
		}
		_, err := ParseScenario("bad.yaml", []byte(data))
		if err == nil || !strings.HasPrefix(err.Error(), "bad.yaml: "+c.field+": holds the control character U+") {
			t.Errorf("%s: error %v, want one naming the field", c.field, err)
		}
	}
	// Line breaks and tabs in multi-line texts, and non-ASCII letters, stay allowed.
	ok := strings.Replace(validScenario, "story: The proxy eats uploads.", "story: |\n  Le proxy\tmange\n  les envois: é ü 日本", 1)
	if _, err := ParseScenario("ok.yaml", []byte(ok)); err != nil {
		t.Errorf("plain multi-line story: %v", err)
	}
	// The title's limit is 60 characters, not 60 bytes.
	long := strings.Replace(validScenario, "title: A trainer's own scenario", "title: "+strings.Repeat("é", 50), 1)
	if _, err := ParseScenario("ok.yaml", []byte(long)); err != nil {
		t.Errorf("50-character title: %v", err)
	}
}

// A file of the user directory that is not a scenario (here a symlink to
// a file of secrets) had every line printed as an "unknown field" in one
// error; the error must quote nothing of it. A file whose name holds ESC is
// named with escapes.
func TestScenarioErrorsQuoteNothingOfTheFile(t *testing.T) {
	dir := testutil.TempDir(t)
	secret := filepath.Join(testutil.TempDir(t), "shadow")
	if err := os.WriteFile(secret, []byte("root:$6$SECRETHASH:20228:0:99999:7:::\ndaemon:*:1::\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A symlink on Linux; a copy on Windows, where making one needs a
	// privilege (and wine's is not followed as a file).
	if runtime.GOOS == "windows" {
		b, err := os.ReadFile(secret)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "shadow.yaml"), b, 0o600); err != nil {
			t.Fatal(err)
		}
	} else if err := os.Symlink(secret, filepath.Join(dir, "shadow.yaml")); err != nil {
		t.Fatal(err)
	}
	typed := strings.Replace(validScenario, "level: 2", "level: \"SECRET-VALUE\"", 1)
	if err := os.WriteFile(filepath.Join(dir, "typed.yaml"), []byte(typed), 0o600); err != nil {
		t.Fatal(err)
	}
	// Windows file names cannot hold control characters: that case does
	// not exist there.
	escName := runtime.GOOS != "windows"
	want := []string{"shadow.yaml: line 1: an unknown field (not a scenario file?", "typed.yaml: line 3: cannot unmarshal !!str a value into int"}
	if escName {
		if err := os.WriteFile(filepath.Join(dir, "esc\x1b[2J.yaml"), []byte("id: [x"), 0o600); err != nil {
			t.Fatal(err)
		}
		want = append(want, `esc\x1b[2J.yaml"`)
	}
	_, errs := LoadCatalogue(dir)
	if len(errs) != len(want) {
		t.Fatalf("%d errors, want %d: %v", len(errs), len(want), errs)
	}
	for _, e := range errs {
		msg := e.Error()
		if strings.Contains(msg, "SECRET") || strings.Contains(msg, "daemon") || strings.Contains(msg, "\x1b") || strings.Contains(msg, "\n") {
			t.Errorf("error quotes the file or holds ESC: %q", msg)
		}
	}
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	joined := strings.Join(msgs, "\n")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("errors lack %q:\n%s", w, joined)
		}
	}
}
