//go:build linux && (amd64 || arm64)

package fileio

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// ebpfInfo is what the eBPF backend counts and misses.
var ebpfInfo = Info{
	Backend:      "ebpf",
	Counts:       "bytes returned by write/pwrite64/writev/pwritev(2) and read/pread64/readv/preadv(2) on regular files and block devices (page-cache bytes, not storage writes)",
	Limits:       "mmap writes, io_uring, sendfile/splice/copy_file_range and 32-bit compat processes not seen",
	AllProcesses: true,
}

// swapGrace is how long Read waits after switching the kernel to the other
// counts map before draining the old one, so a program that picked the old
// map just before the switch finishes its update first.
const swapGrace = 2 * time.Millisecond

// userHZ converts the kernel's start_boottime (ns) to /proc/PID/stat's
// starttime unit (clock ticks), which sampler.ProcKey.Start uses on Linux.
const nsPerTick = 1e9 / 100

type ebpfSource struct {
	clock   sampler.Clock
	objs    bpfObjects
	tp      link.Link
	slot    uint32
	last    time.Time
	dropped uint64
	reads   int
	b       *intervalBuilder
	keys    []bpfFileKey
	vals    []bpfFileCounts
	info    Info
}

// openEBPF loads the counting program and attaches it to the sys_exit raw
// tracepoint. RLIMIT_MEMLOCK is not raised: kernels since 5.11 account BPF
// memory to the cgroup instead.
func openEBPF(clock sampler.Clock) (*ebpfSource, error) {
	s := &ebpfSource{
		clock: clock,
		b:     newIntervalBuilder(),
		keys:  make([]bpfFileKey, 512),
		vals:  make([]bpfFileCounts, 512),
		info:  ebpfInfo,
	}
	if err := loadBpfObjects(&s.objs, nil); err != nil {
		var ve *ebpf.VerifierError
		if errors.As(err, &ve) {
			return nil, fmt.Errorf("load eBPF file counter: verifier rejected it: %v", ve)
		}
		return nil, fmt.Errorf("load eBPF file counter: %w", err)
	}
	if err := s.objs.Ctl.Put(uint32(0), uint32(0)); err != nil {
		s.objs.Close()
		return nil, fmt.Errorf("init eBPF file counter: %w", err)
	}
	tp, err := link.AttachRawTracepoint(link.RawTracepointOptions{Name: "sys_exit", Program: s.objs.CountFileIo})
	if err != nil {
		s.objs.Close()
		return nil, fmt.Errorf("attach eBPF file counter to raw tracepoint sys_exit: %w", err)
	}
	s.tp = tp
	s.last = clock.Now()
	return s, nil
}

func (s *ebpfSource) Info() Info { return s.info }

func (s *ebpfSource) Close() error {
	var errs []error
	if s.tp != nil {
		errs = append(errs, s.tp.Close())
		s.tp = nil
	}
	errs = append(errs, s.objs.Close())
	return errors.Join(errs...)
}

// Read switches the kernel to the other counts map, drains the one it
// filled since the previous Read and names each file.
func (s *ebpfSource) Read(ctx context.Context) (Interval, error) {
	if err := ctx.Err(); err != nil {
		return Interval{}, err
	}
	old := s.slot
	s.slot ^= 1
	if err := s.objs.Ctl.Put(uint32(0), s.slot); err != nil {
		return Interval{}, fmt.Errorf("switch eBPF counts map: %w", err)
	}
	now := s.clock.Now()
	elapsed := now.Sub(s.last)
	s.last = now
	time.Sleep(swapGrace)

	m := s.objs.Counts0
	if old == 1 {
		m = s.objs.Counts1
	}
	names := make(map[bpfInodeKey]string)
	var cursor ebpf.MapBatchCursor
	for {
		n, err := m.BatchLookupAndDelete(&cursor, s.keys, s.vals, nil)
		for i := 0; i < n; i++ {
			s.b.add(s.activity(s.keys[i], s.vals[i], names))
		}
		if errors.Is(err, ebpf.ErrKeyNotExist) {
			break
		}
		if err != nil {
			return Interval{}, fmt.Errorf("read eBPF counts map: %w", err)
		}
	}
	iv := s.b.finish(now, elapsed)
	iv.Dropped = s.readDropped()
	s.reads++
	if s.reads%30 == 0 {
		s.b.forget(procAlive)
	}
	return iv, nil
}

