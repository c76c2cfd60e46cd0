package analysis

import (
	"errors"
	"fmt"
)

// FileError is a problem with one input file at one line (line 0: the file
// as a whole). Its message is one line: "FILE:LINE: what; what to do".
type FileError struct {
	File string
	Line int
	Err  error
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// ErrEmpty is wrapped by the error for a file with no header row.
var ErrEmpty = errors.New("the file is empty: expected a CSV header row")

// ErrMissingColumn is wrapped by the error for a header lacking a column the
// file's kind needs.
var ErrMissingColumn = errors.New("missing column")

// ErrNoSamples is returned for inputs where every data row was skipped or
// that have only a header.
var ErrNoSamples = errors.New("no usable samples: every data row was skipped or the files have only a header")
