package sampler

import "bytes"

// The pure parsers of the Linux proc files (/proc/PID/stat, io, cmdline,
// /proc/diskstats names): no system calls, so they build and are tested on
// every OS; source_linux.go reads the files and calls them.

// parsePID parses a NUL-terminated directory name made of digits.
func parsePID(name []byte) (int32, bool) {
	var v int64
	n := 0
	for _, c := range name {
		if c == 0 {
			break
		}
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
		if v > 1<<31-1 {
			return 0, false
		}
		n++
	}
	return int32(v), n > 0
}

func cmdlineString(b []byte) string {
	b = bytes.TrimRight(b, "\x00")
	return string(bytes.ReplaceAll(b, []byte{0}, []byte{' '}))
}

// imageName is the process's name: comm, or the executable's base name from
// the command line when comm is its 15-byte truncation. A program started
// from a memfd (fexecve, as container runtimes and self-extracting tools
// do) gets the memfd's name as comm ("memfd:sealed-91", its exe link reads
// "/memfd:sealed-91 (deleted)"), which names no program: the base name of
// argv[0] is used then, when there is one.
func imageName(comm, cmdline string) string {
	if cmdline == "" || (len(comm) < 15 && !isMemfdComm(comm)) {
		return comm
	}
	argv0 := cmdline
	if i := indexByte(argv0, ' '); i >= 0 {
		argv0 = argv0[:i]
	}
	if i := lastIndexByte(argv0, '/'); i >= 0 {
		argv0 = argv0[i+1:]
	}
	if isMemfdComm(comm) {
		if argv0 == "" || isMemfdComm(argv0) {
			return comm
		}
		return argv0
	}
	if len(argv0) > len(comm) && argv0[:len(comm)] == comm {
		return argv0
	}
	return comm
}

// isMemfdComm reports whether comm is the name the kernel gives a program
// executed from a memfd.
func isMemfdComm(comm string) bool { return len(comm) > 6 && comm[:6] == "memfd:" }

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

func lastIndexByte(s string, c byte) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// pfKthread is the PF_KTHREAD bit of /proc/PID/stat's flags field: the
// task is a kernel thread. (PPID 2, kthreadd, would say the same on the
// host, but inside a PID namespace PID 2 can be an ordinary process.)
const pfKthread = 0x00200000

// statFields are the fields of /proc/PID/stat the source uses.
type statFields struct {
	comm  []byte // field 2, without the parentheses
	ppid  int32  // field 4
	flags uint64 // field 9: PF_* flags
	start int64  // field 22: clock ticks since boot
}

// parseStat reads comm, the parent PID, the flags and the start time from
// the contents of /proc/PID/stat. comm may contain spaces and parentheses,
// so it runs to the last ')'.
func parseStat(b []byte) (st statFields, ok bool) {
	open := bytes.IndexByte(b, '(')
	end := bytes.LastIndexByte(b, ')')
	if open < 0 || end < open || end+2 > len(b) {
		return st, false
	}
	st.comm = b[open+1 : end]
	rest := b[end+2:] // field 3 (state) onwards
	for field := 3; field <= 22; field++ {
		i := bytes.IndexByte(rest, ' ')
		word := rest
		if i >= 0 {
			word, rest = rest[:i], rest[i+1:]
		} else if field < 22 {
			return statFields{}, false
		}
		switch field {
		case 4:
			v, good := parseDec(word)
			if !good || v > 1<<31-1 {
				return statFields{}, false
			}
			st.ppid = int32(v)
		case 9:
			v, good := parseDec(word)
			if !good {
				return statFields{}, false
			}
			st.flags = v
		case 22:
			v, good := parseDec(bytes.TrimRight(word, "\n"))
			if !good || v > 1<<63-1 {
				return statFields{}, false
			}
			st.start = int64(v)
		}
	}
	return st, true
}

// parseDec parses a non-empty run of decimal digits.
func parseDec(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, true
}

type ioCounters struct {
	rchar, wchar, readBytes, writeBytes, cancelledWriteBytes uint64
}

// ioLayout is the kernel's /proc/PID/io: these keys, in this order, each
// followed by ": " and a decimal number and a newline.
var ioLayout = [...]string{"rchar", "wchar", "syscr", "syscw", "read_bytes", "write_bytes", "cancelled_write_bytes"}

// parseIO reads the fields of /proc/PID/io that the sampler uses: one pass
// over the kernel's fixed layout, else (another layout) key by key.
func parseIO(b []byte) ioCounters {
	var v [len(ioLayout)]uint64
	rest := b
	for i, key := range ioLayout {
		if len(rest) < len(key)+3 || string(rest[:len(key)]) != key || rest[len(key)] != ':' || rest[len(key)+1] != ' ' {
			return parseIOKeys(b)
		}
		rest = rest[len(key)+2:]
		n, j := uint64(0), 0
		for ; j < len(rest) && rest[j] >= '0' && rest[j] <= '9'; j++ {
			n = n*10 + uint64(rest[j]-'0')
		}
		if j == 0 || j == len(rest) || rest[j] != '\n' {
			return parseIOKeys(b)
		}
		v[i], rest = n, rest[j+1:]
	}
	return ioCounters{rchar: v[0], wchar: v[1], readBytes: v[4], writeBytes: v[5], cancelledWriteBytes: v[6]}
}

// parseIOKeys is parseIO for any order of the lines.
func parseIOKeys(b []byte) ioCounters {
	var c ioCounters
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		colon := bytes.IndexByte(line, ':')
		if colon < 0 {
			continue
		}
		key := line[:colon]
		var v uint64
		for _, ch := range line[colon+1:] {
			if ch >= '0' && ch <= '9' {
				v = v*10 + uint64(ch-'0')
			}
		}
		switch string(key) {
		case "rchar":
			c.rchar = v
		case "wchar":
			c.wchar = v
		case "read_bytes":
			c.readBytes = v
		case "write_bytes":
			c.writeBytes = v
		case "cancelled_write_bytes":
			c.cancelledWriteBytes = v
		}
	}
	return c
}

func parseUint(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			break
		}
		v = v*10 + uint64(c-'0')
	}
	return v
}

// virtualDiskPrefixes are block devices that are not a disk of their own:
// their writes reach a real disk through another device, or never do.
var virtualDiskPrefixes = []string{"loop", "ram", "zram", "dm-", "md", "nbd", "sr", "fd"}

// includeDisk reports whether name is a whole, physical disk given all the
// device names in /proc/diskstats.
func includeDisk(name string, all []string) bool {
	for _, p := range virtualDiskPrefixes {
		if len(name) >= len(p) && name[:len(p)] == p {
			return false
		}
	}
	for _, other := range all {
		if other == name || len(other) >= len(name) || name[:len(other)] != other {
			continue
		}
		suffix := name[len(other):]
		if suffix[0] == 'p' {
			suffix = suffix[1:]
		}
		if suffix != "" && allDigits(suffix) {
			return false // a partition of other
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
