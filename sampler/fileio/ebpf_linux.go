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

// ebpfInfo is what the eBPF backend counts and misses; openEBPF fills
// Counts and Limits from what the kernel let it attach (ebpfCoverage).
var ebpfInfo = Info{
	Backend:      "ebpf",
	AllProcesses: true,
}

// Ways the bytes move, as FileActivity.Via names them, by the VIA_* bit
// of fileio.bpf.c.
var viaNames = []struct {
	bit  uint32
	name string
}{
	{1, "read/write"}, {2, "copy_file_range"}, {4, "sendfile"}, {8, "splice"}, {16, "io_uring"},
}

// viaDirtied is the VIA_DIRTIED bit: pages dirtied, the only trace of a
// write through mmap; viaBlock (IS_BLOCK) marks a block device.
const (
	viaDirtied = 32
	viaBlock   = 1 << 30
)

// ViaMmap is FileActivity.Via for bytes seen only as pages a process
// dirtied (writes through a shared mmap): whole pages, not bytes.
const ViaMmap = "mmap (pages dirtied)"

// ebpfCoverage builds Info.Counts and Info.Limits: what the attached
// programs count, exactly, and what they do not see.
func ebpfCoverage(v ebpfVariant, ioUring, dirtied error) (counts, limits, unseen string) {
	calls := "write/pwrite64/writev/pwritev/pwritev2(2)"
	reads := "read/pread64/readv/preadv/preadv2(2)"
	var seen, missed, short []string // short: Info.Unseen, for the status line
	if v.twoFile {
		calls += ", copy_file_range/sendfile/splice(2) (written side)"
		reads += " and their read side"
	} else {
		missed = append(missed, "copy_file_range/sendfile/splice (no vfs_write)")
		short = append(short, "copy_file_range/sendfile/splice")
	}
	seen = append(seen, "bytes returned by "+calls+" and "+reads+" on regular files and block devices (page-cache bytes, not storage writes)")
	if ioUring == nil {
		seen = append(seen, "io_uring READ/READV/READ_FIXED/WRITE/WRITEV/WRITE_FIXED/SPLICE results")
		missed = append(missed, "io_uring's other opcodes")
		short = append(short, "some io_uring ops")
	} else {
		missed = append(missed, "io_uring ("+loadErrText(ioUring)+")")
		short = append(short, "io_uring")
	}
	if dirtied == nil {
		seen = append(seen, "pages dirtied through shared mmap, as whole pages when no write call moved bytes to the file")
		missed = append(missed, "mmap pages of filesystems that mark them dirty only at writeback (no page_mkwrite: counted for no process)")
	} else {
		missed = append(missed, "mmap writes ("+loadErrText(dirtied)+")")
		short = append(short, "mmap")
	}
	missed = append(missed, "AIO (io_submit)")
	short = append(short, "AIO")
	if v.limits != "" {
		missed = append(missed, v.limits)
		short = append(short, strings.Replace(v.limits, "32-bit compat", "32-bit", 1))
	}
	return strings.Join(seen, "; ") + "; counted at " + v.desc, strings.Join(missed, ", ") + " not seen", strings.Join(short, ", ")
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
	objs    ebpfObjects
	links   []link.Link
	slot    uint32
	last    time.Time
	dropped uint64
	reads   int
	b       *intervalBuilder
	keys    []bpfFileKey
	vals    []bpfFileCounts
	pairs   []countPair
	info    Info
	variant ebpfVariant

	pathKeys []bpfInodeKey
	pathVals []bpfFilePath

	nsLevel  uint32 // 1 in a PID namespace, 0 in the initial one
	exits    bool   // the process-exit program is attached
	exitKeys []uint32
	exitVals []bpfExitCounts
}

// ebpfVariant is one way to attach the counting code in the object file.
type ebpfVariant struct {
	// name identifies the variant in tests; desc says where it counts.
	name, desc string
	// progs are the programs it loads, attached one link each.
	progs []string
	// attach links one loaded program to its hook.
	attach func(prog *ebpf.Program) (link.Link, error)
	// limits is what this variant misses on top of the rest
	// ("32-bit compat processes").
	limits string
	// twoFile is true when the variant also counts copy_file_range,
	// sendfile and splice and notes the paths of mmapped files (the
	// sys_exit programs do).
	twoFile bool
}

