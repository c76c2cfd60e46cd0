//go:build linux

package sampler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"slices"
	"strconv"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/hvrdoctor/hvrdoctor/internal/textsafe"
)

// procfsSource reads /proc directly, into buffers reused across snapshots.
// Each snapshot lists /proc with getdents. A process seen for the first time
// costs one read of /proc/PID/stat (name, start time), cmdline and the owner
// of /proc/PID; its /proc/PID/io and /proc/PID/comm are then kept open and
// re-read with pread at offset 0, which regenerates their contents. That is
// two system calls per process per sample instead of six, and no path walk.
//
// A kept descriptor is bound to the process it was opened for, not to the
// PID: once that process exits, reads fail with ESRCH, so PID reuse is
// detected without re-reading the start time (the descriptors are closed
// and the new process is opened afresh). A process that exec()s another
// program keeps its PID and start time: its comm is re-read (through a
// second kept descriptor) whenever its syscall counters moved, and its
// command line when comm changed. When the open-file limit leaves no
// room, processes are read the slow way (open, read, close each file).
//
// Disks come from /proc/diskstats (sectors of 512 bytes). Only whole disks
// that reach the VM's virtual hardware are listed: partitions (a name that
// is another device's name plus digits, or plus "p" and digits: sda1,
// nvme0n1p2) would count the same bytes twice, and so would stacked devices
// (dm-*, md*), while loop, ram, zram, nbd, sr (optical) and fd devices do
// not write to a virtual disk of their own (a loop device's writes reach the
// disk through its backing file). What is left (sda, vda, nvme0n1, xvda) is
// what Hyper-V Replica sees as VHDX writes.
type procfsSource struct {
	mu    sync.Mutex
	clock Clock
	root  string // "/proc"; tests may point elsewhere
	euid  int

	dents []byte
	path  []byte
	buf   []byte
	pids  []int32

	procfd  int // /proc, kept open
	entries map[int32]*pidEntry
	gen     uint64
	users   map[uint32]string
	fdRoom  int // how many more descriptors we may keep open

	disks     map[string]*diskMeta
	diskNames []string // the last listing, for the partition rule

	// vanished are the PIDs whose process went away during this snapshot;
	// their children were reparented and have their PPID read again.
	vanished []int32

	// cur finds new processes without listing /proc (newpids_linux.go);
	// keep marks, per index of pids, the PIDs to read again next time.
	cur  pidCursor
	keep []bool
	// nextIdx is the index in the snapshot of the process being read.
	nextIdx int
}

// pidEntry is what the source keeps about the process behind one PID.
type pidEntry struct {
	key     ProcKey
	comm    string // as last read, to notice renames
	name    string
	cmdline string
	user    string
	ppid    int32
	kthread bool
	gen     uint64
	idx     int // index in the snapshot being built
	ioFd    int // kept /proc/PID/io, or -1
	commFd  int // kept /proc/PID/comm once the process was active, or -1
	// rchar and wchar as last read: a change means the process is active
	// and its comm is checked.
	rchar, wchar uint64
	// writeBytes as last read, and inherited: the part of it that is not
	// its live threads' own (reaped children's and exited threads'),
	// measured when writeBytes moves.
	writeBytes, inherited uint64
}

type diskMeta struct {
	name    string
	include bool
}

// NewLiveSource returns the source for this machine: direct /proc reads on
// Linux, gopsutil elsewhere.
func NewLiveSource() Source {
	return newProcfsSource("/proc")
}

func newProcfsSource(root string) *procfsSource {
	room := 0
	var lim unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &lim) == nil && lim.Cur < 1<<30 {
		// Leave a margin for the rest of the program (files, sockets).
		room = int(lim.Cur)/2 - 256
	}
	return &procfsSource{
		clock:   SystemClock{},
		root:    root,
		euid:    os.Geteuid(),
		procfd:  -1,
		dents:   make([]byte, 32<<10),
		path:    make([]byte, 0, 64),
		buf:     make([]byte, 4096),
		entries: make(map[int32]*pidEntry),
		users:   make(map[uint32]string),
		disks:   make(map[string]*diskMeta),
		fdRoom:  room,
	}
}

// Close releases the descriptors the source keeps open.
func (s *procfsSource) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for pid, e := range s.entries {
		s.dropEntry(pid, e)
	}
	if s.procfd >= 0 {
		unix.Close(s.procfd)
		s.procfd = -1
	}
	s.closeCursor()
	s.cur.checked, s.cur.usable = false, false
	return nil
}

