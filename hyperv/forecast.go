package hyperv

import (
	"fmt"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/internal/resync"
)

// ResyncShare is the documented trigger of a forced resynchronization
// (resync.Share: the change log exceeding 50% of the total virtual disk
// size).
const ResyncShare = resync.Share

// NearShare is how close to the trigger counts as near: 80% of the way.
const NearShare = 0.8

// Forecast says how close a VM's change log is to forcing a
// resynchronization, and how long until it would at the current write
// rate, with the basis of each figure.
type Forecast struct {
	DiskBytes      int64 // total virtual size of the VM's disks (Get-VHD Size)
	ThresholdBytes int64 // ResyncShare of DiskBytes
	PendingBytes   int64 // Measure-VMReplication PendingReplicationSize
	// PercentOfThreshold is PendingBytes as a percentage of ThresholdBytes.
	PercentOfThreshold float64
	// RateBytesPerSec is the VM's disk write rate (0 when unknown) and
	// RateBasis where it comes from.
	RateBytesPerSec float64
	RateBasis       string
	// Until is the time until the threshold at that rate if nothing is
	// sent; HasUntil is false without a rate.
	Until    time.Duration
	HasUntil bool
	// Near is true at NearShare of the threshold or with less than a day
	// to go.
	Near bool
	// Basis states what the forecast rests on, in one sentence.
	Basis string
}

// forecastFor computes v's forecast; nil without a pending size or disk
// sizes.
func forecastFor(v *VM, counters []Series, disks []Disk) *Forecast {
	if v.Stats == nil || !v.Stats.HasPending || v.DiskBytes <= 0 || v.Relationship != "primary" {
		return nil
	}
	f := &Forecast{DiskBytes: v.DiskBytes, ThresholdBytes: resync.Threshold(v.DiskBytes), PendingBytes: v.Stats.PendingReplicationSize}
	f.PercentOfThreshold = 100 * float64(f.PendingBytes) / float64(f.ThresholdBytes)
	f.RateBytesPerSec, f.RateBasis = writeRate(v.Name, counters, disks)
	f.Basis = "Pending replication size (Measure-VMReplication) taken as the size of the change log not yet sent, against 50% of the " +
		"disks' total virtual size (Get-VHD), the documented trigger of a forced resynchronization"
	if f.Until, f.HasUntil = resync.Until(f.DiskBytes, f.PendingBytes, f.RateBytesPerSec); f.HasUntil {
		f.Basis += "; time at " + f.RateBasis + ", if replication sends nothing meanwhile"
	} else if hasDiskWriteCounters(counters) {
		f.Basis += "; the saved Hyper-V Virtual Storage Device counters name none of this VM's disks (by path, or by a file name no other VM's disk has) so no time is given"
	} else {
		f.Basis += "; no write rate in the files (save the Hyper-V Virtual Storage Device counters) so no time is given"
	}
	f.Basis += "."
	f.Near = f.PercentOfThreshold >= 100*NearShare || (f.HasUntil && f.Until < 24*time.Hour)
	return f
}

// writeRate averages "\Hyper-V Virtual Storage Device(*)\Write Bytes/sec"
// over the VM's disks. The counter's instance naming is not in
// hvrdoctor's sources (saved counters show the disk's path with \ as -),
// so a disk is matched to the instance that spells its whole path, else
// to the one instance that ends with its file name, when no other VM's
// disk of that file name could be that instance (two VMs' os.vhdx stay
// apart); a disk matched to no instance is left out.
func writeRate(vm string, counters []Series, disks []Disk) (float64, string) {
	var total float64
	n, samples := 0, 0
	for _, d := range disks {
		if !strings.EqualFold(d.VMName, vm) || d.Path == "" {
			continue
		}
		s := diskSeries(d, counters, disks)
		if s == nil {
			continue
		}
		var sum float64
		for _, p := range s.Points {
			sum += p.V
		}
		total += sum / float64(len(s.Points))
		samples += len(s.Points)
		n++
	}
	if n == 0 {
		return 0, ""
	}
	return total, fmt.Sprintf("the average write rate of %s over %s (Hyper-V Virtual Storage Device, Write Bytes/sec)", count(n, "disk", "disks"), count(samples, "counter sample", "counter samples"))
}

// diskSeries is the Write Bytes/sec series of disk d, or nil (see writeRate).
func diskSeries(d Disk, counters []Series, disks []Disk) *Series {
	var byName []*Series
	for i := range counters {
		s := &counters[i]
		if !strings.EqualFold(s.Object, "Hyper-V Virtual Storage Device") || !strings.EqualFold(s.Counter, "Write Bytes/sec") || len(s.Points) == 0 {
			continue
		}
		if squash(s.Instance) == squash(d.Path) {
			return s
		}
		if endsWithFile(s.Instance, d.Path) {
			byName = append(byName, s)
		}
	}
	if len(byName) != 1 {
		return nil
	}
	for _, o := range disks {
		if !strings.EqualFold(o.VMName, d.VMName) && endsWithFile(byName[0].Instance, o.Path) {
			return nil
		}
	}
	return byName[0]
}

// endsWithFile reports whether a counter instance ends with the file name
// of path (letters and digits compared), at a separator.
func endsWithFile(instance, path string) bool {
	file := strings.ToLower(path[strings.LastIndexAny(path, `\/`)+1:])
	inst := strings.ToLower(strings.TrimSpace(instance))
	if file == "" || !strings.HasSuffix(inst, file) {
		return false
	}
	rest := inst[:len(inst)-len(file)]
	return rest == "" || strings.ContainsAny(rest[len(rest)-1:], `-\/: _`)
}

// hasDiskWriteCounters reports whether any Write Bytes/sec series of the
// Hyper-V Virtual Storage Device object was saved.
func hasDiskWriteCounters(counters []Series) bool {
	for _, s := range counters {
		if strings.EqualFold(s.Object, "Hyper-V Virtual Storage Device") && strings.EqualFold(s.Counter, "Write Bytes/sec") && len(s.Points) > 0 {
			return true
		}
	}
	return false
}

// squash lower-cases s and keeps only letters and digits.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
