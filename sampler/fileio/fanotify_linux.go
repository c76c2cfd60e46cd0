//go:build linux

package fileio

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// fanotifyInfo is what the root-without-BPF backend counts and misses.
var fanotifyInfo = Info{
	Backend: "fanotify+proc",
	Counts:  "file position moves between scans of /proc/PID/fdinfo; fanotify names files written between scans",
	Limits: "pwrite/pread at offsets and mmap do not move the position; files written and closed between scans " +
		"are listed with bytes unknown; reads of files closed between scans unseen",
	AllProcesses: true,
}

// pseudoFS are filesystem types with no files worth watching.
var pseudoFS = map[string]bool{
	"proc": true, "sysfs": true, "cgroup": true, "cgroup2": true, "devpts": true,
	"mqueue": true, "tracefs": true, "debugfs": true, "securityfs": true,
	"pstore": true, "bpf": true, "autofs": true, "fusectl": true, "configfs": true,
	"hugetlbfs": true, "binfmt_misc": true, "nsfs": true, "devtmpfs": true,
	"efivarfs": true, "rpc_pipefs": true, "selinuxfs": true,
}

// touched is one (process, file) fanotify reported modified.
type touched struct {
	pid  int32
	path string
}

// fanotifyWatcher collects the (process, file) pairs fanotify reports as
// modified or closed after writing.
type fanotifyWatcher struct {
	f      *os.File
	self   int32
	marked []string
	done   chan struct{}
	// marker is a file this process modifies to learn when the watcher has
	// read every event queued before that point (events arrive in order).
	marker  *os.File
	barrier chan struct{}

	mu      sync.Mutex
	pending map[touched]procName
	lost    uint64
}

// openFanotify starts watching every real filesystem mounted in this mount
// namespace. It needs CAP_SYS_ADMIN.
func openFanotify(mountinfo string) (*fanotifyWatcher, error) {
	fd, err := unix.FanotifyInit(unix.FAN_CLASS_NOTIF|unix.FAN_CLOEXEC|unix.FAN_NONBLOCK,
		unix.O_RDONLY|unix.O_LARGEFILE|unix.O_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("fanotify_init: %w", err)
	}
	w := &fanotifyWatcher{
		self:    int32(os.Getpid()),
		pending: make(map[touched]procName),
		done:    make(chan struct{}),
		barrier: make(chan struct{}, 1),
	}
	mounts, err := realMounts(mountinfo)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	mask := uint64(unix.FAN_MODIFY | unix.FAN_CLOSE_WRITE)
	var lastErr error
	for _, m := range mounts {
		err := unix.FanotifyMark(fd, unix.FAN_MARK_ADD|unix.FAN_MARK_FILESYSTEM, mask, unix.AT_FDCWD, m)
		if err != nil {
			err = unix.FanotifyMark(fd, unix.FAN_MARK_ADD|unix.FAN_MARK_MOUNT, mask, unix.AT_FDCWD, m)
		}
		if err != nil {
			lastErr = fmt.Errorf("fanotify mark %s: %w", m, err)
			continue
		}
		w.marked = append(w.marked, m)
	}
	if len(w.marked) == 0 {
		unix.Close(fd)
		if lastErr == nil {
			lastErr = errors.New("no filesystem to watch in " + mountinfo)
		}
		return nil, lastErr
	}
	w.f = os.NewFile(uintptr(fd), "fanotify")
	if m, err := os.CreateTemp("", "hvrdoctor-fanotify-*"); err == nil {
		w.marker = m
	}
	go w.run()
	return w, nil
}

