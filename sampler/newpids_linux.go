//go:build linux

package sampler

import (
	"bytes"
	"os"
	"slices"
	"strconv"

	"golang.org/x/sys/unix"
)

// Finding new processes without listing /proc.
//
// Listing /proc (getdents) is the largest cost of a snapshot above one pread
// per process. Exits need no listing: a kept /proc/PID/io descriptor fails
// once its process is gone. New processes do, unless the kernel says where
// they can be. It does, in two counters read each snapshot (one pread each):
//
//   - /proc/loadavg's last field is the last PID allocated in the reader's
//     PID namespace. PIDs are allocated cyclically upwards (the cursor skips
//     PIDs in use and wraps at pid_max), so while it did not wrap every PID
//     allocated since the last snapshot is in (last before, last now].
//   - /proc/stat's "processes" is the number of clone()s since boot (threads
//     too, every namespace): a bound on how many PIDs were allocated, which
//     tells that the cursor did not go a whole way round the PID space.
//
// When both allow it and the range is short, the source reads only the PIDs
// in that range that it does not know (most are threads, told apart by the
// Tgid line of /proc/PID/status, or processes that already exited); else it
// lists /proc. It lists /proc anyway every fullListEvery snapshots, so a
// case the counters could miss (clone()s failing after allocating a PID, a
// /proc of another namespace) costs at most that delay.

// maxNewPIDs is the longest range of new PIDs read one by one; a longer one
// (a busy machine starting threads) is cheaper to find by listing /proc.
const maxNewPIDs = 128

// fullListEvery is how many snapshots at most go between two listings of
// /proc.
const fullListEvery = 30

// pidCursor is what the source keeps to find new processes without a
// listing.
type pidCursor struct {
	checked  bool // the namespace check was made
	usable   bool // /proc is this process's PID namespace, loadavg and stat read
	loadFd   int  // kept /proc/loadavg, or -1
	statFd   int  // kept /proc/stat, or -1
	pidMax   int64
	last     int64 // last PID allocated, at the last snapshot; -1 unknown
	forks    uint64
	sinceAll int // snapshots since the last listing
	maxNew   int // maxNewPIDs; tests raise it
	listings int // listings of /proc made (for the benchmark)
}

// closeCursor closes the kept descriptors.
func (s *procfsSource) closeCursor() {
	if !s.cur.checked {
		return
	}
	for _, fd := range []*int{&s.cur.loadFd, &s.cur.statFd} {
		if *fd >= 0 {
			unix.Close(*fd)
			*fd = -1
		}
	}
	s.cur.last = -1
}

// initCursor opens /proc/loadavg and /proc/stat and checks that /proc is
// this process's PID namespace (loadavg's PID is the reader's namespace's):
// /proc/self must name this process.
func (s *procfsSource) initCursor() {
	c := &s.cur
	c.checked, c.last, c.loadFd, c.statFd = true, -1, -1, -1
	if c.maxNew == 0 {
		c.maxNew = maxNewPIDs
	}
	self, err := os.Readlink(s.root + "/self")
	if err != nil || self != strconv.Itoa(os.Getpid()) {
		return
	}
	if !s.readPIDMax() {
		return
	}
	if c.loadFd, err = unix.Open(s.root+"/loadavg", unix.O_RDONLY|unix.O_CLOEXEC, 0); err != nil {
		c.loadFd = -1
		return
	}
	if c.statFd, err = unix.Open(s.root+"/stat", unix.O_RDONLY|unix.O_CLOEXEC, 0); err != nil {
		s.closeCursor()
		return
	}
	c.usable = true
}

// readPIDMax reads /proc/sys/kernel/pid_max (an administrator may change
// it at run time: it is read again at each listing).
func (s *procfsSource) readPIDMax() bool {
	b, err := os.ReadFile(s.root + "/sys/kernel/pid_max")
	if err != nil {
		return false
	}
	v, err := strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64)
	if err != nil || v < 1024 {
		return false
	}
	s.cur.pidMax = v
	return true
}

