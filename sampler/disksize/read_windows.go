package disksize

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

// ioctlDiskGetDriveGeometryEx is IOCTL_DISK_GET_DRIVE_GEOMETRY_EX
// (FILE_ANY_ACCESS, so a handle opened without read access may ask). Its
// output is DISK_GEOMETRY_EX: a 24-byte DISK_GEOMETRY, then DiskSize as a
// LARGE_INTEGER.
const ioctlDiskGetDriveGeometryEx = 0x000700A0

// maxDrives is how many \\.\PhysicalDriveN are tried (numbers can have
// gaps).
const maxDrives = 64

// read asks each physical drive for its size. Built and vetted only
// (GOOS=windows go vet); never run: there is no Windows host here.
func read() ([]Disk, error) {
	var out []Disk
	var firstErr error
	for i := 0; i < maxDrives; i++ {
		name := fmt.Sprintf(`\\.\PhysicalDrive%d`, i)
		p, err := windows.UTF16PtrFromString(name)
		if err != nil {
			continue
		}
		h, err := windows.CreateFile(p, 0, windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE, nil, windows.OPEN_EXISTING, 0, 0)
		if err != nil {
			if !errors.Is(err, windows.ERROR_FILE_NOT_FOUND) && firstErr == nil {
				firstErr = err
			}
			continue
		}
		var buf [256]byte
		var n uint32
		err = windows.DeviceIoControl(h, ioctlDiskGetDriveGeometryEx, nil, 0, &buf[0], uint32(unsafe.Sizeof(buf)), &n, nil)
		windows.CloseHandle(h)
		if err != nil || n < 32 {
			if firstErr == nil && err != nil {
				firstErr = err
			}
			continue
		}
		if size := int64(binary.LittleEndian.Uint64(buf[24:32])); size > 0 {
			out = append(out, Disk{Name: fmt.Sprintf("PhysicalDrive%d", i), Bytes: size})
		}
	}
	if len(out) == 0 {
		if firstErr != nil {
			return nil, fmt.Errorf("disk sizes: %v; give --disk-size", firstErr)
		}
		return nil, errors.New("disk sizes: no physical drive found; give --disk-size")
	}
	return out, nil
}
