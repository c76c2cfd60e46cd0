package storage

import (
	"errors"
	"time"
)

// DiskStats is one disk's activity over the last interval.
type DiskStats struct {
	Name string // "sda", "loop3", "0 C:"
	// ActivePercent is the share of the interval the disk had at least one
	// request in flight (Linux: io_ticks; Windows: 100 - % Idle Time),
	// 0 to 100.
	ActivePercent float64
	// QueueLength is the average number of requests in flight over the
	// interval (Linux: weighted time in queue / interval, iostat's aqu-sz;
	// Windows: Avg. Disk Queue Length).
	QueueLength float64
	// InFlight is the number of requests in flight when read (Linux
	// diskstats field 9; Windows: Current Disk Queue Length).
	InFlight uint64
	// ReadBytesPerSec and WriteBytesPerSec are bytes per second.
	ReadBytesPerSec  float64
	WriteBytesPerSec float64
	// ReadIOPS and WriteIOPS are completed requests per second.
	ReadIOPS  float64
	WriteIOPS float64
	// ReadResponseMs and WriteResponseMs are the average time from the start
	// of each request (where diskstats starts timing) to its completion, for the requests completed in the interval, in
	// milliseconds (iostat's r_await and w_await; Windows: Avg. Disk
	// sec/Read and sec/Write). Meaningful only when ReadIOPS or WriteIOPS
	// is above zero; 0 otherwise.
	ReadResponseMs  float64
	WriteResponseMs float64
}

// ResponseMs is the average response time of all requests completed in
// the interval, reads and writes weighted by their count (iostat's
// await); 0 when none completed.
func (d DiskStats) ResponseMs() float64 {
	n := d.ReadIOPS + d.WriteIOPS
	if n <= 0 {
		return 0
	}
	return (d.ReadResponseMs*d.ReadIOPS + d.WriteResponseMs*d.WriteIOPS) / n
}

// Volume is one mounted filesystem and its space.
type Volume struct {
	Mount  string // "/", "/var", "C:\"
	Device string // "/dev/sda1", "\\?\Volume{...}" or the drive
	FSType string // "ext4", "xfs", "NTFS"
	// Total and Available are bytes: the filesystem's size and what an
	// unprivileged user may still write (statfs f_blocks and f_bavail
	// times f_frsize; Windows GetDiskFreeSpaceEx).
	Total     uint64
	Available uint64
}

// Stats is one reading of a Sampler.
type Stats struct {
	Time time.Time
	// Interval is the time the disk rates are over; 0 for the first
	// reading, which has no rates (Disks is then empty).
	Interval time.Duration
	Disks    []DiskStats
	Volumes  []Volume
	// Source names where the figures come from, for the screen:
	// "/proc/diskstats, statfs" or "PDH PhysicalDisk, GetDiskFreeSpaceEx".
	Source string
	// VolumeErr is why some or all volumes could not be read, or nil.
	VolumeErr error
}

// Sampler reads disk and volume statistics. Each Sample returns the rates
// since the previous one. A Sampler is not safe for concurrent use.
type Sampler interface {
	Sample(now time.Time) (Stats, error)
	Close() error
}

// ErrUnsupported is returned by New on an OS without a storage source.
var ErrUnsupported = errors.New("storage statistics are not available on this OS")
