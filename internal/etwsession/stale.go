package etwsession

import (
	"strconv"
	"strings"
)

// staleSession reports whether name is a session a previous hvrdoctor left
// behind: "hvrdoctor-<pid>" of another PID whose process no longer runs
// (alive says). A real-time session outlives its process when the process
// is killed before it stops the session, and Windows allows only 64.
func staleSession(name string, self int, alive func(pid int) bool) bool {
	rest, ok := strings.CutPrefix(name, "hvrdoctor-")
	if !ok {
		return false
	}
	pid, err := strconv.Atoi(rest)
	if err != nil || pid <= 0 || pid == self || strconv.Itoa(pid) != rest {
		return false
	}
	return !alive(pid)
}
