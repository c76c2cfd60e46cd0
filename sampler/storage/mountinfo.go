package storage

import (
	"bufio"
	"bytes"
	"strings"
)

// Mount is one line of /proc/self/mountinfo (proc(5)).
type Mount struct {
	Major, Minor string // "254", "0"
	Point        string // mount point, unescaped
	FSType       string
	Source       string // "/dev/vda1", "tmpfs"
}

// ParseMountinfo reads /proc/self/mountinfo. Malformed lines are skipped.
func ParseMountinfo(b []byte) []Mount {
	var out []Mount
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		sep := -1
		for i := 6; i < len(f); i++ {
			if f[i] == "-" {
				sep = i
				break
			}
		}
		if len(f) < 5 || sep < 0 || sep+2 >= len(f) {
			continue
		}
		maj, min, ok := strings.Cut(f[2], ":")
		if !ok {
			continue
		}
		out = append(out, Mount{Major: maj, Minor: min, Point: unescapeOctal(f[4]),
			FSType: f[sep+1], Source: unescapeOctal(f[sep+2])})
	}
	return out
}

// unescapeOctal undoes the kernel's \NNN escapes of space, tab, newline
// and backslash in mountinfo paths.
func unescapeOctal(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) {
			b.WriteByte((s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
			i += 3
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// readOnlyImage are filesystems that are read-only images by design
// (snaps' squashfs on loop devices, CD/DVD images): their space is not a
// volume's free space.
var readOnlyImage = map[string]bool{"squashfs": true, "iso9660": true, "udf": true, "erofs": true}

// BlockMounts keeps the mounts of filesystems on a block device (a
// non-zero major number, or a source under /dev/ as btrfs has), one per
// device and filesystem root: the first mount listed, so bind mounts and
// the same filesystem mounted twice count once. Pseudo filesystems (proc,
// sysfs, tmpfs, cgroup, overlay, network shares) and read-only images
// (squashfs, iso9660) are left out.
func BlockMounts(all []Mount) []Mount {
	var out []Mount
	seen := map[string]bool{}
	for _, m := range all {
		if m.Major == "0" && !strings.HasPrefix(m.Source, "/dev/") {
			continue
		}
		if readOnlyImage[m.FSType] {
			continue // a snap or a CD image: always full, never written
		}
		key := m.Major + ":" + m.Minor
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, m)
	}
	return out
}
