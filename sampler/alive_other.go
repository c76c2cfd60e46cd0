//go:build !linux

package sampler

import "github.com/shirou/gopsutil/v4/process"

// processAlive reports whether the process k names still runs: a process
// with its PID exists and has the same create time (the Start unit the
// gopsutil source uses).
func processAlive(k ProcKey) bool {
	p, err := process.NewProcess(k.PID)
	if err != nil {
		return false
	}
	if k.Start == 0 {
		return true
	}
	created, err := p.CreateTime()
	return err == nil && created == k.Start
}
