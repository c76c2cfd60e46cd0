package synth

import (
	"time"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// The incident day's numbers, in bytes per second; tests derive the
// expected pivot from them.
const (
	SQLRate       = 500_000    // sqlservr.exe to sales.mdf, all day
	SQLSpikeRate  = 17_429_000 // sqlservr.exe to tempdb.mdf, extra, during 04:57
	PageFileRate  = 100_000    // System (PID 4) to C:\pagefile.sys, all day
	AgentRate     = 1_000      // VeeamAgent.exe log, all day
	CopyRate      = 12_500_000 // explorer.exe copying 1.5 GB, 13:52:00-13:53:59
	IncidentStep  = 10 * time.Second
	IncidentCount = 8640 // one day at 10 s
)

// IncidentDay is the field notes' day in one guest, sampled every 10 s from
// midnight: SQL Server writes steadily and spikes to 30x the normal minute
// at 04:57; System churns the page file all day; a backup agent logs a
// trickle; Explorer copies 1.5 GB between 13:52 and 13:54.
func IncidentDay(day time.Time) Scenario {
	at := func(h, m int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, day.Location())
	}
	spikeFrom, spikeTo := at(4, 57), at(4, 58)
	copyFrom, copyTo := at(13, 52), at(13, 54)
	in := func(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }
	const0 := func(r int64) func(time.Time) int64 { return func(time.Time) int64 { return r } }
	return Scenario{
		Start:    at(0, 0),
		Interval: IncidentStep,
		Samples:  IncidentCount,
		Disk:     "sda",
		Processes: []Process{
			{Name: "sqlservr.exe", PID: 1800, Start: 1000, Class: sampler.ClassWorkload, Files: []FileRate{
				{Path: `D:\SQLData\sales.mdf`, Rate: const0(SQLRate)},
				{Path: `D:\SQLData\tempdb.mdf`, Rate: func(t time.Time) int64 {
					if in(t, spikeFrom, spikeTo) {
						return SQLSpikeRate
					}
					return 0
				}},
			}},
			{Name: "System", PID: 4, Start: 1, Class: sampler.ClassInbox, Files: []FileRate{
				{Path: `C:\pagefile.sys`, Rate: const0(PageFileRate)},
			}},
			{Name: "VeeamAgent.exe", PID: 2200, Start: 1500, Class: sampler.ClassThirdParty, Files: []FileRate{
				{Path: `C:\ProgramData\Veeam\Endpoint\agent.log`, Rate: const0(AgentRate)},
			}},
			{Name: "explorer.exe", PID: 3120, Start: 2000, Class: sampler.ClassInbox, Files: []FileRate{
				{Path: `E:\Transfer\data.iso`, Rate: func(t time.Time) int64 {
					if in(t, copyFrom, copyTo) {
						return CopyRate
					}
					return 0
				}},
			}},
		},
	}
}
