package views

import (
	"cmp"
	"slices"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// SortKey is the column the process table is ordered by.
type SortKey int

// The sortable columns, in the order the sort key cycles through them.
const (
	SortWrite   SortKey = iota // write rate
	SortRead                   // read rate
	SortWritten                // cumulative bytes written
	SortPID
	SortName
	SortClass
	sortKeys // number of keys
)

// String names the key as the status line shows it.
func (k SortKey) String() string {
	return [...]string{"write/s", "read/s", "written", "PID", "name", "class"}[k]
}

// Next and Prev cycle through the keys.
func (k SortKey) Next() SortKey { return (k + 1) % sortKeys }

// Prev is the key before k, wrapping around.
func (k SortKey) Prev() SortKey { return (k + sortKeys - 1) % sortKeys }

// DefaultDesc says whether the key reads best highest first: rates and
// totals do, PIDs, names and classes read best ascending.
func (k SortKey) DefaultDesc() bool { return k <= SortWritten }

// SortProcesses orders rows in place by key; desc reverses it. Ties break by
// write rate (highest first) and then PID, so the order is stable from one
// frame to the next.
func SortProcesses(rows []sampler.ProcessRates, key SortKey, desc bool) {
	sortProcesses(rows, key, desc, false)
}

// SortProcessesByTotals is SortProcesses for rows from a first reading,
// which has no rates yet: the rate keys order by the matching totals
// (bytes written, bytes read), so the order still means something.
func SortProcessesByTotals(rows []sampler.ProcessRates, key SortKey, desc bool) {
	sortProcesses(rows, key, desc, true)
}

func sortProcesses(rows []sampler.ProcessRates, key SortKey, desc, totals bool) {
	slices.SortStableFunc(rows, func(a, b sampler.ProcessRates) int {
		c := 0
		switch {
		case totals && key == SortWrite:
			c = cmp.Compare(a.WriteTotal, b.WriteTotal)
		case totals && key == SortRead:
			c = cmp.Compare(a.ReadTotal, b.ReadTotal)
		case key == SortWrite:
			c = cmp.Compare(a.WriteRate, b.WriteRate)
		case key == SortRead:
			c = cmp.Compare(a.ReadRate, b.ReadRate)
		case key == SortWritten:
			c = cmp.Compare(a.WriteTotal, b.WriteTotal)
		case key == SortPID:
			c = cmp.Compare(a.Key.PID, b.Key.PID)
		case key == SortName:
			c = cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		case key == SortClass:
			c = cmp.Compare(a.Class.Class, b.Class.Class)
		}
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		if c = cmp.Compare(b.WriteRate, a.WriteRate); c != 0 {
			return c
		}
		return cmp.Compare(a.Key.PID, b.Key.PID)
	})
}

// FilterProcesses returns the rows whose image name contains substr,
// ignoring case. An empty substr keeps every row.
func FilterProcesses(rows []sampler.ProcessRates, substr string) []sampler.ProcessRates {
	return filterRows(rows, substr, func(r sampler.ProcessRates, lower string) bool {
		return containsLower(r.Name, lower)
	})
}
