package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// procfsSampler reads /proc/diskstats, /proc/self/mountinfo and statfs.
type procfsSampler struct {
	proc, sys string
	prev      map[string]DiskCounters
	prevTime  time.Time
}

// New returns the sampler for this OS: /proc and /sys on Linux.
func New() (Sampler, error) { return NewProcfs("/proc", "/sys"), nil }

// NewProcfs reads diskstats and self/mountinfo under proc and the list of
// whole block devices under sys/block.
func NewProcfs(proc, sys string) Sampler {
	return &procfsSampler{proc: proc, sys: sys}
}

func (s *procfsSampler) Close() error { return nil }

// Sample reads the counters and returns the rates since the previous call.
func (s *procfsSampler) Sample(now time.Time) (Stats, error) {
	st := Stats{Time: now, Source: "/proc/diskstats, statfs"}
	b, err := os.ReadFile(filepath.Join(s.proc, "diskstats"))
	if err != nil && !os.IsNotExist(err) {
		return st, fmt.Errorf("read %s: %w", filepath.Join(s.proc, "diskstats"), err)
	}
	cur := map[string]DiskCounters{}
	var order []string
	for _, c := range ParseDiskstats(b) {
		if !s.wholeDevice(c.Name) || (c.ReadIOs == 0 && c.WriteIOs == 0 && c.InFlight == 0) {
			continue // a partition, a detached loop device, or a device never used
		}
		cur[c.Name] = c
		order = append(order, c.Name)
	}
	// Loop devices (snaps, images) after the disks, so a short panel
	// shows the disks first.
	sort.SliceStable(order, func(i, j int) bool { return !isLoop(order[i]) && isLoop(order[j]) })
	if s.prev != nil && now.After(s.prevTime) {
		st.Interval = now.Sub(s.prevTime)
		for _, n := range order {
			if p, ok := s.prev[n]; ok {
				st.Disks = append(st.Disks, Delta(p, cur[n], st.Interval))
			}
		}
	}
	s.prev, s.prevTime = cur, now
	st.Volumes, st.VolumeErr = s.volumes()
	return st, nil
}

// wholeDevice reports whether name is a whole block device with media,
// not a partition: /sys/block lists only whole devices, and a size of 0
// sectors is a detached loop device or an empty drive. Without /sys every
// device is kept.
func (s *procfsSampler) wholeDevice(name string) bool {
	if _, err := os.Stat(filepath.Join(s.sys, "block")); err != nil {
		return true
	}
	b, err := os.ReadFile(filepath.Join(s.sys, "block", name, "size"))
	if err != nil {
		return false
	}
	return strings.TrimSpace(string(b)) != "0"
}

// volumes lists the block-device filesystems with their statfs space.
func (s *procfsSampler) volumes() ([]Volume, error) {
	path := filepath.Join(s.proc, "self", "mountinfo")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var out []Volume
	var firstErr error
	for _, m := range BlockMounts(ParseMountinfo(b)) {
		v := Volume{Mount: m.Point, Device: m.Source, FSType: m.FSType}
		total, avail, err := Statfs(m.Point)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		v.Total, v.Available = total, avail
		out = append(out, v)
	}
	return out, firstErr
}

// Statfs returns a filesystem's total and available bytes as df does:
// f_blocks and f_bavail times f_frsize.
func Statfs(path string) (total, available uint64, err error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return 0, 0, fmt.Errorf("statfs %s: %w", path, err)
	}
	bs := uint64(st.Frsize)
	if bs == 0 {
		bs = uint64(st.Bsize)
	}
	return st.Blocks * bs, st.Bavail * bs, nil
}

func isLoop(name string) bool { return strings.HasPrefix(name, "loop") }
