package sampler

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

func TestBuiltinClassification(t *testing.T) {
	c := DefaultClassifier()
	cases := []struct {
		name string
		want Class
		rule string // substring of the rule shown
	}{
		{"System", ClassInbox, "page file"},
		{"svchost.exe", ClassInbox, "service host"},
		{"SVCHOST.EXE", ClassInbox, "service host"},
		{"explorer.exe", ClassInbox, "Windows shell"},
		{"SearchIndexer.exe", ClassInbox, "Search"},
		{"TiWorker.exe", ClassInbox, "Modules Installer"},
		{"defrag.exe", ClassInbox, "defrag"},
		{"MsMpEng.exe", ClassInbox, "Defender"},
		{"wbengine.exe", ClassInbox, "Windows Server Backup"},
		{"kworker/u8:0-writeback", ClassInbox, "kernel worker"},
		{"jbd2/vda1-8", ClassInbox, "journal"},
		{"systemd-journald", ClassInbox, "systemd"},
		{"unattended-upgr", ClassInbox, "updates"},
		{"VeeamAgent.exe", ClassThirdParty, "Veeam"},
		{"beremote.exe", ClassThirdParty, "Backup Exec"},
		{"ccSvcHst.exe", ClassThirdParty, "Symantec"},
		{"CSFalconService.exe", ClassThirdParty, "CrowdStrike"},
		{"ekrn.exe", ClassThirdParty, "ESET"},
		{"avp.exe", ClassThirdParty, "Kaspersky"},
		{"GoogleUpdate.exe", ClassThirdParty, "Google"},
		{"sqlservr.exe", ClassWorkload, NoRuleMatched},
		{"dd", ClassWorkload, NoRuleMatched},
		{"avpx", ClassWorkload, NoRuleMatched}, // patterns match whole names
	}
	for _, tc := range cases {
		got := c.Classify(tc.name, "")
		if got.Class != tc.want || !strings.Contains(got.Rule, tc.rule) {
			t.Errorf("Classify(%q) = %+v, want class %s with rule containing %q", tc.name, got, tc.want, tc.rule)
		}
	}
}

func TestUserRulesTakePrecedence(t *testing.T) {
	dir := testutil.TempDir(t)
	path := filepath.Join(dir, "rules.txt")
	os.WriteFile(path, []byte(`# site rules
third-party  dsmc*       IBM Storage Protect client

workload     svchost     our app runs as a service here
Inbox        my?gent.EXE monitoring we count as the OS
`), 0o644)
	c := DefaultClassifier()
	if err := c.LoadRules(path); err != nil {
		t.Fatal(err)
	}
	got := c.Classify("svchost.exe", "")
	if got.Class != ClassWorkload || got.Rule != "svchost: our app runs as a service here ("+path+":4)" {
		t.Errorf("svchost with a user rule = %+v, want workload from rules.txt line 4", got)
	}
	if got := c.Classify("dsmcad", ""); got.Class != ClassThirdParty {
		t.Errorf("dsmcad = %+v", got)
	}
	if got := c.Classify("MyAgent.exe", ""); got.Class != ClassInbox || !strings.Contains(got.Rule, "monitoring") {
		t.Errorf("MyAgent.exe = %+v", got)
	}
	if got := c.Classify("explorer.exe", ""); got.Class != ClassInbox {
		t.Errorf("built-in rules still apply: explorer = %+v", got)
	}

	// A later file wins over an earlier one.
	later := filepath.Join(dir, "later.txt")
	os.WriteFile(later, []byte("inbox svchost back to inbox\n"), 0o644)
	if err := c.LoadRules(later); err != nil {
		t.Fatal(err)
	}
	if got := c.Classify("svchost.exe", ""); got.Class != ClassInbox || !strings.Contains(got.Rule, "later.txt:1") {
		t.Errorf("after a second file: %+v", got)
	}
	if n := len(c.Rules()); n != len(builtinRules)+4 {
		t.Errorf("Rules() has %d, want %d", n, len(builtinRules)+4)
	}
}

