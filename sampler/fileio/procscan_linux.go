//go:build linux

package fileio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// procInfo is what the unprivileged /proc backend counts and misses.
var procInfo = Info{
	Backend: "proc",
	Counts:  "file position moves between scans of /proc/PID/fdinfo (your own processes only)",
	Limits: "other users' processes hidden; pwrite/pread at offsets and mmap do not move the position; " +
		"files opened and closed between scans unseen; read-write files: moves past the old end count as writes, others as reads",
}

// fdID names one open fd of one process instance.
type fdID struct {
	pid   int32
	start int64
	fd    int
}

// fdState is what the previous scan saw behind one fd.
type fdState struct {
	mntID, ino uint64
	path       string
	counted    bool // regular file or block device
	flags      uint64
	pos        int64
	size       int64
	gen        uint64
}

// procScanner walks /proc/PID/fd and /proc/PID/fdinfo of every readable
// process and turns position changes into bytes.
type procScanner struct {
	root  string // "/proc"
	self  int32
	fds   map[fdID]*fdState
	gen   uint64
	first bool
	buf   []byte
	names map[int32]procName
}

type procName struct {
	start int64
	name  string
}

func newProcScanner(root string) *procScanner {
	return &procScanner{
		root:  root,
		self:  int32(os.Getpid()),
		fds:   make(map[fdID]*fdState),
		first: true,
		buf:   make([]byte, 4096),
		names: make(map[int32]procName),
	}
}

// scan adds one observation per (process, file) whose position moved since
// the previous scan and returns how many processes could not be read.
func (p *procScanner) scan(b *intervalBuilder) (hidden int, err error) {
	p.gen++
	d, err := os.Open(p.root)
	if err != nil {
		return 0, fmt.Errorf("scan %s: %w", p.root, err)
	}
	ents, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		return 0, fmt.Errorf("scan %s: %w", p.root, err)
	}
	clear(p.names)
	for _, e := range ents {
		pid64, err := strconv.ParseInt(e, 10, 32)
		if err != nil || int32(pid64) == p.self {
			continue
		}
		pid := int32(pid64)
		start, name, ok := p.stat(pid)
		if !ok {
			continue // exited
		}
		p.names[pid] = procName{start: start, name: name}
		if !p.scanProcess(b, pid, start, name) {
			hidden++
		}
	}
	for id, st := range p.fds {
		if st.gen != p.gen {
			delete(p.fds, id)
		}
	}
	p.first = false
	return hidden, nil
}

// scanProcess returns false when the process's fds could not be listed.
func (p *procScanner) scanProcess(b *intervalBuilder, pid int32, start int64, name string) bool {
	pidDir := p.root + "/" + strconv.Itoa(int(pid))
	d, err := os.Open(pidDir + "/fd")
	if err != nil {
		return !errors.Is(err, os.ErrPermission)
	}
	fds, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		return true
	}
	for _, f := range fds {
		fd, err := strconv.Atoi(f)
		if err != nil {
			continue
		}
		pos, flags, mntID, ino, ok := p.fdinfo(pidDir + "/fdinfo/" + f)
		if !ok {
			continue
		}
		id := fdID{pid: pid, start: start, fd: fd}
		st := p.fds[id]
		isNew := st == nil || st.mntID != mntID || st.ino != ino
		if isNew {
			st = &fdState{mntID: mntID, ino: ino, flags: flags, pos: pos}
			p.fds[id] = st
			link := pidDir + "/fd/" + f
			var sx unix.Stat_t
			if unix.Stat(link, &sx) == nil {
				mode := sx.Mode & unix.S_IFMT
				st.counted = mode == unix.S_IFREG || mode == unix.S_IFBLK
				st.size = sx.Size
			}
			if st.counted {
				st.path, _ = os.Readlink(link)
			}
		}
		st.gen = p.gen
		if !st.counted {
			continue
		}
		var delta int64
		switch {
		case isNew:
			// Opened since the previous scan: the position is what it moved
			// since opening, except for append-mode files, whose position
			// jumps to the end of the file on the first write.
			if !p.first && flags&unix.O_APPEND == 0 {
				delta = pos
			}
		case pos >= st.pos:
			delta = pos - st.pos
		}
		prevSize := st.size
		st.pos = pos
		if delta <= 0 {
			continue
		}
		a := FileActivity{Key: FileKey{Proc: sampler.ProcKey{PID: pid, Start: start}, Path: st.path}, Name: name}
		switch flags & unix.O_ACCMODE {
		case unix.O_WRONLY:
			a.WriteBytes = uint64(delta)
		case unix.O_RDONLY:
			a.ReadBytes = uint64(delta)
		default:
			var sx unix.Stat_t
			if unix.Stat(pidDir+"/fd/"+f, &sx) == nil {
				st.size = sx.Size
			}
			if isNew || st.size > prevSize {
				a.WriteBytes = uint64(delta)
			} else {
				a.ReadBytes = uint64(delta)
			}
		}
		b.add(a)
	}
	return true
}

