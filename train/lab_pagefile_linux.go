package train

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// swapDirRoot is where the lab's swap files go: a disk, not tmpfs.
const swapDirRoot = "/var/tmp"

// allocate creates path with n bytes allocated on the disk (no holes, so
// the paging does not allocate blocks as it goes).
func allocate(path string, n int64) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := unix.Fallocate(int(f.Fd()), 0, 0, n); err != nil {
		return fmt.Errorf("allocate %s: %w", path, err)
	}
	return nil
}

// memCgroupRoot is where cgroup v1's memory controller is mounted.
const memCgroupRoot = "/sys/fs/cgroup/memory"

func pagefileAvailable() error {
	if err := labsSupported(); err != nil {
		return err
	}
	if os.Geteuid() != 0 {
		return errors.New("the page-file lab needs root (swapon, a memory cgroup)")
	}
	var fs unix.Statfs_t
	if err := unix.Statfs(swapDirRoot, &fs); err != nil || fs.Type == unix.TMPFS_MAGIC {
		return fmt.Errorf("the page-file lab needs %s on a disk (not tmpfs) for its swap files", swapDirRoot)
	}
	if _, err := os.Stat(filepath.Join(memCgroupRoot, "memory.limit_in_bytes")); err != nil {
		return fmt.Errorf("the page-file lab needs cgroup v1's memory controller at %s", memCgroupRoot)
	}
	for _, p := range []string{"losetup", "mkswap", "swapon", "swapoff"} {
		if _, err := exec.LookPath(p); err != nil {
			return fmt.Errorf("%s not found on PATH (apt-get install util-linux mount)", p)
		}
	}
	return nil
}

// pagefileLab runs the workload in a memory cgroup limited below what it
// uses, with two swap devices (loop devices, with direct I/O, on files in /var/tmp): the
// "replicated" one, on at start, and the "other disk" one, prepared but
// off. Everything it creates is released by stop, and by releaseKernel
// when its supervisor is gone.
type pagefileLab struct {
	dir, swapDir, cgroup, conf string
	replicated, other          string // /dev/loopN
	cmd                        *exec.Cmd
	done                       chan struct{}
}