func (s *procfsSource) dropEntry(pid int32, e *pidEntry) {
	for _, fd := range []int{e.ioFd, e.commFd} {
		if fd >= 0 {
			unix.Close(fd)
			s.fdRoom++
		}
	}
	e.ioFd, e.commFd = -1, -1
	delete(s.entries, pid)
}

// SetClock sets the clock that timestamps snapshots.
func (s *procfsSource) SetClock(c Clock) {
	s.mu.Lock()
	s.clock = c
	s.mu.Unlock()
}

// Info describes the counters.
func (s *procfsSource) Info() SourceInfo {
	info := SourceInfo{
		Name:                   "procfs",
		WriteLabel:             "storage writes, net of cancelled",
		Privileged:             s.euid == 0,
		ReapedChildrenInParent: true,
		CancelledWrites:        true,
	}
	if !info.Privileged {
		info.Note = "other users' processes are hidden: run as root to see them"
	}
	return info
}

// Snapshot reads every process and disk.
func (s *procfsSource) Snapshot(ctx context.Context) (Snapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return Snapshot{}, err
	}
	start := s.clock.Now()
	if s.procfd < 0 {
		fd, err := unix.Open(s.root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return Snapshot{}, fmt.Errorf("open %s: %w", s.root, err)
		}
		s.procfd = fd
	}
	if err := s.findPIDs(); err != nil {
		return Snapshot{}, err
	}

	s.gen++
	s.vanished = s.vanished[:0]
	snap := Snapshot{Processes: make([]ProcessCounters, 0, len(s.pids))}
	s.keep = slices.Grow(s.keep[:0], len(s.pids))[:len(s.pids)]
	for i, pid := range s.pids {
		if i&255 == 255 && ctx.Err() != nil {
			s.cur.last = -1 // the PIDs not read yet must be listed again
			return Snapshot{}, ctx.Err()
		}
		s.nextIdx = len(snap.Processes)
		pc, denied, ok := s.readProcess(s.procfd, pid)
		s.keep[i] = ok || denied
		if denied {
			// Without privilege, root could read it; as root, nothing
			// more can (PID 1 of a container, for one, refuses its io).
			if s.euid == 0 {
				snap.Unreadable++
			} else {
				snap.Hidden++
			}
		}
		if ok {
			snap.Processes = append(snap.Processes, pc)
		}
	}
	for pid, e := range s.entries {
		if e.gen != s.gen {
			s.vanished = append(s.vanished, pid)
			s.dropEntry(pid, e)
		}
	}
	if len(s.vanished) > 0 {
		s.rereadOrphans(s.procfd, &snap)
	}
	s.keepPIDs(func(i int) bool { return s.keep[i] })
	disks, err := s.readDisks()
	if err != nil {
		return Snapshot{}, err
	}
	snap.Disks = disks
	end := s.clock.Now()
	snap.Time = start.Add(end.Sub(start) / 2)
	return snap, nil
}

// listPIDs fills s.pids from the numeric entries of /proc.
func (s *procfsSource) listPIDs() error {
	fd := s.procfd
	s.cur.listings++
	if _, err := unix.Seek(fd, 0, 0); err != nil {
		return fmt.Errorf("rewind %s: %w", s.root, err)
	}
	s.pids = s.pids[:0]
	for {
		n, err := unix.Getdents(fd, s.dents)
		if err != nil {
			return fmt.Errorf("read %s: %w", s.root, err)
		}
		if n <= 0 {
			return nil
		}
		b := s.dents[:n]
		for len(b) >= 19 {
			reclen := int(b[16]) | int(b[17])<<8
			if reclen <= 19 || reclen > len(b) {
				break
			}
			name := b[19:reclen]
			if pid, ok := parsePID(name); ok {
				s.pids = append(s.pids, pid)
			}
			b = b[reclen:]
		}
	}
}

// openAt opens "<pid>/<file>" under procfd for reading, without
// allocating.
func (s *procfsSource) openAt(procfd int, pid int32, file string) (int, error) {
	p := strconv.AppendInt(s.path[:0], int64(pid), 10)
	p = append(p, '/')
	p = append(p, file...)
	p = append(p, 0)
	s.path = p
	fd, _, errno := unix.Syscall6(unix.SYS_OPENAT, uintptr(procfd), uintptr(unsafe.Pointer(&p[0])), unix.O_RDONLY|unix.O_CLOEXEC, 0, 0, 0)
	if errno != 0 {
		return -1, errno
	}
	return int(fd), nil
}

