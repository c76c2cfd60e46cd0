//go:build linux

package fileio

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// mounts knows the filesystem type of each mounted device and mount point,
// from /proc/self/mountinfo, read again when a device is not found (a new
// mount).
type mounts struct {
	mu     sync.Mutex
	byDev  map[uint64]string // user-space dev_t -> fstype
	points []mountPoint      // longest first
	byDir  map[string]string // directory -> medium, cached
	loaded bool
}

type mountPoint struct{ dir, fstype string }

var systemMounts = &mounts{}

// load reads /proc/self/mountinfo.
func (m *mounts) load() {
	m.byDev = make(map[uint64]string)
	m.byDir = make(map[string]string)
	m.points = m.points[:0]
	m.loaded = true
	b, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		// 36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw
		f := strings.Fields(sc.Text())
		sep := -1
		for i, x := range f {
			if x == "-" {
				sep = i
				break
			}
		}
		if len(f) < 5 || sep < 0 || sep+1 >= len(f) {
			continue
		}
		fstype := f[sep+1]
		if maj, min, ok := strings.Cut(f[2], ":"); ok {
			a, err1 := strconv.ParseUint(maj, 10, 32)
			c, err2 := strconv.ParseUint(min, 10, 32)
			if err1 == nil && err2 == nil {
				m.byDev[unix.Mkdev(uint32(a), uint32(c))] = fstype
			}
		}
		m.points = append(m.points, mountPoint{dir: unescapeMount(f[4]), fstype: fstype})
	}
	// Longest mount point first; among equal ones the last mounted wins.
	for i := 1; i < len(m.points); i++ {
		for j := i; j > 0 && len(m.points[j].dir) >= len(m.points[j-1].dir); j-- {
			m.points[j], m.points[j-1] = m.points[j-1], m.points[j]
		}
	}
}

// ofDev is the medium of a file on device dev (user-space dev_t); "" when
// no mount of this mount namespace has it (a memfd, another namespace).
func (m *mounts) ofDev(dev uint64) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.loaded {
		m.load()
	}
	t, ok := m.byDev[dev]
	if !ok {
		m.load() // a new mount?
		t, ok = m.byDev[dev]
		if !ok {
			m.byDev[dev] = "" // do not read again for it
		}
	}
	if t == "" {
		return ""
	}
	return fsMedium(t)
}

// ofPath is the medium of the filesystem path is on, by the longest mount
// point that holds it; "" for a path that is not absolute.
func (m *mounts) ofPath(path string) string {
	if !strings.HasPrefix(path, "/") {
		return ""
	}
	dir := path
	if i := strings.LastIndexByte(path, '/'); i > 0 {
		dir = path[:i]
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.loaded {
		m.load()
	}
	if md, ok := m.byDir[dir]; ok {
		return md
	}
	md := ""
	for _, p := range m.points {
		if p.dir == "/" || path == p.dir || strings.HasPrefix(path, p.dir+"/") {
			md = fsMedium(p.fstype)
			break
		}
	}
	if len(m.byDir) > 4096 {
		clear(m.byDir)
	}
	m.byDir[dir] = md
	return md
}
