package sampler

import (
	"bytes"
	"os"
	"strconv"
)

// processAlive reports whether the process k names still runs: its
// /proc/PID/stat exists, has the same start time, and is not a zombie.
func processAlive(k ProcKey) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(int(k.PID)) + "/stat")
	if err != nil {
		return false
	}
	st, ok := parseStat(b)
	if !ok || (k.Start != 0 && st.start != k.Start) {
		return false
	}
	end := bytes.LastIndexByte(b, ')')
	return end+2 >= len(b) || (b[end+2] != 'Z' && b[end+2] != 'X')
}
