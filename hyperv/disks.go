package hyperv

// Disk is one virtual hard disk of a VM with its virtual size, from
// `Get-VM | Get-VMHardDiskDrive | ForEach-Object { Get-VHD -Path $_.Path |
// Select-Object @{n='VMName';e={...}}, Path, Size, FileSize }` (Get-VHD's
// Size is the virtual size in bytes, FileSize the file's size).
type Disk struct {
	VMName, Path   string
	Size, FileSize int64
}

func disks(objs []map[string]any) []Disk {
	var out []Disk
	for _, o := range objs {
		p := props(o)
		d := Disk{VMName: p.str("VMName"), Path: p.str("Path")}
		d.Size, _ = p.int64Of("Size")
		d.FileSize, _ = p.int64Of("FileSize")
		if d.VMName == "" || d.Size == 0 {
			continue
		}
		out = append(out, d)
	}
	return out
}
