//go:build linux && (amd64 || arm64)

package blockio

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// Hooks names the BTF raw tracepoints the source attaches to.
const Hooks = "tp_btf: block_bio_queue, block_rq_issue, block_rq_complete, writeback_dirty_folio"

// The kernel's op codes of acct_key.op and owner kinds (blockio.bpf.c).
const (
	opWrite   = 0
	opRead    = 1
	opDiscard = 2

	ownerTask      = 1
	ownerWriteback = 2
	ownerJournal   = 3
	ownerMeta      = 4
	ownerKernel    = 5
)

const (
	// initPIDNamespace is the inode number of the initial PID namespace
	// (PROC_PID_INIT_INO).
	initPIDNamespace = 0xEFFFFFFC
	nsPerTick        = 1e9 / 100 // start_boottime (ns) to /proc's clock ticks
	pageSize         = 4096
)

type ebpfSource struct {
	clock sampler.Clock
	objs  bpfObjects
	links []link.Link
	last  time.Time

	prevAcct map[bpfAcctKey]bpfAcctVal
	// prevOverflow is the overflow table's counters at the last reading.
	prevOverflow map[bpfOverflowKey]bpfAcctVal
	prevDirty    map[bpfDirtyKey]uint64
	ledger       map[fileID]*dirtiers
	totals       map[sampler.ProcKey]uint64
	names        map[uint32]bpfProcInfo
	disks        map[uint32]string
	mounts       map[uint32]string // fs dev (kernel) -> mount point of its root
	// mountsRead is s.reads when mounts was last read: a device or file
	// system missing from it is looked up again at most once a read (a
	// churn of short-lived processes writing through an unmounted device's
	// page cache re-read /proc/self/mountinfo for each of them: 40% of
	// record's CPU at 1,500 processes a second).
	mountsRead int
	prevLost   uint64
	reads      int
}

// trimEvery is how many readings pass between checks of the kernel's
// in-flight tables (owners, inflight): entries whose bio or request never
// came back (an I/O error before the request, a requeue) would otherwise
// stay, and a full table loses attribution.
const trimEvery = 32

// trim empties m when it holds more than limit entries: what is in flight
// then falls back to being attributed by its pages. The kernel changes the
// table while it is walked (keys may be skipped or seen twice), so it
// walks it again until a walk finds it empty, at most three times.
func trim(m *ebpf.Map, limit int) {
	for pass := 0; pass < 3; pass++ {
		keys := make(map[uint64]bool)
		var k uint64
		var v []byte
		for it := m.Iterate(); it.Next(&k, &v); {
			keys[k] = true
		}
		if (pass == 0 && len(keys) <= limit) || len(keys) == 0 {
			return
		}
		for k := range keys {
			_ = m.Delete(k)
		}
	}
}

// fileID names a file by its filesystem (kernel dev_t) and inode number.
type fileID struct {
	fsdev uint32
	ino   uint64
}

// dirtiers is, for one file, the bytes each process dirtied that
// writeback has not yet been charged for, and the last shares seen (used
// when writeback comes after the pending bytes ran out).
type dirtiers struct {
	pending map[uint32]uint64
	last    map[uint32]uint64
}