// ebpfExtra is a program attached next to the chosen variant, on the same
// maps, where the kernel has its tracepoint; without it the backend still
// runs and Info().Limits says what is missed.
type ebpfExtra struct {
	prog string
}

// The extras: io_uring completions, dirtied pages (mmap writes) and
// process exits (storage-layer counters of processes that exit).
var (
	ioUringExtra = ebpfExtra{prog: bpfProgCountIoUring}
	dirtiedExtra = ebpfExtra{prog: bpfProgCountDirtied}
	exitExtra    = ebpfExtra{prog: bpfProgCountExit}
)

// The variants, cheapest first. fexit runs only for file reads and writes;
// the sys_exit ones run for every system call of every process, which on
// the bench VM costs about 6% on a write loop before counting anything
// (docs/bench-fileio.md).
var (
	fexitVariant = ebpfVariant{
		name:  "fexit",
		desc:  "fexit on vfs_write, vfs_read, vfs_writev and vfs_readv",
		progs: []string{bpfProgFexitVfsWrite, bpfProgFexitVfsRead, bpfProgFexitVfsWritev, bpfProgFexitVfsReadv},
		attach: func(p *ebpf.Program) (link.Link, error) {
			return link.AttachTracing(link.TracingOptions{Program: p, AttachType: ebpf.AttachTraceFExit})
		},
	}
	sysExitBTFVariant = ebpfVariant{
		name:  "tp_btf",
		desc:  "BTF raw tracepoint sys_exit",
		progs: []string{bpfProgCountFileIoBtf},
		attach: func(p *ebpf.Program) (link.Link, error) {
			return link.AttachTracing(link.TracingOptions{Program: p, AttachType: ebpf.AttachTraceRawTp})
		},
		limits:  "32-bit compat processes",
		twoFile: true,
	}
	sysExitVariant = ebpfVariant{
		name:  "raw_tp",
		desc:  "raw tracepoint sys_exit",
		progs: []string{bpfProgCountFileIo},
		attach: func(p *ebpf.Program) (link.Link, error) {
			return link.AttachRawTracepoint(link.RawTracepointOptions{Name: "sys_exit", Program: p})
		},
		limits:  "32-bit compat processes",
		twoFile: true,
	}
)

// ebpfVariants are tried in order; tests narrow the list to test each.
var ebpfVariants = []ebpfVariant{fexitVariant, sysExitBTFVariant, sysExitVariant}

// countsLimit, when not 0, replaces the size of the per-file counts maps
// (tests drive past it).
var countsLimit uint32

// disabledExtras names extra programs not to load (tests and benchmarks
// measure the backend without them).
var disabledExtras = map[string]bool{}

// ebpfObjects are the maps and the counting programs of one variant.
type ebpfObjects struct {
	bpfMaps
	progs []*ebpf.Program
}

// loadExtra loads one extra program on o's maps and attaches it to its
// BTF tracepoint. On error nothing of it stays loaded.
func (o *ebpfObjects) loadExtra(x ebpfExtra) (link.Link, error) {
	spec, err := loadBpf()
	if err != nil {
		return nil, err
	}
	for name := range spec.Programs {
		if name != x.prog {
			delete(spec.Programs, name)
		}
	}
	repl := map[string]*ebpf.Map{
		bpfMapCtl: o.Ctl, bpfMapCounts0: o.Counts0, bpfMapCounts1: o.Counts1, bpfMapPaths: o.Paths,
		bpfMapScratch: o.Scratch, bpfMapDropped: o.Dropped, bpfMapOverflow0: o.Overflow0, bpfMapOverflow1: o.Overflow1,
		bpfMapExits0: o.Exits0, bpfMapExits1: o.Exits1, bpfMapPidns: o.Pidns, bpfMapLastfile: o.Lastfile,
	}
	for name := range spec.Maps {
		if repl[name] == nil {
			delete(spec.Maps, name) // .rodata and the like: none are used
		}
	}
	coll, err := ebpf.NewCollectionWithOptions(spec, ebpf.CollectionOptions{MapReplacements: repl})
	if err != nil {
		var ve *ebpf.VerifierError
		if errors.As(err, &ve) {
			err = fmt.Errorf("verifier rejected %s: %v", x.prog, ve)
		}
		return nil, err
	}
	p := coll.DetachProgram(x.prog)
	coll.Close()
	l, err := link.AttachTracing(link.TracingOptions{Program: p, AttachType: ebpf.AttachTraceRawTp})
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("attach %s: %w", x.prog, err)
	}
	o.progs = append(o.progs, p)
	return l, nil
}

