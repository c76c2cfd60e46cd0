package sampler

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/hvrdoctor/hvrdoctor/internal/fserr"
)

// ClassRule is one classification rule: processes whose image name matches
// Pattern belong to Class.
//
// Pattern is a case-insensitive glob on the image name: '*' matches any run
// of characters ('/' included, so "kworker/*" matches "kworker/0:1H") and '?'
// matches one character. A trailing ".exe" is ignored on both sides, so
// "svchost" matches "svchost.exe" and "SVCHOST.EXE".
type ClassRule struct {
	Class       Class
	Pattern     string
	Description string
	// Origin says where a user rule came from ("rules.txt:3"); empty for
	// built-in rules.
	Origin string
}

// String is the rule as shown beside a process: "svchost: Windows service
// host", with the file and line for user rules.
func (r ClassRule) String() string {
	s := r.Pattern
	if r.Description != "" {
		s += ": " + r.Description
	}
	if r.Origin != "" {
		s += " (" + r.Origin + ")"
	}
	return s
}

// NoRuleMatched is the Rule of a process no rule classifies: it is counted
// as the guest's workload.
const NoRuleMatched = "no rule matched"

// Classifier sorts processes into workload, inbox and third-party. User
// rules (LoadRules) are checked before the built-in table, so a user file
// can reclassify any built-in entry. It is safe for concurrent use.
//
// User rule file format, one rule per line:
//
//	# comment lines and blank lines are ignored
//	<class> <pattern> [description...]
//
// where <class> is workload, inbox or third-party (thirdparty is accepted
// too), <pattern> is a glob without spaces as described on ClassRule, and the
// description is the rest of the line. Example:
//
//	third-party  dsmc*         IBM Storage Protect backup client
//	workload     sqlservr      SQL Server: the guest's database
//	inbox        myagent.exe   our own monitoring, counts as the OS
//
// Within one file the first matching line wins; rules from a later LoadRules
// call are checked before those of earlier calls.
type Classifier struct {
	mu      sync.RWMutex
	user    []ClassRule
	builtin []ClassRule
}

// DefaultClassifier returns a classifier with the built-in table only.
func DefaultClassifier() *Classifier {
	return &Classifier{builtin: builtinRules}
}

// Rules returns the rules in the order they are checked: user rules first,
// then the built-in table.
func (c *Classifier) Rules() []ClassRule {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]ClassRule, 0, len(c.user)+len(c.builtin))
	out = append(out, c.user...)
	return append(out, c.builtin...)
}

// AddRule adds one user rule ahead of every rule loaded so far.
func (c *Classifier) AddRule(r ClassRule) error {
	cl, err := parseClass(r.Class)
	if err != nil {
		return err
	}
	if r.Pattern == "" {
		return fmt.Errorf("classification rule with class %s has an empty pattern", cl)
	}
	r.Class = cl
	c.mu.Lock()
	c.user = append([]ClassRule{r}, c.user...)
	c.mu.Unlock()
	return nil
}

// maxRulesFile bounds a rules file (lines of a few dozen bytes).
const maxRulesFile = 4 << 20