// Open loads and attaches the block-layer programs. It needs root (or
// CAP_BPF+CAP_PERFMON) and a kernel with BTF.
func Open(clock sampler.Clock) (Source, error) {
	if clock == nil {
		clock = sampler.SystemClock{}
	}
	var st unix.Stat_t
	if err := unix.Stat("/proc/self/ns/pid", &st); err == nil && st.Ino != initPIDNamespace {
		// The kernel program sees host PIDs; rows of processes outside
		// this namespace would show under PIDs that mean nothing here.
		return nil, errors.New("block-layer disk bytes are not shown inside a PID namespace (they are counted by host PID); run hvrdoctor in the host's namespace")
	}
	s := &ebpfSource{
		clock:        clock,
		prevAcct:     make(map[bpfAcctKey]bpfAcctVal),
		prevOverflow: make(map[bpfOverflowKey]bpfAcctVal),
		prevDirty:    make(map[bpfDirtyKey]uint64),
		ledger:       make(map[fileID]*dirtiers),
		totals:       make(map[sampler.ProcKey]uint64),
		names:        make(map[uint32]bpfProcInfo),
		disks:        make(map[uint32]string),
	}
	if err := loadBpfObjects(&s.objs, nil); err != nil {
		var ve *ebpf.VerifierError
		if errors.As(err, &ve) {
			err = fmt.Errorf("verifier rejected it: %v", ve)
		}
		return nil, fmt.Errorf("load the eBPF block-layer counter: %s", errText(err))
	}
	if addr, err := kallsym("iomap_dio_bio_end_io"); err == nil && addr != 0 {
		_ = s.objs.Cfg.Put(uint32(0), addr)
	}
	for _, p := range []*ebpf.Program{s.objs.OnBioQueue, s.objs.OnRqIssue, s.objs.OnRqComplete, s.objs.OnDirty} {
		l, err := link.AttachTracing(link.TracingOptions{Program: p, AttachType: ebpf.AttachTraceRawTp})
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("attach the eBPF block-layer counter (%s): %s", p.String(), errText(err))
		}
		s.links = append(s.links, l)
	}
	s.mounts = readMounts()
	s.last = clock.Now()
	// The first reading is the baseline: what was counted before is not
	// this source's.
	if _, err := s.read(true); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func errText(err error) string {
	if errors.Is(err, unix.EPERM) {
		return strings.Replace(err.Error(), " (MEMLOCK may be too low, consider rlimit.RemoveMemlock)", "", 1) + " (run as root, or with CAP_BPF and CAP_PERFMON)"
	}
	return err.Error()
}

func (s *ebpfSource) Info() Info { return Info{Counts: Counts, Limits: Limits, Hooks: Hooks} }

func (s *ebpfSource) Close() error {
	var errs []error
	for _, l := range s.links {
		errs = append(errs, l.Close())
	}
	s.links = nil
	errs = append(errs, s.objs.Close())
	return errors.Join(errs...)
}

func (s *ebpfSource) Read(ctx context.Context) (Interval, error) {
	if err := ctx.Err(); err != nil {
		return Interval{}, err
	}
	return s.read(false)
}

// charges accumulates an interval's rows while it is built.
type charges struct {
	disk  uint32 // the disk the next add charges
	rows  map[rowKey]*Row
	files map[fileRowKey]*FileRow
}

type rowKey struct {
	disk uint32
	proc sampler.ProcKey
}

type fileRowKey struct {
	disk uint32
	proc sampler.ProcKey
	file fileID
}