// readCursor reads the clone count, then the last PID allocated (in that
// order: a clone between the two reads is counted twice, never missed) and
// the number of threads.
func (s *procfsSource) readCursor() (forks uint64, last, threads int64, ok bool) {
	b, err := s.preadAll(s.cur.statFd, 64<<10)
	if err != nil {
		return 0, 0, 0, false
	}
	i := bytes.Index(b, []byte("\nprocesses "))
	if i < 0 {
		return 0, 0, 0, false
	}
	line := b[i+len("\nprocesses "):]
	if j := bytes.IndexByte(line, '\n'); j >= 0 {
		line = line[:j]
	}
	if forks, ok = parseDec(line); !ok {
		return 0, 0, 0, false
	}
	// "0.50 0.40 0.30 2/150 12345\n"
	b, err = s.preadAll(s.cur.loadFd, 128)
	if err != nil {
		return 0, 0, 0, false
	}
	f := bytes.Fields(b)
	if len(f) != 5 {
		return 0, 0, 0, false
	}
	l, ok1 := parseDec(f[4])
	slash := bytes.IndexByte(f[3], '/')
	if slash < 0 {
		return 0, 0, 0, false
	}
	n, ok2 := parseDec(f[3][slash+1:])
	if !ok1 || !ok2 {
		return 0, 0, 0, false
	}
	return forks, int64(l), int64(n), true
}

// findPIDs sets s.pids to the PIDs to read in this snapshot: the last
// snapshot's plus the new ones in the allocated range when the counters
// allow it, else a listing of /proc.
func (s *procfsSource) findPIDs() error {
	if !s.cur.checked {
		s.initCursor()
	}
	c := &s.cur
	if !c.usable {
		return s.listPIDs()
	}
	forks, last, threads, ok := s.readCursor()
	prevLast, prevForks := c.last, c.forks
	c.last, c.forks = -1, forks
	if !ok {
		return s.listPIDs()
	}
	// The cursor went at most `forks-prevForks` steps of allocation; a
	// whole way round needs one per free PID. PIDs below 300 are only
	// given at boot.
	short := prevLast >= 0 && last >= prevLast && last-prevLast <= int64(c.maxNew) && forks >= prevForks &&
		int64(forks-prevForks)+threads+300 < c.pidMax
	if !short || c.sinceAll+1 >= fullListEvery {
		if err := s.listPIDs(); err != nil {
			return err
		}
		c.sinceAll = 0
		if s.readPIDMax() {
			c.last = last
		}
		return nil
	}
	c.sinceAll++
	known := len(s.pids)
	dropped := false
	for pid := prevLast + 1; pid <= last; pid++ {
		p := int32(pid)
		if i, found := slices.BinarySearch(s.pids[:known], p); found {
			// Allocated again, so the process known by this PID is gone.
			// A new process there is read afresh (its kept descriptor
			// fails); a thread is no process to read.
			if !s.isProcess(p) {
				s.pids[i], dropped = -1, true
			}
			continue
		}
		if s.isProcess(p) {
			s.pids = append(s.pids, p)
		}
	}
	if dropped {
		s.pids = slices.DeleteFunc(s.pids, func(p int32) bool { return p < 0 })
	}
	if !slices.IsSorted(s.pids) {
		slices.Sort(s.pids)
	}
	c.last = last
	return nil
}

// isProcess reports whether pid is a process (a thread group's leader), not
// another thread of one: /proc/PID exists for every thread, listed or not.
func (s *procfsSource) isProcess(pid int32) bool {
	b, err := s.readFile(s.procfd, pid, "status", 512)
	if err != nil {
		// Gone already (ENOENT, ESRCH); denied would be listed by /proc,
		// so it is read and counted as hidden.
		return isPermission(err)
	}
	i := bytes.Index(b, []byte("\nTgid:\t"))
	if i < 0 {
		return false
	}
	line := b[i+len("\nTgid:\t"):]
	if j := bytes.IndexByte(line, '\n'); j >= 0 {
		line = line[:j]
	}
	tgid, ok := parseDec(line)
	return ok && tgid == uint64(pid)
}

// keepPIDs keeps in s.pids the PIDs the next snapshot reads again without a
// listing: those read (ok) and those refused (counted as hidden each time).
func (s *procfsSource) keepPIDs(kept func(i int) bool) {
	n := 0
	for i, pid := range s.pids {
		if kept(i) {
			s.pids[n] = pid
			n++
		}
	}
	s.pids = s.pids[:n]
}