func startPagefileLab(ctx context.Context, dir string) (running, error) {
	l := &pagefileLab{dir: dir, conf: filepath.Join(dir, pagerName+".conf")}
	fail := func(err error) (running, error) {
		l.stop()
		return nil, fmt.Errorf("lab pagefile: %w", err)
	}
	var err error
	// The swap files are on a real disk (/var/tmp, not tmpfs) and the
	// loop devices read and write them with direct I/O, so that the paging
	// reaches that disk as the loop driver's own requests, which the
	// block-layer sampler counts (it leaves loop devices out of its
	// totals: their bytes reach a real disk through another device).
	if l.swapDir, err = os.MkdirTemp(swapDirRoot, "hvrdoctor-train-swap-"); err != nil {
		return fail(err)
	}
	for _, dev := range []*string{&l.replicated, &l.other} {
		name := "replicated.swap"
		if dev == &l.other {
			name = "other-disk.swap"
		}
		f := filepath.Join(l.swapDir, name)
		if err := allocate(f, swapMiB<<20); err != nil {
			return fail(err)
		}
		out, err := runTool(ctx, "losetup", "--direct-io=on", "-f", "--show", f)
		if err != nil {
			return fail(err)
		}
		*dev = strings.TrimSpace(out)
		if _, err := runTool(ctx, "mkswap", *dev); err != nil {
			return fail(err)
		}
	}
	if l.cgroup, err = os.MkdirTemp(memCgroupRoot, "hvrdoctor-train-"); err != nil {
		return fail(err)
	}
	if err := setLimit(l.cgroup, pagerLimitMiB); err != nil {
		return fail(err)
	}
	conf := fmt.Sprintf("# %s (the lab's workload) settings. It rereads them on SIGHUP.\ncgroup=%s\nsize_mib=%d\ntouch_kib=%d\n", pagerName, l.cgroup, pagerMiB, pagerTouchKiB)
	if err := os.WriteFile(l.conf, []byte(conf), 0o644); err != nil {
		return fail(err)
	}
	// The swap on the replicated disk is on before the workload starts,
	// so that it pages out there and not to nowhere (the OOM killer).
	if err := l.breakLab(ctx); err != nil {
		return fail(err)
	}
	exe, err := os.Executable()
	if err != nil {
		return fail(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o700); err != nil {
		return fail(err)
	}
	link := filepath.Join(dir, "bin", pagerName)
	if err := os.Symlink(exe, link); err != nil {
		return fail(err)
	}
	l.cmd = exec.Command(link, "train", "_pager", l.conf)
	l.cmd.Dir = dir
	lf, err := os.Create(filepath.Join(dir, pagerName+".log"))
	if err != nil {
		return fail(err)
	}
	l.cmd.Stdout, l.cmd.Stderr = lf, lf
	err = l.cmd.Start()
	lf.Close()
	if err != nil {
		l.cmd = nil
		return fail(err)
	}
	l.done = make(chan struct{})
	go func() { l.cmd.Wait(); close(l.done) }()
	return l, nil
}

func (l *pagefileLab) info() labInfo {
	return labInfo{
		vars: map[string]string{"agent_name": pagerName, "agent_pid": strconv.Itoa(l.cmd.Process.Pid), "cgroup": l.cgroup,
			"replicated_swap": l.replicated, "other_swap": l.other,
			"replicated_disk": filepath.Base(l.replicated), "other_disk": filepath.Base(l.other)},
		procs: []Proc{{PID: l.cmd.Process.Pid, Name: "_pager"}},
		dirs:  []string{l.swapDir},
	}
}

// breakLab puts the page file back on the replicated disk and the
// memory limit back below what the workload uses.
func (l *pagefileLab) breakLab(ctx context.Context) error {
	on := activeSwaps()
	if !on[l.replicated] {
		if _, err := runTool(ctx, "swapon", "-p", "5", l.replicated); err != nil {
			return err
		}
	}
	if on[l.other] {
		if _, err := runTool(ctx, "swapoff", l.other); err != nil {
			return err
		}
	}
	return setLimit(l.cgroup, pagerLimitMiB)
}

func (l *pagefileLab) reload(context.Context) error { return nil }

func (l *pagefileLab) stop() error {
	if l.cmd != nil && l.done != nil {
		select {
		case <-l.done:
		default:
			signalProc(l.cmd.Process.Pid, "term")
			select {
			case <-l.done:
			case <-time.After(5 * time.Second):
				l.cmd.Process.Kill()
				<-l.done
			}
		}
	}
	var errs []error
	if l.swapDir != "" {
		errs = append(errs, releaseLoops(l.swapDir))
		errs = append(errs, removeTree(l.swapDir))
	}
	if l.cgroup != "" {
		errs = append(errs, removeCgroup(l.cgroup))
	}
	return errors.Join(errs...)
}

// releaseKernel swaps off and detaches the loop devices of a lab's
// recorded directories and removes its memory cgroup: what stop must
// release when the supervisor is gone (its processes are killed first).
func releaseKernel(st *State) {
	for _, d := range st.Dirs {
		if strings.HasPrefix(d, swapDirRoot+"/hvrdoctor-train-swap-") {
			releaseLoops(d)
		}
	}
	if cg := st.Vars["cgroup"]; strings.HasPrefix(cg, memCgroupRoot+"/hvrdoctor-train-") {
		removeCgroup(cg)
	}
}

// releaseLoops swaps off and detaches every loop device whose backing
// file is in dir.
func releaseLoops(dir string) error {
	var errs []error
	for _, dev := range loopsUnder(dir) {
		if activeSwaps()[dev] {
			if _, err := runTool(context.Background(), "swapoff", dev); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		if _, err := runTool(context.Background(), "losetup", "-d", dev); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// loopsUnder lists the loop devices (/dev/loopN) backed by a file in dir.
func loopsUnder(dir string) []string {
	files, _ := filepath.Glob("/sys/block/loop*/loop/backing_file")
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		back := strings.TrimSuffix(strings.TrimSpace(string(b)), " (deleted)")
		if strings.HasPrefix(back, dir+"/") {
			out = append(out, "/dev/"+filepath.Base(filepath.Dir(filepath.Dir(f))))
		}
	}
	return out
}

// removeCgroup removes a memory cgroup once its tasks are gone (up to
// 5 s: a killed process leaves it a moment later).
func removeCgroup(dir string) error {
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := unix.Rmdir(dir)
		if err == nil || errors.Is(err, unix.ENOENT) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("remove %s: %w", dir, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// activeSwaps is the set of swap areas in use (/proc/swaps).
func activeSwaps() map[string]bool {
	b, _ := os.ReadFile("/proc/swaps")
	on := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) > 0 && f[0] != "Filename" {
			on[f[0]] = true
		}
	}
	return on
}

func setLimit(cgroup string, mib int) error {
	return os.WriteFile(filepath.Join(cgroup, "memory.limit_in_bytes"), []byte(strconv.Itoa(mib<<20)), 0o644)
}

func readLimit(cgroup string) (int64, error) {
	b, err := os.ReadFile(filepath.Join(cgroup, "memory.limit_in_bytes"))
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
}

// diskWrites is the bytes written to a block device so far
// (/sys/block/NAME/stat, sectors written).
func diskWrites(name string) (uint64, error) {
	b, err := os.ReadFile("/sys/block/" + name + "/stat")
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(b))
	if len(f) < 7 {
		return 0, fmt.Errorf("/sys/block/%s/stat: %d fields", name, len(f))
	}
	n, err := strconv.ParseUint(f[6], 10, 64)
	return n * 512, err
}

func runTool(ctx context.Context, name string, args ...string) (string, error) {
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(cctx, name, args...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, oneLine(string(out)))
	}
	return string(out), nil
}

// pagefileProblems checks the lab's real state: the workload still runs
// (it must go on); either the swap on the replicated disk is off or the
// workload's memory limit holds it (pagerEnoughMiB); and nothing is
// written to the replicated disk's swap device for 2.5 seconds.
func pagefileProblems(ctx context.Context, _ Targets, vars map[string]string) []string {
	var out []string
	pid, _ := strconv.Atoi(vars["agent_pid"])
	if !procAlive(pid, "_pager") {
		out = append(out, fmt.Sprintf("%s (pid %d) no longer runs: the workload must go on; give it memory or move the swap instead", vars["agent_name"], pid))
	}
	limit, err := readLimit(vars["cgroup"])
	if err != nil {
		return append(out, "the workload's memory cgroup: "+err.Error())
	}
	if activeSwaps()[vars["replicated_swap"]] && limit < pagerEnoughMiB<<20 {
		out = append(out, fmt.Sprintf("swap is on the replicated disk (%s) and %s's memory limit is %d MiB for the %d MiB it uses",
			vars["replicated_swap"], vars["agent_name"], limit>>20, pagerMiB))
	}
	disk := vars["replicated_disk"]
	before, err := diskWrites(disk)
	if err != nil {
		return append(out, "replicated disk: "+err.Error())
	}
	select {
	case <-ctx.Done():
		return append(out, ctx.Err().Error())
	case <-time.After(2500 * time.Millisecond):
	}
	after, err := diskWrites(disk)
	if err != nil {
		return append(out, "replicated disk: "+err.Error())
	}
	if after > before {
		out = append(out, fmt.Sprintf("%d KiB written to the replicated disk's swap (%s) during the check", (after-before)>>10, vars["replicated_swap"]))
	}
	return out
}

// RunPager is the page-file lab's workload (`hvrdoctor train _pager
// CONF`, run under the workload's name): it joins the memory cgroup
// CONF names, maps size_mib MiB, touches all of it, then touches
// touch_kib KiB of it per second in turn, so that beyond the cgroup's
// limit the kernel pages it out and in; it rereads CONF on SIGHUP and
// exits on SIGTERM. It returns the exit code.
func RunPager(conf string) int {
	c, err := readPagerConf(conf)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := os.WriteFile(filepath.Join(c.cgroup, "cgroup.procs"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "join the memory cgroup:", err)
		return 1
	}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	mem, err := unix.Mmap(-1, 0, c.sizeMiB<<20, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		fmt.Fprintln(os.Stderr, "map memory:", err)
		return 1
	}
	const page = 4096
	for i := 0; i < len(mem); i += page {
		mem[i] = 1
	}
	off := 0
	tk := time.NewTicker(time.Second / 10)
	defer tk.Stop()
	for {
		select {
		case s := <-sigs:
			if s != syscall.SIGHUP {
				return 0
			}
			if nc, err := readPagerConf(conf); err != nil {
				fmt.Fprintln(os.Stderr, "reload:", err)
			} else {
				c.touchKiB = nc.touchKiB
			}
		case <-tk.C:
			for n := c.touchKiB << 10 / 10; n > 0; n -= page {
				mem[off]++
				off = (off + page) % len(mem)
			}
		}
	}
}

// pagerConf is the page-file lab workload's settings file.
type pagerConf struct {
	cgroup            string
	sizeMiB, touchKiB int
}

func readPagerConf(path string) (pagerConf, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return pagerConf{}, err
	}
	c := pagerConf{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok || strings.HasPrefix(k, "#") {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "cgroup":
			c.cgroup = v
		case "size_mib", "touch_kib":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1024*1024 {
				return c, fmt.Errorf("%s: %s %q: give a number from 1", path, k, v)
			}
			if k == "size_mib" {
				c.sizeMiB = n
			} else {
				c.touchKiB = n
			}
		}
	}
	if c.cgroup == "" || c.sizeMiB == 0 {
		return c, fmt.Errorf("%s: cgroup= and size_mib= are needed", path)
	}
	return c, nil
}