// load loads and attaches the first variant the kernel accepts: fexit
// where the kernel has BPF trampolines and BTF for the four vfs functions,
// else a program on the sys_exit raw tracepoint (BTF-typed, else plain).
// It returns the links, the variant and, when it is not the first one
// tried, why the earlier ones were not used.
func (o *ebpfObjects) load() ([]link.Link, ebpfVariant, string, error) {
	spec, err := loadBpf()
	if err != nil {
		return nil, ebpfVariant{}, "", fmt.Errorf("load eBPF file counter: %w", err)
	}
	var failed []string
	for _, v := range ebpfVariants {
		links, err := o.loadVariant(spec, v)
		if err == nil {
			return links, v, strings.Join(failed, "; "), nil
		}
		failed = append(failed, fmt.Sprintf("%s unavailable: %s", v.desc, loadErrText(err)))
	}
	return nil, ebpfVariant{}, "", fmt.Errorf("load eBPF file counter: %s", strings.Join(failed, "; "))
}

// loadVariant loads the maps and v's programs and attaches them. On error
// nothing stays loaded.
func (o *ebpfObjects) loadVariant(spec *ebpf.CollectionSpec, v ebpfVariant) (links []link.Link, err error) {
	ps := spec.Copy()
	if countsLimit > 0 {
		ps.Maps[bpfMapCounts0].MaxEntries = countsLimit
		ps.Maps[bpfMapCounts1].MaxEntries = countsLimit
	}
	keep := make(map[string]bool, len(v.progs))
	for _, p := range v.progs {
		keep[p] = true
	}
	for name := range ps.Programs {
		if !keep[name] {
			delete(ps.Programs, name)
		}
	}
	coll, err := ebpf.NewCollection(ps)
	if err != nil {
		var ve *ebpf.VerifierError
		if errors.As(err, &ve) {
			err = fmt.Errorf("verifier rejected it: %v", ve)
		}
		return nil, err
	}
	var objs ebpfObjects
	if err := coll.Assign(&objs.bpfMaps); err != nil {
		coll.Close()
		return nil, err
	}
	for _, p := range v.progs {
		objs.progs = append(objs.progs, coll.DetachProgram(p))
	}
	coll.Close() // the maps and programs were detached
	defer func() {
		if err != nil {
			for _, l := range links {
				l.Close()
			}
			links = nil
			objs.Close()
		}
	}()
	if err := objs.Ctl.Put(uint32(0), uint32(0)); err != nil {
		return nil, fmt.Errorf("init: %w", err)
	}
	for i, p := range objs.progs {
		l, err := v.attach(p)
		if err != nil {
			return links, fmt.Errorf("attach %s: %w", v.progs[i], err)
		}
		links = append(links, l)
	}
	*o = objs
	return links, nil
}

// loadErrText is a load or attach error in one line. EPERM as root means
// the kernel refuses this kind of program (on kernels since 5.11 BPF memory
// is charged to the cgroup, so cilium/ebpf's RLIMIT_MEMLOCK hint does not
// apply); the hint is left out.
func loadErrText(err error) string {
	if errors.Is(err, unix.EPERM) {
		return strings.Replace(err.Error(), " (MEMLOCK may be too low, consider rlimit.RemoveMemlock)", "", 1) + " (the kernel refuses this program type)"
	}
	return err.Error()
}

// Close releases the maps and the programs.
func (o *ebpfObjects) Close() error {
	err := o.bpfMaps.Close()
	for _, p := range o.progs {
		if p != nil {
			err = errors.Join(err, p.Close())
		}
	}
	o.progs = nil
	return err
}

