package sampler

import (
	"strings"
	"testing"
)

func TestParseStat(t *testing.T) {
	// comm may contain spaces and parentheses: it runs to the last ')'.
	line := []byte("4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 1 0 987654 1000 10 18446744073709551615\n")
	st, ok := parseStat(line)
	if !ok || string(st.comm) != "my (odd) name" || st.start != 987654 || st.ppid != 1 || st.flags != 4194560 || st.flags&pfKthread != 0 {
		t.Fatalf("parseStat = %q start %d ppid %d flags %d ok %v, want \"my (odd) name\" 987654 1 4194560", st.comm, st.start, st.ppid, st.flags, ok)
	}
	// kthreadd as read on this machine's kernel: PF_KTHREAD (0x00200000)
	// is set in field 9; the start time is the last field here.
	kthreadd := []byte("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 20\n")
	if st, ok := parseStat(kthreadd); !ok || st.flags&pfKthread == 0 || st.ppid != 0 || st.start != 20 {
		t.Errorf("parseStat(kthreadd) = %+v %v, want a kernel thread, PPID 0, start 20", st, ok)
	}
	for _, bad := range []string{"", "12 (x", "12 (x) S 1 2", "12 (x) S one 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20",
		"12 (x) S 1 2 3 4 5 -1 7 8 9 10 11 12 13 14 15 16 17 18 19 20"} {
		if _, ok := parseStat([]byte(bad)); ok {
			t.Errorf("parseStat(%q) ok, want failure", bad)
		}
	}
}

func TestParseIO(t *testing.T) {
	got := parseIO([]byte("rchar: 6976\nwchar: 123\nsyscr: 10\nsyscw: 2\nread_bytes: 4096\nwrite_bytes: 52428800\ncancelled_write_bytes: 8192\n"))
	want := ioCounters{rchar: 6976, wchar: 123, readBytes: 4096, writeBytes: 52428800, cancelledWriteBytes: 8192}
	if got != want {
		t.Errorf("parseIO = %+v, want %+v", got, want)
	}
	// Another order, an extra line, a missing final newline: the keys
	// still decide.
	for _, text := range []string{
		"wchar: 123\nrchar: 6976\nsyscr: 10\nsyscw: 2\nread_bytes: 4096\nwrite_bytes: 52428800\ncancelled_write_bytes: 8192\n",
		"rchar: 6976\nwchar: 123\nsyscr: 10\nnew_field: 5\nsyscw: 2\nread_bytes: 4096\nwrite_bytes: 52428800\ncancelled_write_bytes: 8192\n",
		"rchar: 6976\nwchar: 123\nsyscr: 10\nsyscw: 2\nread_bytes: 4096\nwrite_bytes: 52428800\ncancelled_write_bytes: 8192",
	} {
		if got := parseIO([]byte(text)); got != want {
			t.Errorf("parseIO(%q) = %+v, want %+v", text, got, want)
		}
	}
}

func TestIncludeDisk(t *testing.T) {
	all := []string{"loop0", "loop10", "ram0", "zram0", "sda", "sda1", "sda2", "sdaa", "sdaa1", "nvme0n1", "nvme0n1p1",
		"dm-0", "md127", "sr0", "vda", "vda15", "mmcblk0", "mmcblk0p1", "xvda", "nbd0"}
	var got []string
	for _, n := range all {
		if includeDisk(n, all) {
			got = append(got, n)
		}
	}
	want := "sda sdaa nvme0n1 vda mmcblk0 xvda"
	if strings.Join(got, " ") != want {
		t.Errorf("whole physical disks = %q, want %q", strings.Join(got, " "), want)
	}
}

func TestImageName(t *testing.T) {
	cases := []struct{ comm, cmdline, want string }{
		{"systemd-journal", "/usr/lib/systemd/systemd-journald", "systemd-journald"},
		{"unattended-upgr", "/usr/bin/python3 /usr/bin/unattended-upgrade", "unattended-upgr"},
		{"dd", "dd if=/dev/zero", "dd"},
		{"kworker/0:1-eve", "", "kworker/0:1-eve"},
		// Started from a memfd: comm is the memfd's name, argv[0] the program's.
		{"memfd:sealed-91", "/usr/bin/runc init", "runc"},
		{"memfd:x", "sleep 30", "sleep"},
		{"memfd:x", "", "memfd:x"},
		{"memfd:x", "memfd:x", "memfd:x"},
	}
	for _, c := range cases {
		if got := imageName(c.comm, c.cmdline); got != c.want {
			t.Errorf("imageName(%q, %q) = %q, want %q", c.comm, c.cmdline, got, c.want)
		}
	}
}

// The small parsers refuse what the kernel never writes instead of
// returning a wrong number.
func TestParsePIDDecCmdline(t *testing.T) {
	for name, want := range map[string]int32{"1\x00": 1, "4242\x00junk": 4242, "2147483647": 1<<31 - 1} {
		if got, ok := parsePID([]byte(name)); !ok || got != want {
			t.Errorf("parsePID(%q) = %d %v, want %d", name, got, ok, want)
		}
	}
	for _, name := range []string{"", "\x00", "self", "12a", "2147483648", "-1"} {
		if got, ok := parsePID([]byte(name)); ok {
			t.Errorf("parsePID(%q) = %d, want refused", name, got)
		}
	}
	if v, ok := parseDec([]byte("18446744073709551615")); !ok || v != 1<<64-1 {
		t.Errorf("parseDec(max uint64) = %d %v", v, ok)
	}
	for _, s := range []string{"", "1 ", "-5", "123456789012345678901"} {
		if v, ok := parseDec([]byte(s)); ok {
			t.Errorf("parseDec(%q) = %d, want refused", s, v)
		}
	}
	if got := parseUint([]byte("512 rest")); got != 512 {
		t.Errorf("parseUint stops at the first non-digit: %d", got)
	}
	if got := cmdlineString([]byte("/usr/bin/dd\x00if=/dev/zero\x00of=x\x00\x00")); got != "/usr/bin/dd if=/dev/zero of=x" {
		t.Errorf("cmdlineString = %q", got)
	}
	if _, ok := parseStat([]byte("4242 (truncated")); ok {
		t.Errorf("parseStat accepted a line without the closing parenthesis")
	}
	if _, ok := parseStat([]byte("4242 (x) S 1 2 3")); ok {
		t.Errorf("parseStat accepted a line cut before the start time")
	}
}
