package train

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// writerConf is a lab writer's settings file: the file it writes (key
// staging), its steady rate in KiB/s (rate_kib) and an optional burst:
// burst_kib KiB/s for burst_for at the start of every burst_every.
type writerConf struct {
	// source and readKiB: a file it reads at readKiB KiB/s (a backup
	// agent reading what it backs up); dropped from the page cache as it
	// goes, so the reads reach the disk.
	source    string
	readKiB   int
	path      string
	rateKiB   int
	burstKiB  int
	burstEach time.Duration
	burstFor  time.Duration
}

// rateAt is the rate in bytes per second the writer keeps at t.
func (c writerConf) rateAt(t time.Time) int {
	if c.burstEach > 0 && c.burstKiB > 0 && t.Sub(t.Truncate(c.burstEach)) < c.burstFor {
		return c.burstKiB << 10
	}
	return c.rateKiB << 10
}

func readWriterConf(path string) (writerConf, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return writerConf{}, err
	}
	c := writerConf{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok || strings.HasPrefix(strings.TrimSpace(k), "#") {
			continue
		}
		switch strings.TrimSpace(k) {
		case "staging":
			c.path = strings.TrimSpace(v)
		case "source":
			c.source = strings.TrimSpace(v)
		case "read_kib":
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n > 65536 {
				return c, fmt.Errorf("%s: read_kib %q: give 0 to 65536", path, v)
			}
			c.readKiB = n
		case "rate_kib", "burst_kib":
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n > 65536 {
				return c, fmt.Errorf("%s: %s %q: give 0 to 65536", path, strings.TrimSpace(k), v)
			}
			if strings.TrimSpace(k) == "rate_kib" {
				c.rateKiB = n
			} else {
				c.burstKiB = n
			}
		case "burst_every", "burst_for":
			d, err := time.ParseDuration(strings.TrimSpace(v))
			if err != nil || d < 0 {
				return c, fmt.Errorf("%s: %s %q: give a duration such as 60s", path, strings.TrimSpace(k), v)
			}
			if strings.TrimSpace(k) == "burst_every" {
				c.burstEach = d
			} else {
				c.burstFor = d
			}
		}
	}
	if c.path == "" {
		return c, fmt.Errorf("%s: staging= is missing", path)
	}
	return c, nil
}

// RunWriter is a lab writer process (`hvrdoctor train _writer CONF`, run
// under the name of the program it stands for): it overwrites a 16 MiB
// region of the staging file at the configured rate (bursts included),
// each tenth of a second, with fsync so the bytes reach the disk, rereads CONF on SIGHUP and exits on SIGTERM. It
// returns the exit code.
func RunWriter(conf string) int {
	c, err := readWriterConf(conf)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	var f *os.File
	open := func() error {
		if f != nil {
			f.Close()
		}
		f, err = os.OpenFile(c.path, os.O_RDWR|os.O_CREATE, 0o600)
		return err
	}
	if err := open(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	const region = 16 << 20
	chunk := make([]byte, 1<<20)
	for i := range chunk {
		chunk[i] = byte(i * 7)
	}
	var off, roff int64
	rbuf := make([]byte, 1<<20)
	tk := time.NewTicker(time.Second / 10)
	defer tk.Stop()
	for {
		select {
		case s := <-sigs:
			if s != syscall.SIGHUP {
				f.Close()
				return 0
			}
			if nc, err := readWriterConf(conf); err != nil {
				fmt.Fprintln(os.Stderr, "reload:", err)
			} else {
				c = nc
				if err := open(); err != nil {
					fmt.Fprintln(os.Stderr, "reload:", err)
				}
			}
		case <-tk.C:
			n := c.rateAt(time.Now()) / 10
			for n > 0 {
				w := min(n, len(chunk))
				if _, err := f.WriteAt(chunk[:w], off); err != nil {
					fmt.Fprintln(os.Stderr, err)
					return 1
				}
				off = (off + int64(w)) % region
				n -= w
			}
			f.Sync()
			if c.source != "" && c.readKiB > 0 {
				roff = readSome(c.source, rbuf, roff, c.readKiB<<10/10)
			}
		}
	}
}

// readSome reads n bytes of path from off (wrapping at its end), then
// drops the whole file from the page cache (read-ahead included), and
// returns the next offset.
func readSome(path string, buf []byte, off int64, n int) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	for n > 0 {
		k, err := f.ReadAt(buf[:min(n, len(buf))], off)
		off += int64(k)
		n -= k
		if err != nil || k == 0 {
			off = 0
			if k == 0 {
				break
			}
		}
	}
	dropCache(f, 0, 0)
	return off
}