// openEBPF loads the counting programs and attaches them (fexit, or the
// sys_exit raw tracepoint where trampolines are missing). Info().Counts
// names where it counts and Info().Reason why, when it is not fexit.
// RLIMIT_MEMLOCK is not raised: kernels since 5.11 account BPF memory to
// the cgroup instead.
func openEBPF(clock sampler.Clock) (*ebpfSource, error) {
	s := &ebpfSource{
		clock: clock,
		b:     newIntervalBuilder(),
		keys:  make([]bpfFileKey, 512),
		vals:  make([]bpfFileCounts, 512),
		info:  ebpfInfo,
	}
	links, v, fallback, err := s.objs.load()
	if err != nil {
		return nil, err
	}
	s.links, s.variant = links, v
	if level, inum, err := pidNamespace(); err == nil && level > 0 {
		if err := s.objs.Pidns.Put(uint32(0), bpfPidnsInfo{Level: level, Inum: inum}); err != nil {
			s.Close()
			return nil, fmt.Errorf("eBPF PID namespace: %w", err)
		}
		s.nsLevel = level
	} else if err != nil {
		s.Close()
		return nil, fmt.Errorf("eBPF: which PID namespace this process runs in: %w", err)
	}
	var extraErr [3]error
	for i, x := range []ebpfExtra{ioUringExtra, dirtiedExtra, exitExtra} {
		if disabledExtras[x.prog] {
			extraErr[i] = errors.New("left out by the caller")
			continue
		}
		l, err := s.objs.loadExtra(x)
		if err != nil {
			extraErr[i] = err
			continue
		}
		s.links = append(s.links, l)
	}
	s.info.Counts, s.info.Limits, s.info.Unseen = ebpfCoverage(v, extraErr[0], extraErr[1])
	s.exits = extraErr[2] == nil
	s.info.StorageAtExit = s.exits
	if !s.exits {
		s.info.Limits += "; processes that exit between samples get page-cache bytes, not storage writes (" + loadErrText(extraErr[2]) + ")"
	}
	if fallback != "" {
		s.info.Reason = fallback + "; counting at " + v.desc + " instead, which every system call of every process passes through"
	}
	s.last = clock.Now()
	return s, nil
}

func (s *ebpfSource) Info() Info { return s.info }

func (s *ebpfSource) setAllFiles(all bool) { s.b.setAllFiles(all) }

func (s *ebpfSource) Close() error {
	var errs []error
	for _, l := range s.links {
		errs = append(errs, l.Close())
	}
	s.links = nil
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
	s.pairs = s.pairs[:0]
	var cursor ebpf.MapBatchCursor
	for {
		n, err := m.BatchLookupAndDelete(&cursor, s.keys, s.vals, nil)
		for i := 0; i < n; i++ {
			s.pairs = append(s.pairs, countPair{s.keys[i], s.vals[i]})
		}
		if errors.Is(err, ebpf.ErrKeyNotExist) {
			break
		}
		if err != nil {
			return Interval{}, fmt.Errorf("read eBPF counts map: %w", err)
		}
	}
	if err := s.addLastFiles(old); err != nil {
		return Interval{}, err
	}
	// Bytes of files that found the per-file map full, one entry per
	// process.
	over := s.objs.Overflow0
	if old == 1 {
		over = s.objs.Overflow1
	}
	files := len(s.pairs)
	cursor = ebpf.MapBatchCursor{}
	for {
		n, err := over.BatchLookupAndDelete(&cursor, s.keys, s.vals, nil)
		for i := 0; i < n; i++ {
			s.pairs = append(s.pairs, countPair{s.keys[i], s.vals[i]})
		}
		if errors.Is(err, ebpf.ErrKeyNotExist) {
			break
		}
		if err != nil {
			return Interval{}, fmt.Errorf("read eBPF overflow map: %w", err)
		}
	}
	r := s.newResolver(files)
	for i, p := range s.pairs {
		if i >= files {
			s.b.add(s.otherFiles(p.k, p.v))
			continue
		}
		s.b.add(s.activity(p.k, p.v, r))
	}
	iv := s.b.finish(now, elapsed)
	if s.exits {
		exits, err := s.readExits(old)
		if err != nil {
			return Interval{}, err
		}
		iv.Exits = exits
	}
	iv.Dropped = s.readDropped()
	s.reads++
	if s.reads%30 == 0 {
		s.b.forget(procAlive)
	}
	return iv, nil
}