func TestBadRuleFilesNameFileAndLine(t *testing.T) {
	dir := testutil.TempDir(t)
	cases := map[string]string{
		"class.txt":   "inbox ok\nvirus evil.exe bad\n",
		"pattern.txt": "# only a class\n\ninbox\n",
	}
	wants := map[string]string{"class.txt": "line 2: unknown class \"virus\"", "pattern.txt": "line 3"}
	for name, text := range cases {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		c := DefaultClassifier()
		err := c.LoadRules(p)
		if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), wants[name]) {
			t.Errorf("%s: err = %v, want it to name the file and %q", name, err, wants[name])
		}
		if len(c.Rules()) != len(builtinRules) {
			t.Errorf("%s: a bad file added rules", name)
		}
	}
	if err := DefaultClassifier().LoadRules(filepath.Join(dir, "missing.txt")); err == nil || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("missing file: %v", err)
	}
}

func TestAddRule(t *testing.T) {
	c := DefaultClassifier()
	if err := c.AddRule(ClassRule{Class: "nonsense", Pattern: "x"}); err == nil {
		t.Error("AddRule accepted an unknown class")
	}
	if err := c.AddRule(ClassRule{Class: ClassThirdParty, Pattern: "sqlservr", Description: "vendor"}); err != nil {
		t.Fatal(err)
	}
	if got := c.Classify("sqlservr.exe", ""); got.Class != ClassThirdParty || got.Rule != "sqlservr: vendor" {
		t.Errorf("got %+v", got)
	}
}

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		p, n string
		want bool
	}{
		{"kworker/*", "kworker/0:1h", true},
		{"kworker/*", "kworker", false},
		{"*", "", true},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"loop?", "loop0", true},
		{"loop?", "loop10", false},
		{"md*_raid*", "md127_raid1", true},
		{"veeam*", "veeamagent", true},
		{"avp", "avpui", false},
	}
	for _, tc := range cases {
		if got := globMatch(tc.p, tc.n); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tc.p, tc.n, got, tc.want)
		}
	}
}

// TestKernelThreadsAreInbox: every Linux kernel thread is the OS's own.
// Threads a built-in rule describes keep that rule's reason; the others
// say "Linux kernel thread"; a user rule still wins; a vendor rule never
// claims a kernel thread; a user-space process of the same name as a
// kernel thread is still judged by its name.
func TestKernelThreadsAreInbox(t *testing.T) {
	c := DefaultClassifier()
	kthread := func(name string) *ProcessCounters {
		return &ProcessCounters{Name: name, KernelThread: true}
	}
	cases := []struct {
		name string
		rule string // substring of the rule shown
	}{
		{"rcu_preempt", KernelThreadRule},
		{"rcu_exp_gp_kthread_worker", KernelThreadRule},
		{"migration/0", KernelThreadRule},
		{"cpuhp/1", KernelThreadRule},
		{"kdevtmpfs", KernelThreadRule},
		{"kauditd", KernelThreadRule},
		{"khungtaskd", KernelThreadRule},
		{"oom_reaper", KernelThreadRule},
		{"pool_workqueue_release", KernelThreadRule},
		{"avp", KernelThreadRule}, // shares a Kaspersky process name
		{"kworker/u8:0-ext4-rsv-conversion", "kernel worker"},
		{"jbd2/vda1-8", "journal"},
		{"kswapd0", "swap daemon"},
		{"kthreadd", "kernel thread parent"},
		{"ksoftirqd/0", "soft-interrupt"},
	}
	for _, tc := range cases {
		got := c.ClassifyProcess(kthread(tc.name))
		if got.Class != ClassInbox || !strings.Contains(got.Rule, tc.rule) {
			t.Errorf("kernel thread %q = %+v, want inbox with rule containing %q", tc.name, got, tc.rule)
		}
	}
	if got := c.ClassifyProcess(&ProcessCounters{Name: "rcu_preempt"}); got.Class != ClassWorkload {
		t.Errorf("user-space rcu_preempt = %+v, want workload (only kernel threads are inbox by flag)", got)
	}
	if got := c.ClassifyProcess(&ProcessCounters{Name: "avp"}); got.Class != ClassThirdParty {
		t.Errorf("user-space avp = %+v, want third-party", got)
	}
	if err := c.AddRule(ClassRule{Class: ClassWorkload, Pattern: "kauditd", Description: "we count audit as the workload"}); err != nil {
		t.Fatal(err)
	}
	if got := c.ClassifyProcess(kthread("kauditd")); got.Class != ClassWorkload || !strings.Contains(got.Rule, "audit") {
		t.Errorf("kauditd with a user rule = %+v, want the user's workload rule", got)
	}
}