func (s *ebpfSource) read(baseline bool) (Interval, error) {
	s.reads++
	if s.reads%trimEvery == 0 {
		trim(s.objs.Owners, int(s.objs.Owners.MaxEntries()/2))
		trim(s.objs.Inflight, int(s.objs.Inflight.MaxEntries()/2))
	}
	now := s.clock.Now()
	iv := Interval{Time: now, Elapsed: now.Sub(s.last)}
	s.last = now

	// 1. Pages dirtied since the last reading, into each file's ledger.
	var dk bpfDirtyKey
	var dv uint64
	var stale []bpfDirtyKey
	it := s.objs.Dirtied.Iterate()
	for it.Next(&dk, &dv) {
		d := dv - s.prevDirty[dk]
		s.prevDirty[dk] = dv
		if d == 0 {
			if !alive(dk.Tgid) {
				stale = append(stale, dk)
			}
			continue
		}
		if baseline {
			continue
		}
		id := fileID{dk.Fsdev, dk.Ino}
		l := s.ledger[id]
		if l == nil {
			l = &dirtiers{pending: make(map[uint32]uint64), last: make(map[uint32]uint64)}
			s.ledger[id] = l
		}
		l.pending[dk.Tgid] += d * pageSize
		if len(l.last) > 64 {
			clear(l.last)
		}
		l.last[dk.Tgid] = d
	}
	if err := it.Err(); err != nil {
		return Interval{}, fmt.Errorf("read the eBPF dirtied-pages table: %w", err)
	}
	for _, k := range stale {
		_ = s.objs.Dirtied.Delete(k)
		delete(s.prevDirty, k)
	}

	// 2. Request bytes since the last reading, per owner.
	c := charges{rows: make(map[rowKey]*Row), files: make(map[fileRowKey]*FileRow)}
	diskBytes := make(map[uint32]*Disk)
	var ak bpfAcctKey
	var avs []bpfAcctVal
	var staleAcct []bpfAcctKey
	type wb struct {
		key   bpfAcctKey
		bytes uint64
	}
	var writebacks []wb
	ai := s.objs.Acct.Iterate()
	for ai.Next(&ak, &avs) {
		var av bpfAcctVal // summed over the CPUs
		for _, v := range avs {
			av.Bytes += v.Bytes
			av.Bios += v.Bios
			av.LatNs += v.LatNs
			av.LatCount += v.LatCount
		}
		p := s.prevAcct[ak]
		s.prevAcct[ak] = av
		d := av.Bytes - p.Bytes
		if d == 0 && av.LatCount == p.LatCount {
			if ak.O.Kind == ownerTask && !alive(ak.O.Tgid) {
				staleAcct = append(staleAcct, ak)
			}
			continue
		}
		if baseline {
			continue
		}
		s.countOnDisk(diskBytes, ak.Disk, ak.Op, d)
		lat, latN := av.LatNs-p.LatNs, av.LatCount-p.LatCount
		c.disk = ak.Disk
		if ak.O.Kind == ownerWriteback && ak.Op == opWrite {
			writebacks = append(writebacks, wb{ak, d})
			// Writeback requests' response time goes on the kernel row
			// (the requests are the kernel's, shared by many writers).
			r := c.row(pseudoKeys[RowKernel], pseudoNames[RowKernel], RowKernel)
			r.IONanos += lat
			r.IOCount += latN
			continue
		}
		key, name, kind := s.owner(ak.O)
		if kind == RowProcess && s.isBlockDevice(fileID{ak.O.Fsdev, ak.O.Ino}) && s.mounted(fileID{ak.O.Fsdev, ak.O.Ino}) {
			key, name, kind = pseudoKeys[RowMetadata], pseudoNames[RowMetadata], RowMetadata
		}
		id := fileID{ak.O.Fsdev, ak.O.Ino}
		c.add(key, name, kind, id, ak.Op, d, false)
		r := c.row(key, name, kind)
		r.IONanos += lat
		r.IOCount += latN
		if f := c.files[fileRowKey{c.disk, key, id}]; f != nil {
			f.IONanos += lat
			f.IOCount += latN
		}
	}
	if err := ai.Err(); err != nil {
		return Interval{}, fmt.Errorf("read the eBPF disk-bytes table: %w", err)
	}
	for _, k := range staleAcct {
		_ = s.objs.Acct.Delete(k)
		delete(s.prevAcct, k)
	}
	if err := s.readOverflow(&c, diskBytes, baseline); err != nil {
		return Interval{}, err
	}
	if baseline {
		return iv, nil
	}

	// 3. Background writeback, shared among each file's dirtiers.
	for _, w := range writebacks {
		id := fileID{w.key.O.Fsdev, w.key.O.Ino}
		c.disk = w.key.Disk
		s.shareWriteback(&c, id, w.bytes)
	}

	// Lost bytes (a full kernel table) are on the kernel row already.
	var lost uint64
	var lv []uint64
	if err := s.objs.Lost.Lookup(uint32(0), &lv); err == nil {
		for _, v := range lv {
			lost += v
		}
	}
	iv.Lost = lost - s.prevLost
	s.prevLost = lost

	procs := make(map[sampler.ProcKey]*Row)
	for k, r := range c.rows {
		r.Disk = s.diskName(k.disk)
		iv.DiskRows = append(iv.DiskRows, *r)
		p := procs[r.Key]
		if p == nil {
			p = &Row{Key: r.Key, Name: r.Name, Kind: r.Kind}
			procs[r.Key] = p
		}
		p.add(r)
	}
	for _, p := range procs {
		s.totals[p.Key] += p.WriteBytes
		p.WriteTotal = s.totals[p.Key]
		iv.Processes = append(iv.Processes, *p)
	}
	sortRows(iv.Processes)
	sortRows(iv.DiskRows)
	for k, f := range c.files {
		f.Path = s.path(k.file)
		f.Disk = s.diskName(k.disk)
		iv.Files = append(iv.Files, *f)
	}
	sort.Slice(iv.Files, func(i, j int) bool {
		a, b := &iv.Files[i], &iv.Files[j]
		if a.WriteBytes != b.WriteBytes {
			return a.WriteBytes > b.WriteBytes
		}
		if a.Proc.PID != b.Proc.PID {
			return a.Proc.PID < b.Proc.PID
		}
		return a.Path < b.Path
	})
	for _, d := range diskBytes {
		iv.Disks = append(iv.Disks, *d)
	}
	sort.Slice(iv.Disks, func(i, j int) bool { return iv.Disks[i].Name < iv.Disks[j].Name })
	return iv, nil
}