// fdinfo reads pos, flags (octal), mnt_id and ino from one fdinfo file.
func (p *procScanner) fdinfo(path string) (pos int64, flags, mntID, ino uint64, ok bool) {
	n, err := readSmall(path, p.buf)
	if err != nil {
		return 0, 0, 0, 0, false
	}
	data := p.buf[:n]
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		k, v, found := bytes.Cut(line, []byte(":"))
		if !found {
			continue
		}
		v = bytes.TrimSpace(v)
		switch string(k) {
		case "pos":
			pos, _ = strconv.ParseInt(string(v), 10, 64)
		case "flags":
			flags, _ = strconv.ParseUint(string(v), 8, 64)
		case "mnt_id":
			mntID, _ = strconv.ParseUint(string(v), 10, 64)
		case "ino":
			ino, _ = strconv.ParseUint(string(v), 10, 64)
		}
	}
	return pos, flags, mntID, ino, true
}

// stat returns the start time (clock ticks since boot) and name from
// /proc/PID/stat.
func (p *procScanner) stat(pid int32) (start int64, name string, ok bool) {
	n, err := readSmall(p.root+"/"+strconv.Itoa(int(pid))+"/stat", p.buf)
	if err != nil {
		return 0, "", false
	}
	return parseStat(p.buf[:n])
}

// parseStat reads comm (field 2) and starttime (field 22) of a
// /proc/PID/stat line; comm may hold spaces and parentheses.
func parseStat(b []byte) (start int64, name string, ok bool) {
	open := bytes.IndexByte(b, '(')
	closeIdx := bytes.LastIndexByte(b, ')')
	if open < 0 || closeIdx < open {
		return 0, "", false
	}
	name = string(b[open+1 : closeIdx])
	fields := bytes.Fields(b[closeIdx+1:])
	// fields[0] is field 3 (state); starttime is field 22.
	if len(fields) < 20 {
		return 0, "", false
	}
	start, err := strconv.ParseInt(string(fields[19]), 10, 64)
	if err != nil {
		return 0, "", false
	}
	return start, name, true
}

// readSmall reads a small /proc file into buf without allocating.
func readSmall(path string, buf []byte) (int, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	total := 0
	for total < len(buf) {
		n, err := unix.Read(fd, buf[total:])
		if err != nil {
			if err == unix.EINTR {
				continue
			}
			return 0, err
		}
		if n == 0 {
			break
		}
		total += n
	}
	return total, nil
}

// procSource is the unprivileged backend: a procScanner per interval.
type procSource struct {
	clock sampler.Clock
	scan  *procScanner
	b     *intervalBuilder
	last  time.Time
	info  Info
	reads int
}

func (s *procSource) setAllFiles(all bool) { s.b.setAllFiles(all) }

func openProc(clock sampler.Clock, root string) (*procSource, error) {
	s := &procSource{clock: clock, scan: newProcScanner(root), b: newIntervalBuilder(), info: procInfo}
	if _, err := s.scan.scan(s.b); err != nil {
		return nil, err
	}
	s.b.finish(time.Time{}, 0)
	s.last = clock.Now()
	return s, nil
}

func (s *procSource) Info() Info   { return s.info }
func (s *procSource) Close() error { return nil }

func (s *procSource) Read(ctx context.Context) (Interval, error) {
	if err := ctx.Err(); err != nil {
		return Interval{}, err
	}
	hidden, err := s.scan.scan(s.b)
	if err != nil {
		return Interval{}, err
	}
	now := s.clock.Now()
	iv := s.b.finish(now, now.Sub(s.last))
	s.last = now
	iv.Hidden = hidden
	s.reads++
	if s.reads%30 == 0 {
		s.b.forget(s.scan.alive)
	}
	return iv, nil
}

// alive reports whether the last scan saw the process.
func (p *procScanner) alive(k sampler.ProcKey) bool {
	n, ok := p.names[k.PID]
	return ok && n.start == k.Start
}