func (s *ebpfSource) activity(k bpfFileKey, v bpfFileCounts, r *resolver) FileActivity {
	ik := bpfInodeKey{Dev: v.Dev, Gen: v.Gen, Ino: v.Ino}
	path, ok := r.names[ik]
	if !ok {
		path = s.path(s.pidOf(k.Tgid, v.NsTgid), ik, r)
		r.names[ik] = path
		if v.WriteBytes > 0 || v.DirtiedPages > 0 {
			r.deleted[ik] = deletedFile(path, unix.Mkdev(v.Dev>>20, v.Dev&0xfffff), v.Ino)
		}
	}
	a := s.nsPIDs(countsActivity(k, v, path), v.NsTgid, v.NsPpid)
	a.Deleted = r.deleted[ik]
	a.Name = r.imageName(a.Key.Proc.PID, a.Name)
	return a
}

// imageName is the name for a process whose comm is name: a program
// executed from a memfd has the memfd's name as comm ("memfd:sealed-91"),
// so it is named by its argv[0] when it still runs (once per process per
// reading), as the process sampler names it.
func (r *resolver) imageName(pid int32, name string) string {
	if !strings.HasPrefix(name, "memfd:") {
		return name
	}
	if n, ok := r.argv0[pid]; ok {
		return n
	}
	n := name
	if b, err := os.ReadFile("/proc/" + strconv.Itoa(int(pid)) + "/cmdline"); err == nil {
		argv0, _, _ := strings.Cut(string(b), "\x00")
		if i := strings.LastIndexByte(argv0, '/'); i >= 0 {
			argv0 = argv0[i+1:]
		}
		if argv0 != "" && !strings.HasPrefix(argv0, "memfd:") {
			n = argv0
		}
	}
	r.argv0[pid] = n
	return n
}

// deletedFile reports whether the written file at path (device dev, inode
// ino) no longer has that name: it was deleted (or replaced) by the time
// of the reading, so the bytes written to it may never reach the disk.
// Paths the backend could not name are not checked.
func deletedFile(path string, dev, ino uint64) bool {
	if !strings.HasPrefix(path, "/") {
		return false
	}
	path = strings.TrimSuffix(path, " (deleted)")
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return errors.Is(err, unix.ENOENT)
	}
	return st.Ino != ino || st.Dev != dev
}

// pidOf is a process's PID as this process sees it: the host tgid, or in a
// PID namespace the one the kernel program translated.
func (s *ebpfSource) pidOf(host, ns uint32) uint32 {
	if s.nsLevel > 0 {
		return ns
	}
	return host
}

// nsPIDs puts the namespace's PIDs in a when this process runs in a PID
// namespace.
func (s *ebpfSource) nsPIDs(a FileActivity, tgid, ppid uint32) FileActivity {
	if s.nsLevel > 0 {
		a.Key.Proc.PID, a.PPID = int32(tgid), int32(ppid)
	}
	return a
}

// otherFiles is the activity of a process's overflow entry.
func (s *ebpfSource) otherFiles(k bpfFileKey, v bpfFileCounts) FileActivity {
	return s.nsPIDs(countsActivity(k, v, OtherFilesPath), v.NsTgid, v.NsPpid)
}

// pageSize converts dirtied pages to bytes.
var pageSize = uint64(os.Getpagesize())

// countsActivity turns one drained counts entry into a FileActivity. A pair
// that only dirtied pages (no call moved bytes: writes through a shared
// mmap) gets those pages, in bytes, as its WriteBytes.
func countsActivity(k bpfFileKey, v bpfFileCounts, path string) FileActivity {
	a := FileActivity{
		Key: FileKey{
			Proc: sampler.ProcKey{PID: int32(k.Tgid), Start: int64(v.StartBoottime / nsPerTick)},
			Path: path,
		},
		Name:       cString(v.Comm[:]),
		WriteBytes: v.WriteBytes,
		ReadBytes:  v.ReadBytes,
		WriteCalls: v.WriteCalls,
		ReadCalls:  v.ReadCalls,
		PPID:       int32(v.Ppid),
	}
	a.dev = unix.Mkdev(v.Dev>>20, v.Dev&0xfffff)
	a.block = v.Via&viaBlock != 0
	var via []string
	for _, n := range viaNames {
		if v.Via&n.bit != 0 {
			via = append(via, n.name)
		}
	}
	if v.WriteBytes == 0 && v.DirtiedPages > 0 {
		a.WriteBytes = v.DirtiedPages * pageSize
		via = append(via, ViaMmap)
	}
	a.Via = strings.Join(via, "+")
	return a
}