// row returns the interval's row for key on the current disk, made on
// first use.
func (c *charges) row(key sampler.ProcKey, name string, kind RowKind) *Row {
	rk := rowKey{c.disk, key}
	r := c.rows[rk]
	if r == nil {
		r = &Row{Key: key, Name: name, Kind: kind}
		c.rows[rk] = r
	}
	return r
}

// add charges bytes of op on file to the row key (and to its file row
// when file names one).
func (c *charges) add(key sampler.ProcKey, name string, kind RowKind, file fileID, op uint32, bytes uint64, writeback bool) {
	r := c.row(key, name, kind)
	var f *FileRow
	if file.ino != 0 {
		fk := fileRowKey{c.disk, key, file}
		f = c.files[fk]
		if f == nil {
			f = &FileRow{Proc: key, Name: name, Kind: kind, Dev: userDev(file.fsdev), Ino: file.ino}
			c.files[fk] = f
		}
	}
	switch op {
	case opWrite:
		r.WriteBytes += bytes
		if writeback {
			r.WritebackBytes += bytes
		} else {
			r.OwnWriteBytes += bytes
		}
		if f != nil {
			f.WriteBytes += bytes
			if writeback {
				f.WritebackBytes += bytes
			} else {
				f.OwnWriteBytes += bytes
			}
		}
	case opRead:
		r.ReadBytes += bytes
		if f != nil {
			f.ReadBytes += bytes
		}
	case opDiscard:
		r.DiscardBytes += bytes
		if f != nil {
			f.DiscardBytes += bytes
		}
	}
}

// shareWriteback charges bytes of background writeback of file id to the
// processes that dirtied it, in proportion to their pending dirtied bytes
// (then to the last dirtying seen; a block device nobody dirtied is
// metadata; else "dirtied earlier").
func (s *ebpfSource) shareWriteback(c *charges, id fileID, bytes uint64) {
	l := s.ledger[id]
	var shares map[uint32]uint64
	var sum uint64
	if l != nil {
		for _, v := range l.pending {
			sum += v
		}
		shares = l.pending
		if sum == 0 {
			shares = l.last
			for _, v := range l.last {
				sum += v
			}
		}
	}
	if sum == 0 {
		kind := RowUnknownDirtier
		if s.isBlockDevice(id) && s.mounted(id) {
			kind = RowMetadata
		}
		c.add(pseudoKeys[kind], pseudoNames[kind], kind, id, opWrite, bytes, true)
		return
	}
	tgids := make([]uint32, 0, len(shares))
	for t, v := range shares {
		if v > 0 {
			tgids = append(tgids, t)
		}
	}
	sort.Slice(tgids, func(i, j int) bool { return shares[tgids[i]] > shares[tgids[j]] })
	left := bytes
	for i, t := range tgids {
		part := uint64(float64(bytes) * float64(shares[t]) / float64(sum))
		if i == len(tgids)-1 || part > left {
			part = left // the rounding remainder goes to the last
		}
		left -= part
		key, name := s.proc(t)
		c.add(key, name, RowProcess, id, opWrite, part, true)
		if p, ok := l.pending[t]; ok {
			l.pending[t] = p - min(p, part)
		}
	}
	for t, v := range l.pending {
		if v == 0 && !alive(t) {
			delete(l.pending, t)
			delete(l.last, t)
		}
	}
}