// pread is unix.Pread; tests count the calls.
var pread = unix.Pread

// preadAll reads fd from offset 0 into s.buf (up to max bytes). For proc
// files a read at offset 0 regenerates the contents. A read that returns
// less than asked is the end of the file (proc files are generated whole
// at the first read), so the usual file costs one pread, not a second one
// to see the end. The result is valid until the next read.
func (s *procfsSource) preadAll(fd, max int) ([]byte, error) {
	if max > len(s.buf) {
		s.buf = make([]byte, max)
	}
	total := 0
	for total < max {
		n, err := pread(fd, s.buf[total:max], int64(total))
		if err != nil {
			if err == unix.EINTR {
				continue
			}
			return nil, err
		}
		total += n
		if n == 0 || total < max {
			break
		}
	}
	return s.buf[:total], nil
}

// readFile reads "<pid>/<file>" under procfd (open, read, close).
func (s *procfsSource) readFile(procfd int, pid int32, file string, max int) ([]byte, error) {
	fd, err := s.openAt(procfd, pid, file)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	return s.preadAll(fd, max)
}

func isPermission(err error) bool {
	return errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM)
}

func (e *pidEntry) counters(c ioCounters) ProcessCounters {
	return ProcessCounters{
		Key:                 e.key,
		Name:                e.name,
		Cmdline:             textsafe.Clean(e.cmdline),
		User:                e.user,
		WriteBytes:          c.writeBytes,
		InheritedWriteBytes: e.inherited,
		CancelledWriteBytes: c.cancelledWriteBytes,
		ReadBytes:           c.readBytes,
		LogicalWriteBytes:   c.wchar,
		LogicalReadBytes:    c.rchar,
		PPID:                e.ppid,
		KernelThread:        e.kthread,
	}
}

// rereadOrphans reads the PPID again of the processes whose parent
// vanished during this snapshot: the kernel reparented them (to init or a
// subreaper), and a kept descriptor does not show that. It costs one stat
// read per orphan, only in snapshots where processes exited.
func (s *procfsSource) rereadOrphans(procfd int, snap *Snapshot) {
	for pid, e := range s.entries {
		if e.gen != s.gen || !containsPID(s.vanished, e.ppid) {
			continue
		}
		b, err := s.readFile(procfd, pid, "stat", 1024)
		if err != nil {
			continue // gone as well: the next snapshot drops it
		}
		st, ok := parseStat(b)
		if !ok || st.start != e.key.Start {
			continue
		}
		e.ppid = st.ppid
		if e.idx < len(snap.Processes) && snap.Processes[e.idx].Key == e.key {
			snap.Processes[e.idx].PPID = st.ppid
		}
	}
}

func containsPID(pids []int32, pid int32) bool {
	for _, p := range pids {
		if p == pid {
			return true
		}
	}
	return false
}