// path names a file: the path the kernel captured when the file was first
// seen, or, when that was cut short or evicted, the process's open fd for
// the same inode, or the captured tail marked as partial.
func (s *ebpfSource) path(tgid uint32, k bpfInodeKey, r *resolver) string {
	captured := ""
	truncated := true
	if p := r.captured(k); p != nil {
		captured = capturedPath(p)
		truncated = p.Flags&1 != 0
	}
	if !truncated && captured != "" {
		return captured
	}
	idx, ok := r.fds[tgid]
	if !ok {
		idx = openFiles(int(tgid))
		r.fds[tgid] = idx
	}
	if fd := idx[devIno{dev: unix.Mkdev(k.Dev>>20, k.Dev&0xfffff), ino: k.Ino}]; fd != "" {
		if target, err := os.Readlink(fd); err == nil {
			return target
		}
	}
	if captured != "" {
		return "…" + captured
	}
	return fmt.Sprintf("dev %d:%d inode %d (path unknown: file closed before it was named)", k.Dev>>20, k.Dev&0xfffff, k.Ino)
}

// capturedPath returns the path in p: buf[start, len(buf)/2).
func capturedPath(p *bpfFilePath) string {
	end := len(p.Buf) / 2
	if int(p.Start) >= end {
		return ""
	}
	return cString(p.Buf[p.Start:end])
}

// countPair is one drained counts map entry.
// addLastFiles adds to the drained pairs what the CPUs' last-file entries
// of slot still hold (calls on the pair a CPU counted last add there, see
// last_file in fileio.bpf.c), and clears those entries for the slot's next
// turn. The pair is always among the drained ones: an entry is only set
// for a pair already in the slot's counts map.
func (s *ebpfSource) addLastFiles(slot uint32) error {
	var per []bpfLastFile
	if err := s.objs.Lastfile.Lookup(slot, &per); err != nil {
		return fmt.Errorf("read eBPF last-file cache: %w", err)
	}
	pending := false
	for _, lf := range per {
		if lf.Inode == 0 || lf.WriteCalls == 0 && lf.ReadCalls == 0 {
			continue
		}
		pending = true
		for i := range s.pairs {
			p := &s.pairs[i]
			if p.k.Tgid == lf.Tgid && p.k.Inode == lf.Inode {
				p.v.WriteBytes += lf.WriteBytes
				p.v.WriteCalls += lf.WriteCalls
				p.v.ReadBytes += lf.ReadBytes
				p.v.ReadCalls += lf.ReadCalls
				break
			}
		}
	}
	for _, lf := range per {
		pending = pending || lf.Inode != 0
	}
	if !pending {
		return nil
	}
	if err := s.objs.Lastfile.Put(slot, make([]bpfLastFile, len(per))); err != nil {
		return fmt.Errorf("clear eBPF last-file cache: %w", err)
	}
	return nil
}

type countPair struct {
	k bpfFileKey
	v bpfFileCounts
}

// bulkPaths is the number of files in an interval from which Read copies
// the whole paths map in batches instead of looking paths up one by one.
const bulkPaths = 256

// resolver names the files of one Read.
type resolver struct {
	s       *ebpfSource
	names   map[bpfInodeKey]string
	deleted map[bpfInodeKey]bool
	argv0   map[int32]string
	fds     map[uint32]map[devIno]string
	bulk    map[bpfInodeKey]int // index into s.pathVals when the map was copied
	one     bpfFilePath
}

