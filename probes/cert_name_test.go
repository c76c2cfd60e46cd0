package probes

import "testing"

func TestNameMatches(t *testing.T) {
	for _, c := range []struct {
		pattern, host string
		want          bool
	}{
		{"replica.lab.test", "replica.lab.test", true},
		{"REPLICA.Lab.Test.", "replica.lab.test", true},
		{"*.lab.test", "replica.lab.test", true},
		{"*.lab.test", "a.b.lab.test", false}, // one label only
		{"*.lab.test", "lab.test", false},
		{"*.test", "replica.lab.test", false},
		{"replica", "replica.lab.test", false}, // a short name is not the FQDN
		{"", "replica.lab.test", false},
		{"*", "replica", false},
	} {
		if got := nameMatches(c.pattern, c.host); got != c.want {
			t.Errorf("nameMatches(%q, %q) = %v, want %v", c.pattern, c.host, got, c.want)
		}
	}
}
