// Package disksize reads the sizes of this machine's whole disks, for the
// guest-side resync forecast: Hyper-V Replica resynchronizes when the
// change log exceeds half the VM's total virtual disk size, and inside a
// guest the virtual disks are its whole disks.
package disksize

import (
	"fmt"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/internal/units"
)

// Disk is one whole disk and its size in bytes.
type Disk struct {
	Name  string
	Bytes int64
}

// Total is the sum of the disks' sizes.
func Total(ds []Disk) int64 {
	var t int64
	for _, d := range ds {
		t += d.Bytes
	}
	return t
}

// Describe names the disks and their sizes for a basis line: "whole disks
// read on this machine: vda 256 GiB, vdb 40 GiB".
func Describe(ds []Disk) string {
	parts := make([]string, 0, len(ds))
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%s %s", d.Name, units.Bytes(float64(d.Bytes))))
	}
	return "whole disks read on this machine: " + strings.Join(parts, ", ")
}

// Read returns this machine's whole disks (Linux: /sys/block; Windows: the
// physical drives); an error says why none could be read.
func Read() ([]Disk, error) { return read() }
