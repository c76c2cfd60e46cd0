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
// staging) and its rate in MiB/s (key rate_mib).
type writerConf struct {
	path    string
	rateMiB int
}

func readWriterConf(path string) (writerConf, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return writerConf{}, err
	}
	c := writerConf{rateMiB: 4}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok || strings.HasPrefix(strings.TrimSpace(k), "#") {
			continue
		}
		switch strings.TrimSpace(k) {
		case "staging":
			c.path = strings.TrimSpace(v)
		case "rate_mib":
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 1 || n > 64 {
				return c, fmt.Errorf("%s: rate_mib %q: give 1 to 64", path, v)
			}
			c.rateMiB = n
		}
	}
	if c.path == "" {
		return c, fmt.Errorf("%s: staging= is missing", path)
	}
	return c, nil
}

// RunWriter is a lab writer process (`hvrdoctor train _writer CONF`, run
// under the name of the program it stands for): it overwrites a 16 MiB
// region of the staging file at the configured rate, with fsync so the
// bytes reach the disk, rereads CONF on SIGHUP and exits on SIGTERM. It
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
	var off int64
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
			n := c.rateMiB << 20 / 10
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
		}
	}
}