func (s *ebpfSource) newResolver(files int) *resolver {
	r := &resolver{s: s, names: make(map[bpfInodeKey]string, files), deleted: make(map[bpfInodeKey]bool), argv0: make(map[int32]string), fds: make(map[uint32]map[devIno]string)}
	if files < bulkPaths {
		return r
	}
	if s.pathKeys == nil {
		n := int(s.objs.Paths.MaxEntries())
		s.pathKeys, s.pathVals = make([]bpfInodeKey, n), make([]bpfFilePath, n)
	}
	r.bulk = make(map[bpfInodeKey]int, len(s.pathKeys))
	var cursor ebpf.MapBatchCursor
	total := 0
	for total < len(s.pathKeys) {
		n, err := s.objs.Paths.BatchLookup(&cursor, s.pathKeys[total:], s.pathVals[total:], nil)
		for i := total; i < total+n; i++ {
			r.bulk[s.pathKeys[i]] = i
		}
		total += n
		if err != nil {
			break // ErrKeyNotExist at the end; on other errors fall back to /proc
		}
	}
	return r
}

// captured returns the path the kernel captured for an inode, or nil.
func (r *resolver) captured(k bpfInodeKey) *bpfFilePath {
	if r.bulk != nil {
		if i, ok := r.bulk[k]; ok {
			return &r.s.pathVals[i]
		}
		return nil
	}
	if r.s.objs.Paths.Lookup(k, &r.one) != nil {
		return nil
	}
	return &r.one
}

// readExits drains the exit counters of slot.
func (s *ebpfSource) readExits(slot uint32) ([]ProcessExit, error) {
	m := s.objs.Exits0
	if slot == 1 {
		m = s.objs.Exits1
	}
	if s.exitKeys == nil {
		s.exitKeys, s.exitVals = make([]uint32, 256), make([]bpfExitCounts, 256)
	}
	var out []ProcessExit
	var cursor ebpf.MapBatchCursor
	for {
		n, err := m.BatchLookupAndDelete(&cursor, s.exitKeys, s.exitVals, nil)
		for i := 0; i < n; i++ {
			v := s.exitVals[i]
			out = append(out, ProcessExit{
				Key:  sampler.ProcKey{PID: int32(s.pidOf(s.exitKeys[i], v.NsTgid)), Start: int64(v.StartBoottime / nsPerTick)},
				Name: cString(v.Comm[:]),
				PPID: int32(s.pidOf(v.Ppid, v.NsPpid)),
				Counters: sampler.ExitCounters{
					OwnWrite: v.OwnWrite, OwnCancelled: v.OwnCancelled, OwnRead: v.OwnRead,
					FullWrite: v.FullWrite, FullCancelled: v.FullCancelled, FullRead: v.FullRead,
					Complete: v.Done != 0,
				},
			})
		}
		if errors.Is(err, ebpf.ErrKeyNotExist) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read eBPF exits map: %w", err)
		}
	}
	return out, nil
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

// devIno identifies a file by device (user-space encoding) and inode.
type devIno struct{ dev, ino uint64 }

// openFiles maps the regular files pid has open to one /proc/PID/fd/N
// link each (read with os.Readlink when the name is needed).
func openFiles(pid int) map[devIno]string {
	dir := "/proc/" + strconv.Itoa(pid) + "/fd"
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	out := make(map[devIno]string, len(names))
	for _, n := range names {
		var st unix.Stat_t
		fd := dir + "/" + n
		if unix.Stat(fd, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG && st.Mode&unix.S_IFMT != unix.S_IFBLK {
			continue
		}
		k := devIno{dev: st.Dev, ino: st.Ino}
		if _, seen := out[k]; !seen {
			out[k] = fd
		}
	}
	return out
}

// initPIDNamespace is the inode number of the initial PID namespace
// (the kernel's PROC_PID_INIT_INO).
const initPIDNamespace = 0xEFFFFFFC

// pidNamespace returns 1 and the inode number of this process's PID
// namespace (/proc/self/ns/pid), which the kernel program looks for among
// each task's namespaces, or 0 in the initial namespace.
func pidNamespace() (level, inum uint32, err error) {
	var st unix.Stat_t
	if err := unix.Stat("/proc/self/ns/pid", &st); err != nil {
		if errors.Is(err, unix.ENOENT) {
			return 0, 0, nil // no namespaces in this kernel
		}
		return 0, 0, err
	}
	if st.Ino == initPIDNamespace {
		return 0, 0, nil
	}
	return 1, uint32(st.Ino), nil
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
