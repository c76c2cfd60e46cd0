// Package fserr words the common file-system errors the same on every OS,
// so one-line errors read alike in the Linux and Windows builds (Windows
// says "The system cannot find the path specified.", wine "Path not
// found.", Linux "no such file or directory").
package fserr

import (
	"errors"
	"io/fs"
	"os"
)

// The OS-neutral reasons.
var (
	ErrNoSuchFile = errors.New("no such file or directory")
	ErrNoAccess   = errors.New("permission denied")
)

// Reason returns ErrNoSuchFile or ErrNoAccess for the OS errors that mean
// them (ENOENT, ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND,
// ERROR_BAD_NETPATH; EACCES, ERROR_ACCESS_DENIED), and err otherwise.
func Reason(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return ErrNoSuchFile
	case errors.Is(err, fs.ErrPermission):
		return ErrNoAccess
	}
	return err
}

// Neutral is err with its reason worded by Reason, keeping an
// *os.PathError's operation and path ("mkdir X: no such file or
// directory").
func Neutral(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		if r := Reason(pe.Err); r != pe.Err {
			return &os.PathError{Op: pe.Op, Path: pe.Path, Err: r}
		}
		return err
	}
	return Reason(err)
}