func (s *ebpfSource) activity(k bpfFileKey, v bpfFileCounts, names map[bpfInodeKey]string) FileActivity {
	ik := bpfInodeKey{Dev: k.Dev, Ino: k.Ino}
	path, ok := names[ik]
	if !ok {
		path = s.path(k)
		names[ik] = path
	}
	return FileActivity{
		Key: FileKey{
			Proc: sampler.ProcKey{PID: int32(k.Tgid), Start: int64(v.StartBoottime / nsPerTick)},
			Path: path,
		},
		Name:       cString(v.Comm[:]),
		WriteBytes: v.WriteBytes,
		ReadBytes:  v.ReadBytes,
		WriteCalls: v.WriteCalls,
		ReadCalls:  v.ReadCalls,
	}
}

// path names a file: the path the kernel captured when the file was first
// seen, or, when that was cut short, the process's open fd for the same
// inode, or the captured tail marked as partial.
func (s *ebpfSource) path(k bpfFileKey) string {
	var p bpfFilePath
	captured := ""
	truncated := true
	if err := s.objs.Paths.Lookup(bpfInodeKey{Dev: k.Dev, Ino: k.Ino}, &p); err == nil {
		captured = joinComponents(p)
		truncated = p.Flags&1 != 0
	}
	if !truncated && captured != "" {
		return captured
	}
	dev := unix.Mkdev(k.Dev>>20, k.Dev&0xfffff)
	if fromFD := findOpenFile(int(k.Tgid), dev, k.Ino); fromFD != "" {
		return fromFD
	}
	if captured != "" {
		return "…" + captured
	}
	return fmt.Sprintf("dev %d:%d inode %d (path unknown: file closed before it was named)", k.Dev>>20, k.Dev&0xfffff, k.Ino)
}

func joinComponents(p bpfFilePath) string {
	depth := int(p.Depth)
	if depth > len(p.Comp) {
		depth = len(p.Comp)
	}
	if depth == 0 {
		return ""
	}
	var sb strings.Builder
	for i := depth - 1; i >= 0; i-- {
		sb.WriteByte('/')
		sb.WriteString(cString(p.Comp[i][:]))
	}
	return sb.String()
}

func (s *ebpfSource) readDropped() uint64 {
	var per []uint64
	if err := s.objs.Dropped.Lookup(uint32(0), &per); err != nil {
		return 0
	}
	var sum uint64
	for _, v := range per {
		sum += v
	}
	d := sum - s.dropped
	s.dropped = sum
	return d
}

// findOpenFile returns the path of pid's open fd for (dev, ino), or "".
func findOpenFile(pid int, dev uint64, ino uint64) string {
	dir := "/proc/" + strconv.Itoa(pid) + "/fd"
	ents, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	for _, e := range ents {
		var st unix.Stat_t
		fd := dir + "/" + e.Name()
		if unix.Stat(fd, &st) != nil || st.Dev != dev || st.Ino != ino {
			continue
		}
		if target, err := os.Readlink(fd); err == nil {
			return target
		}
	}
	return ""
}

func procAlive(k sampler.ProcKey) bool {
	_, err := os.Stat("/proc/" + strconv.Itoa(int(k.PID)))
	return err == nil
}

func cString[T int8 | uint8](b []T) string {
	n := 0
	for n < len(b) && b[n] != 0 {
		n++
	}
	out := make([]byte, n)
	for i := 0; i < n; i++ {
		out[i] = byte(b[i])
	}
	return string(out)
}