// isBlockDevice reports whether id is a block device's page cache (the
// kernel program names those by fsdev 0 and the device as ino).
func (s *ebpfSource) isBlockDevice(id fileID) bool { return id.fsdev == 0 }

// mounted reports whether block device id holds a mounted filesystem:
// then what is written through its page cache is that filesystem's
// metadata, whoever submits it (sync, syncfs).
func (s *ebpfSource) mounted(id fileID) bool {
	if _, ok := s.mounts[uint32(id.ino)]; ok {
		return true
	}
	s.rereadMounts()
	_, ok := s.mounts[uint32(id.ino)]
	return ok
}

// owner names an acct row's owner.
func (s *ebpfSource) owner(o bpfOwner) (sampler.ProcKey, string, RowKind) {
	switch o.Kind {
	case ownerTask:
		key, name := s.proc(o.Tgid)
		return key, name, RowProcess
	case ownerJournal:
		return pseudoKeys[RowJournal], pseudoNames[RowJournal], RowJournal
	case ownerMeta:
		return pseudoKeys[RowMetadata], pseudoNames[RowMetadata], RowMetadata
	}
	return pseudoKeys[RowKernel], pseudoNames[RowKernel], RowKernel
}

// proc returns a process's key and name from what the kernel noted when
// it first submitted or dirtied.
func (s *ebpfSource) proc(tgid uint32) (sampler.ProcKey, string) {
	pi, ok := s.names[tgid]
	if !ok {
		if err := s.objs.Procs.Lookup(tgid, &pi); err == nil {
			s.names[tgid] = pi
			if len(s.names) > 65536 {
				clear(s.names)
			}
		}
	}
	name := cString(pi.Comm[:])
	if name == "" {
		name = "pid " + strconv.Itoa(int(tgid))
	}
	return sampler.ProcKey{PID: int32(tgid), Start: int64(pi.StartBoottime / nsPerTick)}, name
}

// path returns a file's full path: the path the kernel captured below its
// filesystem's root, under the mount point of that root.
func (s *ebpfSource) path(id fileID) string {
	if s.isBlockDevice(id) {
		return "/dev/" + s.diskName(uint32(id.ino))
	}
	var p bpfFilePath
	if err := s.objs.Paths.Lookup(bpfInodeKey{Fsdev: id.fsdev, Ino: id.ino}, &p); err != nil || p.Start >= uint32(len(p.Buf)) {
		return fmt.Sprintf("dev %d:%d inode %d (path unknown)", id.fsdev>>20, id.fsdev&(1<<20-1), id.ino)
	}
	end := int(p.Start)
	for end < len(p.Buf)/2 && p.Buf[end] != 0 {
		end++
	}
	rel := string(byteSlice(p.Buf[p.Start:end]))
	mp, ok := s.mounts[id.fsdev]
	if !ok {
		s.rereadMounts()
		mp, ok = s.mounts[id.fsdev]
	}
	if !ok {
		return fmt.Sprintf("(dev %d:%d)%s", id.fsdev>>20, id.fsdev&(1<<20-1), rel)
	}
	if mp == "/" {
		return rel
	}
	return mp + rel
}

// diskName is the kernel's name of a disk (kernel dev_t), from sysfs.
func (s *ebpfSource) diskName(dev uint32) string {
	if n, ok := s.disks[dev]; ok {
		return n
	}
	mm := fmt.Sprintf("%d:%d", dev>>20, dev&(1<<20-1))
	name := mm
	if t, err := os.Readlink("/sys/dev/block/" + mm); err == nil {
		name = filepath.Base(t)
	}
	s.disks[dev] = name
	return name
}

