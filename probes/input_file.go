package probes

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// Size limits of the files the user points hvrdoctor at. Each is far above
// what a real file of its kind holds and keeps memory bounded when a path
// names something else.
const (
	MaxCertFileSize   = 4 << 20 // --cert: PEM, DER or PFX (kilobytes in practice)
	MaxCABundleSize   = 8 << 20 // --ca: Debian's whole bundle is about 220 KB
	MaxKeytabSize     = 1 << 20 // --keytab: a few entries of ~100 bytes
	MaxCCacheSize     = 4 << 20 // --ccache, KRB5CCNAME: a ticket is a few KB
	MaxKrb5ConfigSize = 1 << 20 // KRB5_CONFIG, /etc/krb5.conf
)

// CheckInputFile checks, without opening it, that path names a regular
// file of at most limit bytes: FIFOs, devices, sockets and directories are
// refused (reading them could block forever or never end). flag names the
// input in the one-line error.
func CheckInputFile(flag, path string, limit int64) (os.FileInfo, error) {
	if path == "" {
		return nil, &InputError{Flag: flag, Problem: "empty: give a file path"}
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, inputErrPath(flag, path, "%v", unwrapPathErr(err))
	}
	if err := regularWithin(st, limit); err != nil {
		return nil, inputErrPath(flag, path, "%s", err)
	}
	return st, nil
}

// regularWithin says why st is not a regular file of at most limit bytes.
func regularWithin(st os.FileInfo, limit int64) error {
	m := st.Mode()
	switch {
	case m.IsDir():
		return fmt.Errorf("is a directory: give a file")
	case m&os.ModeNamedPipe != 0:
		return fmt.Errorf("is a FIFO (named pipe), not a file: give a regular file")
	case m&os.ModeSocket != 0:
		return fmt.Errorf("is a socket, not a file: give a regular file")
	case m&(os.ModeDevice|os.ModeCharDevice) != 0:
		return fmt.Errorf("is a device, not a file: give a regular file")
	case !m.IsRegular():
		return fmt.Errorf("is not a regular file")
	case st.Size() > limit:
		return fmt.Errorf("is %s, larger than the %s such a file can be", fmtSize(st.Size()), fmtSize(limit))
	case st.Size() == 0:
		return fmt.Errorf("is empty")
	}
	return nil
}

// ReadInputFile reads a file the user named, refusing FIFOs, devices,
// directories and files over limit bytes before reading (see
// CheckInputFile); at most limit bytes are ever read, even when the file
// grows or is swapped in between.
func ReadInputFile(flag, path string, limit int64) ([]byte, error) {
	if _, err := CheckInputFile(flag, path, limit); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, inputErrPath(flag, path, "%v", unwrapPathErr(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, inputErrPath(flag, path, "%v", unwrapPathErr(err))
	}
	if err := regularWithin(st, limit); err != nil {
		return nil, inputErrPath(flag, path, "%s", err)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, inputErrPath(flag, path, "%v", unwrapPathErr(err))
	}
	if int64(buf.Len()) > limit {
		return nil, inputErrPath(flag, path, "is larger than the %s such a file can be", fmtSize(limit))
	}
	return buf.Bytes(), nil
}

// fmtSize formats a byte count: "4 MiB", "220 KiB", "17 bytes".
func fmtSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
