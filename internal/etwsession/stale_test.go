package etwsession

import "testing"

func TestStaleSession(t *testing.T) {
	alive := func(pid int) bool { return pid == 4242 }
	for name, want := range map[string]bool{
		"hvrdoctor-1234":     true,  // its process is gone
		"hvrdoctor-4242":     false, // still running
		"hvrdoctor-99":       false, // this process
		"hvrdoctor-fileio-7": false,
		"hvrdoctor-0012":     false,
		"hvrdoctor-":         false,
		"NT Kernel Logger":   false,
		"EventLog-System":    false,
	} {
		if got := staleSession(name, 99, alive); got != want {
			t.Errorf("%q: %v, want %v", name, got, want)
		}
	}
}
