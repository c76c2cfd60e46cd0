package fileio

import (
	"context"
	"errors"
	"os"
	"runtime"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/blockio"
)

// Disk bytes beside the per-file backends' page-cache bytes: where the
// block-layer source (sampler/blockio) loads, Open runs it with the
// chosen backend, and each Interval carries its reading (Interval.Disk)
// and the per-file disk bytes (FileActivity.DiskWriteBytes).

// diskSource is a per-file Source with the block-layer source beside it.
type diskSource struct {
	Source
	disk blockio.Source
}

// withDisk opens the block-layer source beside s (Linux, as root). It
// returns s wrapped when it loads, else s with Info().DiskReason saying
// why not.
func withDisk(s Source, opts Options) Source {
	if opts.NoDiskBytes {
		return &noDisk{Source: s, reason: "disk bytes left out (--files off or the caller's choice)"}
	}
	if runtime.GOOS != "linux" {
		return s
	}
	if os.Geteuid() != 0 {
		return &noDisk{Source: s, reason: "not root: no block-layer disk bytes"}
	}
	d, err := blockio.Open(opts.clock())
	if err != nil {
		return &noDisk{Source: s, reason: err.Error()}
	}
	return &diskSource{Source: s, disk: d}
}

func (d *diskSource) Info() Info {
	i := d.Source.Info()
	i.DiskBytes = true
	di := d.disk.Info()
	i.DiskReason = "block layer (" + di.Hooks + "): " + di.Counts + "; misses: " + di.Limits
	return i
}

func (d *diskSource) Read(ctx context.Context) (Interval, error) {
	iv, err := d.Source.Read(ctx)
	if err != nil {
		return iv, err
	}
	div, err := d.disk.Read(ctx)
	if err != nil {
		return iv, err
	}
	iv.Disk = &div
	addDiskFiles(&iv, div)
	return iv, nil
}

func (d *diskSource) Close() error {
	return errors.Join(d.disk.Close(), d.Source.Close())
}

// noDisk is a Source whose Info says why there are no disk bytes.
type noDisk struct {
	Source
	reason string
}

func (n *noDisk) Info() Info {
	i := n.Source.Info()
	i.DiskReason = n.reason
	return i
}

// addDiskFiles puts each (process, file) pair's disk bytes on the
// interval's row of the same process and path, or on a row of its own
// (no page-cache bytes: written back after its writer's last write, or a
// kernel row's file).
func addDiskFiles(iv *Interval, div blockio.Interval) {
	type pidPath struct {
		pid  int32
		path string
	}
	at := make(map[pidPath]int, len(iv.Files))
	for i := range iv.Files {
		at[pidPath{iv.Files[i].Key.Proc.PID, iv.Files[i].Key.Path}] = i
	}
	for _, f := range div.Files {
		io := sampler.DiskIO{WriteBytes: f.WriteBytes, ReadBytes: f.ReadBytes, IONanos: f.IONanos, IOCount: f.IOCount}
		if i, ok := at[pidPath{f.Proc.PID, f.Path}]; ok && !blockio.IsPseudo(f.Proc) {
			iv.Files[i].DiskWriteBytes += f.WriteBytes
			iv.Files[i].DiskIONanos += f.IONanos
			iv.Files[i].DiskIOCount += f.IOCount
			addOnDisk(&iv.Files[i], f.Disk, io)
			continue
		}
		if f.WriteBytes == 0 {
			continue
		}
		iv.Files = append(iv.Files, FileActivity{
			Key:            FileKey{Proc: f.Proc, Path: f.Path},
			Name:           f.Name,
			DiskWriteBytes: f.WriteBytes,
			DiskIONanos:    f.IONanos,
			DiskIOCount:    f.IOCount,
			Medium:         MediumDisk,
			Via:            "disk only",
		})
		addOnDisk(&iv.Files[len(iv.Files)-1], f.Disk, io)
		if !blockio.IsPseudo(f.Proc) {
			at[pidPath{f.Proc.PID, f.Path}] = len(iv.Files) - 1
		}
	}
}

// addOnDisk adds a pair's figures on disk to a.OnDisk.
func addOnDisk(a *FileActivity, disk string, io sampler.DiskIO) {
	if a.OnDisk == nil {
		a.OnDisk = make(map[string]sampler.DiskIO, 1)
	}
	d := a.OnDisk[disk]
	d.Add(io)
	a.OnDisk[disk] = d
}

// DiskActivity is the interval's disk bytes on the frame's disks (f.Disks)
// for sampler.Engine.ApplyDiskBytes, and false when the block-layer source
// does not run.
func (iv Interval) DiskActivity(f *sampler.Frame) ([]sampler.DiskActivity, bool) {
	if iv.Disk == nil || f == nil {
		return nil, false
	}
	return blockio.External(*iv.Disk, f.Disks), true
}