// readProcess reads one PID. denied is true when the process exists but
// reading its counters was refused (permission); ok is false when it is
// denied or gone.
func (s *procfsSource) readProcess(procfd int, pid int32) (pc ProcessCounters, denied, ok bool) {
	e := s.entries[pid]
	if e != nil && e.ioFd >= 0 {
		// Fast path: the kept descriptors.
		io, err := s.preadAll(e.ioFd, 512)
		if err == nil && len(io) > 0 {
			c := parseIO(io)
			// comm can only change through exec() or prctl(), and exec()
			// reads the new program (rchar grows), so comm is re-read
			// only for processes whose syscall counters moved.
			if c.rchar != e.rchar || c.wchar != e.wchar {
				s.checkComm(procfd, pid, e)
			}
			e.rchar, e.wchar = c.rchar, c.wchar
			s.checkInherited(procfd, pid, e, c.writeBytes)
			e.gen, e.idx = s.gen, s.nextIdx
			return e.counters(c), false, true
		}
		// The process these were opened for is gone (ESRCH); the PID may
		// already belong to another one.
		s.vanished = append(s.vanished, pid)
		s.dropEntry(pid, e)
		e = nil
	}

	// Keep descriptors when there is room. io is opened before stat is
	// read, so if io still reads afterwards, stat described the same
	// process.
	ioFd := -1
	if s.fdRoom >= 1 {
		fd, err := s.openAt(procfd, pid, "io")
		if err != nil {
			return pc, isPermission(err), false
		}
		ioFd = fd
	}
	closeKept := func() {
		if ioFd >= 0 {
			unix.Close(ioFd)
			ioFd = -1
		}
	}

	stat, err := s.readFile(procfd, pid, "stat", 1024)
	if err != nil {
		closeKept()
		return pc, isPermission(err), false
	}
	st, good := parseStat(stat)
	if !good {
		closeKept()
		return pc, false, false
	}
	comm := st.comm
	key := ProcKey{PID: pid, Start: st.start}
	if e != nil && e.key != key {
		s.dropEntry(pid, e)
		e = nil
	}
	if e == nil {
		e = &pidEntry{key: key, comm: string(comm), ppid: st.ppid, kthread: st.flags&pfKthread != 0, ioFd: -1, commFd: -1}
		s.fillMeta(procfd, pid, e, ioFd)
		e.name = textsafe.Clean(imageName(e.comm, e.cmdline))
		s.entries[pid] = e
	} else {
		e.ppid = st.ppid
		if string(comm) != e.comm {
			s.renamed(procfd, pid, e, string(comm))
		}
	}
	e.gen, e.idx = s.gen, s.nextIdx

	var io []byte
	if ioFd >= 0 {
		io, err = s.preadAll(ioFd, 512)
	} else {
		io, err = s.readFile(procfd, pid, "io", 512)
	}
	if err != nil || len(io) == 0 {
		closeKept()
		// Permission denied is a hidden process; anything else (ENOENT,
		// ESRCH, empty read) means it exited while we read it.
		return pc, err != nil && isPermission(err), false
	}
	c := parseIO(io)
	e.rchar, e.wchar = c.rchar, c.wchar
	s.checkInherited(procfd, pid, e, c.writeBytes)
	if ioFd >= 0 {
		e.ioFd = ioFd
		s.fdRoom--
	}
	return e.counters(c), false, true
}

// maxThreadsForInherited bounds the threads read to split a process's
// write_bytes into its own and its exited children's: a process with more
// keeps its last figure.
const maxThreadsForInherited = 64

// checkInherited measures, when a process's write_bytes moved, how much of
// it is not its live threads' own: the kernel adds a reaped child's (and an
// exited thread's) counters to the process's, while /proc/PID/task/TID/io
// shows each live thread's own. One directory listing and one read per
// thread, only for processes whose write_bytes moved.
func (s *procfsSource) checkInherited(procfd int, pid int32, e *pidEntry, writeBytes uint64) {
	if writeBytes == e.writeBytes {
		return
	}
	e.writeBytes = writeBytes
	dfd, err := s.openAt(procfd, pid, "task")
	if err != nil {
		return
	}
	defer unix.Close(dfd)
	n, err := unix.Getdents(dfd, s.dents)
	if err != nil || n <= 0 || n == len(s.dents) {
		return
	}
	var tids [maxThreadsForInherited]int32
	threads := 0
	for off := 0; off < n; {
		reclen := int(*(*uint16)(unsafe.Pointer(&s.dents[off+16])))
		name := s.dents[off+19 : off+reclen]
		off += reclen
		if i := bytes.IndexByte(name, 0); i >= 0 {
			name = name[:i]
		}
		tid, ok := parsePID(name)
		if !ok {
			continue
		}
		if threads == maxThreadsForInherited {
			return // too many threads to read each sample
		}
		tids[threads] = tid
		threads++
	}
	var own uint64
	for _, tid := range tids[:threads] {
		p := strconv.AppendInt(append(s.path[:0], "task/"...), int64(tid), 10)
		b, err := s.readFile(procfd, pid, string(p)+"/io", 512)
		if err != nil {
			return // a thread went away meanwhile: measure next time
		}
		own += parseIO(b).writeBytes
	}
	e.inherited = sub0(writeBytes, own)
}

// checkComm re-reads the comm of an active process, through a descriptor
// kept from its first activity on when there is room.
func (s *procfsSource) checkComm(procfd int, pid int32, e *pidEntry) {
	if e.commFd < 0 && s.fdRoom >= 1 {
		if fd, err := s.openAt(procfd, pid, "comm"); err == nil {
			e.commFd = fd
			s.fdRoom--
		}
	}
	var comm []byte
	var err error
	if e.commFd >= 0 {
		comm, err = s.preadAll(e.commFd, 64)
	} else {
		comm, err = s.readFile(procfd, pid, "comm", 64)
	}
	if err != nil || len(comm) == 0 {
		return
	}
	comm = bytes.TrimRight(comm, "\n")
	if string(comm) != e.comm {
		s.renamed(procfd, pid, e, string(comm))
	}
}

