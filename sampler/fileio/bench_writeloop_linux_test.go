//go:build linux && (amd64 || arm64)

package fileio

import (
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"
)

// BenchmarkWriteLoop4KiB measures one 4 KiB write(2) to a page-cached file
// (rewound every 256 writes, so it stays at 1 MiB) with, attached
// system-wide as in use:
//
//	ebpf=off        nothing
//	ebpf=on         the eBPF backend as Open picks it (fexit where the
//	                kernel allows trampolines, else the BTF sys_exit program)
//	ebpf=raw_tp     the backend forced to its portable sys_exit variant
//	empty=sys_exit  an empty program on the sys_exit raw tracepoint: the
//	                floor of any sys_exit design
//	empty=fexit     an empty fexit program on vfs_write: the floor of the
//	                fexit design (skipped where the kernel refuses fexit)
//
// With -count N the cases alternate N times; scripts/bench-fileio.sh prints
// each case's median and its ratio to ebpf=off.
func BenchmarkWriteLoop4KiB(b *testing.B) {
	cases := []struct {
		name   string
		attach func() (func(), error)
	}{
		{"ebpf=off", func() (func(), error) { return func() {}, nil }},
		{"ebpf=on", func() (func(), error) { return openVariants(ebpfVariants) }},
		{"ebpf=raw_tp", func() (func(), error) { return openVariants([]ebpfVariant{sysExitVariant}) }},
		{"empty=sys_exit", func() (func(), error) { return attachEmpty(ebpf.AttachTraceRawTp, "sys_exit") }},
		{"empty=fexit", func() (func(), error) { return attachEmpty(ebpf.AttachTraceFExit, "vfs_write") }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			detach, err := c.attach()
			if err != nil {
				b.Skipf("%s: %v", c.name, err)
			}
			defer detach()
			writeLoop(b)
		})
	}
}

// writeLoop writes 4 KiB b.N times.
func writeLoop(b *testing.B) {
	f, err := os.Create(filepath.Join(b.TempDir(), "loop.dat"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	fd := int(f.Fd())
	buf := make([]byte, 4096)
	b.SetBytes(4096)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i&255 == 0 {
			unix.Seek(fd, 0, io.SeekStart)
		}
		if _, err := unix.Write(fd, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// openVariants opens the eBPF backend restricted to the given variants.
func openVariants(vs []ebpfVariant) (func(), error) {
	all := ebpfVariants
	ebpfVariants = vs
	defer func() { ebpfVariants = all }()
	s, err := openEBPF(&stepClock{step: time.Second})
	if err != nil {
		return nil, err
	}
	return func() { s.Close() }, nil
}

// attachEmpty attaches a program that only returns 0, as a control.
func attachEmpty(at ebpf.AttachType, to string) (func(), error) {
	_, detach, err := loadEmpty(at, to)
	return detach, err
}

// loadEmpty loads and attaches a program that only returns 0.
func loadEmpty(at ebpf.AttachType, to string) (*ebpf.Program, func(), error) {
	p, err := ebpf.NewProgram(&ebpf.ProgramSpec{
		Type: ebpf.Tracing, AttachType: at, AttachTo: to, License: "Dual MIT/GPL",
		Instructions: asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()},
	})
	if err != nil {
		return nil, nil, err
	}
	l, err := link.AttachTracing(link.TracingOptions{Program: p, AttachType: at})
	if err != nil {
		p.Close()
		return nil, nil, err
	}
	return p, func() { l.Close(); p.Close() }, nil
}

// BenchmarkCounterRunTime runs the same write loop with the kernel's BPF
// run-time statistics on, and reports what the counting program itself
// costs: prog-ns/run (the program body, as the kernel times it) and
// runs/op (program runs per write: a sys_exit program also runs for the
// loop's lseek and for every other process's system calls). What the
// write loop pays beyond that is the hook: the trampoline for fexit, the
// syscall-tracing slow path for sys_exit (see the empty controls of
// BenchmarkWriteLoop4KiB). ns/op here includes the statistics' own clock
// reads, so compare ns/op in BenchmarkWriteLoop4KiB only.
func BenchmarkCounterRunTime(b *testing.B) {
	type attached struct {
		progs []*ebpf.Program
		close func()
	}
	cases := []struct {
		name   string
		attach func() (attached, error)
	}{
		{"empty=sys_exit", func() (attached, error) {
			p, detach, err := loadEmpty(ebpf.AttachTraceRawTp, "sys_exit")
			return attached{[]*ebpf.Program{p}, detach}, err
		}},
	}
	for _, v := range []ebpfVariant{fexitVariant, sysExitBTFVariant, sysExitVariant} {
		cases = append(cases, struct {
			name   string
			attach func() (attached, error)
		}{"ebpf=" + v.name, func() (attached, error) {
			all := ebpfVariants
			ebpfVariants = []ebpfVariant{v}
			defer func() { ebpfVariants = all }()
			s, err := openEBPF(&stepClock{step: time.Second})
			if err != nil {
				return attached{}, err
			}
			return attached{s.objs.progs, func() { s.Close() }}, nil
		}})
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			a, err := c.attach()
			if err != nil {
				b.Skipf("%s: %v", c.name, err)
			}
			defer a.close()
			stats, err := ebpf.EnableStats(unix.BPF_STATS_RUN_TIME)
			if err != nil {
				b.Skipf("BPF run-time statistics unavailable: %v", err)
			}
			defer stats.Close()
			before := progStats(b, a.progs)
			writeLoop(b)
			b.StopTimer()
			after := progStats(b, a.progs)
			runs := after.RunCount - before.RunCount
			if runs == 0 {
				b.Fatal("the program never ran")
			}
			b.ReportMetric(float64(after.Runtime-before.Runtime)/float64(runs), "prog-ns/run")
			b.ReportMetric(float64(runs)/float64(b.N), "runs/op")
		})
	}
}

// progStats sums the run-time statistics of programs.
func progStats(b *testing.B, progs []*ebpf.Program) ebpf.ProgramStats {
	var sum ebpf.ProgramStats
	for _, p := range progs {
		st, err := p.Stats()
		if err != nil {
			b.Fatalf("program statistics: %v", err)
		}
		sum.Runtime += st.Runtime
		sum.RunCount += st.RunCount
	}
	return sum
}