// rereadMounts reads the mounts again, at most once a read.
func (s *ebpfSource) rereadMounts() {
	if s.mountsRead == s.reads {
		return
	}
	s.mounts, s.mountsRead = readMounts(), s.reads
}

// readMounts maps each filesystem (kernel dev_t) to the mount point of
// its root, from /proc/self/mountinfo.
func readMounts() map[uint32]string {
	m := make(map[uint32]string)
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 5 || fs[3] != "/" {
			continue
		}
		maj, min, ok := strings.Cut(fs[2], ":")
		if !ok {
			continue
		}
		a, err1 := strconv.ParseUint(maj, 10, 32)
		b, err2 := strconv.ParseUint(min, 10, 32)
		if err1 != nil || err2 != nil {
			continue
		}
		dev := uint32(a)<<20 | uint32(b)
		if _, seen := m[dev]; !seen {
			m[dev] = unescapeMount(fs[4])
		}
	}
	return m
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

// kallsym returns a kernel symbol's address from /proc/kallsyms (0 when
// the kernel hides addresses).
func kallsym(name string) (uint64, error) {
	f, err := os.Open("/proc/kallsyms")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasSuffix(line, " "+name) {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) == 3 && fs[2] == name {
			return strconv.ParseUint(fs[0], 16, 64)
		}
	}
	return 0, fmt.Errorf("%s not in /proc/kallsyms", name)
}

// userDev converts a kernel dev_t (major << 20 | minor) to user space's.
func userDev(k uint32) uint64 { return unix.Mkdev(k>>20, k&(1<<20-1)) }

// alive reports whether a process with this tgid exists.
func alive(tgid uint32) bool {
	_, err := os.Stat("/proc/" + strconv.FormatUint(uint64(tgid), 10))
	return err == nil
}

func cString[T int8 | uint8](b []T) string {
	n := 0
	for n < len(b) && b[n] != 0 {
		n++
	}
	return string(byteSlice(b[:n]))
}

func byteSlice[T int8 | uint8](b []T) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = byte(c)
	}
	return out
}

// readOverflow adds the bytes the kernel could not give an owner row (its
// acct table was full) since the last reading, per disk and operation, to
// the disks' totals and to the "(owner not kept)" row, so the rows still
// add up to the disk and say how much is not attributed.
func (s *ebpfSource) readOverflow(c *charges, diskBytes map[uint32]*Disk, baseline bool) error {
	var k bpfOverflowKey
	var vs []bpfAcctVal
	it := s.objs.Overflow.Iterate()
	for it.Next(&k, &vs) {
		var v bpfAcctVal
		for _, x := range vs {
			v.Bytes += x.Bytes
			v.Bios += x.Bios
		}
		p := s.prevOverflow[k]
		s.prevOverflow[k] = v
		d := v.Bytes - p.Bytes
		if baseline || d == 0 {
			continue
		}
		s.countOnDisk(diskBytes, k.Disk, k.Op, d)
		c.disk = k.Disk
		c.add(pseudoKeys[RowTableFull], pseudoNames[RowTableFull], RowTableFull, fileID{}, k.Op, d, false)
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("read the eBPF overflow table: %w", err)
	}
	return nil
}

// countOnDisk adds an interval's bytes of one operation to a disk's
// totals, making the disk's entry on first use.
func (s *ebpfSource) countOnDisk(diskBytes map[uint32]*Disk, dev, op uint32, d uint64) {
	disk := diskBytes[dev]
	if disk == nil {
		disk = &Disk{Name: s.diskName(dev), Major: dev >> 20, Minor: dev & (1<<20 - 1)}
		diskBytes[dev] = disk
	}
	switch op {
	case opWrite:
		disk.WriteBytes += d
	case opRead:
		disk.ReadBytes += d
	case opDiscard:
		disk.DiscardBytes += d
	}
}