// renamed handles a new comm for a known process: it exec()ed another
// program, so its command line is read again.
func (s *procfsSource) renamed(procfd int, pid int32, e *pidEntry, comm string) {
	e.comm = comm
	if b, err := s.readFile(procfd, pid, "cmdline", 4096); err == nil {
		e.cmdline = cmdlineString(b)
	}
	e.name = textsafe.Clean(imageName(comm, e.cmdline))
}

// fillMeta reads the command line and owner of a new process instance.
// The owner is that of the process's proc files: from the kept io
// descriptor when there is one (no path walk), else from /proc/PID.
func (s *procfsSource) fillMeta(procfd int, pid int32, e *pidEntry, ioFd int) {
	if b, err := s.readFile(procfd, pid, "cmdline", 4096); err == nil {
		e.cmdline = cmdlineString(b)
	}
	var st unix.Stat_t
	var err error
	if ioFd >= 0 {
		err = unix.Fstat(ioFd, &st)
	} else {
		err = unix.Fstatat(procfd, strconv.Itoa(int(pid)), &st, 0)
	}
	if err == nil {
		e.user = s.userName(st.Uid)
	}
}

// userName maps a uid to a login name, cached; the number when unknown.
func (s *procfsSource) userName(uid uint32) string {
	if n, ok := s.users[uid]; ok {
		return n
	}
	id := strconv.FormatUint(uint64(uid), 10)
	n := id
	if u, err := user.LookupId(id); err == nil {
		n = u.Username
	}
	s.users[uid] = n
	return n
}

// readDisks reads /proc/diskstats and keeps the whole physical disks.
func (s *procfsSource) readDisks() ([]DiskCounters, error) {
	fd, err := unix.Open(s.root+"/diskstats", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, unix.ENOENT) {
			return nil, nil // no block layer (some containers)
		}
		return nil, fmt.Errorf("open %s/diskstats: %w", s.root, err)
	}
	defer unix.Close(fd)
	total := 0
	for {
		if total == len(s.buf) {
			s.buf = append(s.buf, make([]byte, len(s.buf))...)
		}
		n, err := unix.Read(fd, s.buf[total:])
		if err != nil {
			if err == unix.EINTR {
				continue
			}
			return nil, fmt.Errorf("read %s/diskstats: %w", s.root, err)
		}
		if n == 0 {
			break
		}
		total += n
	}
	return s.parseDiskstats(s.buf[:total]), nil
}

// parseDiskstats turns /proc/diskstats into counters of the disks
// includeDisk keeps.
func (s *procfsSource) parseDiskstats(b []byte) []DiskCounters {
	type row struct {
		name          []byte
		read, written uint64
		times         DiskCounters // the request and time counters, from 14 fields
	}
	var rows [64]row
	list := rows[:0]
	changed := false
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		var f [14][]byte
		nf := 0
		for _, w := range bytes.Fields(line) {
			if nf == len(f) {
				break
			}
			f[nf] = w
			nf++
		}
		if nf < 10 {
			continue
		}
		r := row{name: f[2], read: parseUint(f[5]) * 512, written: parseUint(f[9]) * 512}
		if nf == len(f) {
			r.times = DiskCounters{HasTimes: true, ReadIOs: parseUint(f[3]), ReadTicks: parseUint(f[6]),
				WriteIOs: parseUint(f[7]), WriteTicks: parseUint(f[10]), IOTicks: parseUint(f[12]), Weighted: parseUint(f[13])}
		}
		list = append(list, r)
		if _, ok := s.disks[string(r.name)]; !ok {
			changed = true
		}
	}
	if changed || len(list) != len(s.diskNames) {
		names := make([]string, len(list))
		for i, r := range list {
			names[i] = string(r.name)
		}
		s.diskNames = names
		s.disks = make(map[string]*diskMeta, len(names))
		for _, n := range names {
			s.disks[n] = &diskMeta{name: n, include: includeDisk(n, names)}
		}
	}
	var out []DiskCounters
	for _, r := range list {
		m := s.disks[string(r.name)]
		if m == nil || !m.include {
			continue
		}
		c := r.times
		c.Name, c.WriteBytes, c.ReadBytes = m.name, r.written, r.read
		out = append(out, c)
	}
	return out
}