// realMounts lists one mount point per filesystem (by device) that is not a
// pseudo filesystem.
func realMounts(mountinfo string) ([]string, error) {
	f, err := os.Open(mountinfo)
	if err != nil {
		return nil, fmt.Errorf("list mounts: %w", err)
	}
	defer f.Close()
	seen := make(map[string]bool)
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw
		pre, post, ok := strings.Cut(sc.Text(), " - ")
		if !ok {
			continue
		}
		pf, qf := strings.Fields(pre), strings.Fields(post)
		if len(pf) < 5 || len(qf) < 1 || pseudoFS[qf[0]] || seen[pf[2]] {
			continue
		}
		seen[pf[2]] = true
		out = append(out, unescapeMount(pf[4]))
	}
	return out, sc.Err()
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func (w *fanotifyWatcher) run() {
	defer close(w.done)
	buf := make([]byte, 64*1024)
	statBuf := make([]byte, 4096)
	const metaLen = int(unsafe.Sizeof(unix.FanotifyEventMetadata{}))
	for {
		n, err := w.f.Read(buf)
		if err != nil {
			return // closed
		}
		for off := 0; off+metaLen <= n; {
			m := (*unix.FanotifyEventMetadata)(unsafe.Pointer(&buf[off]))
			if m.Event_len < uint32(metaLen) {
				break
			}
			off += int(m.Event_len)
			if m.Mask&unix.FAN_Q_OVERFLOW != 0 {
				w.mu.Lock()
				w.lost++
				w.mu.Unlock()
			}
			if m.Fd < 0 {
				continue
			}
			path, _ := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(m.Fd)))
			unix.Close(int(m.Fd))
			if m.Pid == w.self {
				if w.marker != nil && path == w.marker.Name() {
					select {
					case w.barrier <- struct{}{}:
					default:
					}
				}
				continue
			}
			if path == "" {
				continue
			}
			k := touched{pid: m.Pid, path: path}
			w.mu.Lock()
			_, known := w.pending[k]
			w.mu.Unlock()
			if known {
				continue
			}
			var pn procName
			if sn, err := readSmall("/proc/"+strconv.Itoa(int(m.Pid))+"/stat", statBuf); err == nil {
				pn.start, pn.name, _ = parseStat(statBuf[:sn])
			}
			w.mu.Lock()
			w.pending[k] = pn
			w.mu.Unlock()
		}
	}
}

// sync waits (at most barrierWait) until the watcher has read the events
// queued before the call, by modifying the marker file and waiting for its
// event.
func (w *fanotifyWatcher) sync() {
	if w.marker == nil {
		return
	}
	select {
	case <-w.barrier:
	default:
	}
	if _, err := w.marker.WriteAt([]byte{1}, 0); err != nil {
		return
	}
	t := time.NewTimer(barrierWait)
	defer t.Stop()
	select {
	case <-w.barrier:
	case <-t.C:
	}
}

// barrierWait bounds how long Read waits for fanotify's queue to be read.
const barrierWait = 250 * time.Millisecond

// take returns and forgets the pairs seen since the previous take, and the
// number of queue overflows.
func (w *fanotifyWatcher) take() (map[touched]procName, uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	p, lost := w.pending, w.lost
	w.pending, w.lost = make(map[touched]procName), 0
	return p, lost
}

func (w *fanotifyWatcher) Close() error {
	err := w.f.Close()
	<-w.done
	if w.marker != nil {
		w.marker.Close()
		os.Remove(w.marker.Name())
	}
	return err
}

// fanotifySource is the root-without-BPF backend: the /proc scan for bytes,
// fanotify for the files written between scans.
type fanotifySource struct {
	*procSource
	w *fanotifyWatcher
}

func openFanotifySource(clock sampler.Clock) (*fanotifySource, error) {
	w, err := openFanotify("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	p, err := openProc(clock, "/proc")
	if err != nil {
		w.Close()
		return nil, err
	}
	p.info = fanotifyInfo
	w.sync()
	w.take() // events before the first scan belong to no interval
	return &fanotifySource{procSource: p, w: w}, nil
}

func (s *fanotifySource) Close() error { return s.w.Close() }

func (s *fanotifySource) Read(ctx context.Context) (Interval, error) {
	if err := ctx.Err(); err != nil {
		return Interval{}, err
	}
	s.w.sync()
	seen, lost := s.w.take()
	hidden, err := s.scan.scan(s.b)
	if err != nil {
		return Interval{}, err
	}
	for k, pn := range seen {
		key := FileKey{Proc: sampler.ProcKey{PID: k.pid, Start: pn.start}, Path: k.path}
		if _, counted := s.b.files[key]; counted {
			continue
		}
		// Written without moving the position (pwrite, mmap), or opened,
		// written and closed between scans: fanotify saw it, bytes unknown.
		s.b.add(FileActivity{Key: key, Name: pn.name, BytesUnknown: true})
	}
	now := s.clock.Now()
	iv := s.b.finish(now, now.Sub(s.last))
	s.last = now
	iv.Hidden = hidden
	iv.Dropped = lost
	s.reads++
	if s.reads%30 == 0 {
		s.b.forget(s.scan.alive)
	}
	return iv, nil
}