// LoadRules reads a user rule file (format on Classifier) and puts its rules
// ahead of all rules loaded before. Nothing is added when the file has an
// error; the error names the file and line.
func (c *Classifier) LoadRules(path string) error {
	// A FIFO or device would block or never end: refuse before opening.
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return fmt.Errorf("rules file %s: not a regular file (a directory, FIFO or device): give a text file", path)
	} else if err == nil && st.Size() > maxRulesFile {
		return fmt.Errorf("rules file %s: %d bytes, more than the %d a rules file can be", path, st.Size(), maxRulesFile)
	}
	f, err := os.Open(path)
	if err != nil {
		// The same words on every OS (Windows and wine word a missing
		// file "The system cannot find the path specified." / "Path not
		// found.").
		if r := fserr.Reason(err); r != err {
			return fmt.Errorf("rules file %s: %w", path, r)
		}
		return fmt.Errorf("rules file: %w", err)
	}
	defer f.Close()
	var rules []ClassRule
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) < 2 {
			return fmt.Errorf("rules file %s line %d: want \"<class> <pattern> [description]\", got %q", path, line, text)
		}
		cl, err := parseClass(Class(fields[0]))
		if err != nil {
			return fmt.Errorf("rules file %s line %d: %w", path, line, err)
		}
		desc := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(text, fields[0])), fields[1]))
		rules = append(rules, ClassRule{Class: cl, Pattern: fields[1], Description: desc, Origin: fmt.Sprintf("%s:%d", path, line)})
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("rules file %s line %d: %w", path, line+1, err)
	}
	c.mu.Lock()
	c.user = append(rules, c.user...)
	c.mu.Unlock()
	return nil
}

func parseClass(c Class) (Class, error) {
	switch Class(strings.ToLower(string(c))) {
	case ClassWorkload:
		return ClassWorkload, nil
	case ClassInbox:
		return ClassInbox, nil
	case ClassThirdParty, "thirdparty", "third_party":
		return ClassThirdParty, nil
	}
	return "", fmt.Errorf("unknown class %q (want workload, inbox or third-party)", string(c))
}

// Classify returns the class of a process from its image name. The command
// line is accepted so that callers pass everything they know; the current
// rules match on the image name only. A process no rule matches is the
// workload, with Rule NoRuleMatched.
func (c *Classifier) Classify(name, cmdline string) Classification {
	_ = cmdline
	n := normalizeImage(name)
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, set := range [][]ClassRule{c.user, c.builtin} {
		for _, r := range set {
			if globMatch(normalizeImage(r.Pattern), n) {
				return Classification{Class: r.Class, Rule: r.String()}
			}
		}
	}
	return Classification{Class: ClassWorkload, Rule: NoRuleMatched}
}

// KernelThreadRule is the Rule of a Linux kernel thread that no more
// specific rule (kworker/*, jbd2/*, kswapd*, ...) describes.
const KernelThreadRule = "Linux kernel thread"

// ClassifyProcess classifies a process from everything the source knows
// about it. Like Classify, with one addition: a Linux kernel thread
// (KernelThread) is always the OS's own. User rules still come first; then
// a built-in inbox rule that names it (kworker/*, jbd2/*, ...) gives the
// more specific reason; anything else (rcu_*, migration/N, cpuhp/N,
// kauditd, oom_reaper, ...) is inbox with Rule KernelThreadRule. A built-in
// rule of another class never applies to a kernel thread: a thread that
// happens to share a vendor agent's name is still the kernel's.
func (c *Classifier) ClassifyProcess(pc *ProcessCounters) Classification {
	if !pc.KernelThread {
		return c.Classify(pc.Name, pc.Cmdline)
	}
	n := normalizeImage(pc.Name)
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, r := range c.user {
		if globMatch(normalizeImage(r.Pattern), n) {
			return Classification{Class: r.Class, Rule: r.String()}
		}
	}
	for _, r := range c.builtin {
		if r.Class == ClassInbox && globMatch(normalizeImage(r.Pattern), n) {
			return Classification{Class: r.Class, Rule: r.String()}
		}
	}
	return Classification{Class: ClassInbox, Rule: KernelThreadRule}
}

// normalizeImage lower-cases an image name and drops a trailing ".exe".
func normalizeImage(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.TrimSuffix(s, ".exe")
}

// globMatch reports whether name matches pattern, where '*' matches any
// run of bytes and '?' one byte. Both are already lower-case.
func globMatch(pattern, name string) bool {
	p, n := 0, 0
	star, mark := -1, 0
	for n < len(name) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == name[n]):
			p++
			n++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, n
			p++
		case star >= 0:
			mark++
			p, n = star+1, mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
