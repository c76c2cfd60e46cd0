package analysis

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// errOpenQuote is returned for a record whose quoted field is still open at
// the end of the file: the last line was cut off.
var errOpenQuote = errors.New("quoted field not closed before the end of the file")

// errQuote is returned for a quote in the wrong place inside a record.
var errQuote = errors.New(`bad quoting: a '"' inside a quoted field must be doubled, and a closing '"' must be followed by a comma`)

// maxLineBytes bounds one physical line: a perfmon export with thousands
// of counters has a header of a few hundred KiB, while a binary file or an
// image given by mistake may have no newline at all and must not be read
// into memory whole.
const maxLineBytes = 16 << 20

// errLineTooLong is returned for a line longer than maxLineBytes.
var errLineTooLong = errors.New("line longer than 16 MiB: this is not a CSV file")

// rowReader reads RFC 4180 records one at a time from a stream, never
// holding more than one record. Records without quotes (almost every row of
// a recording) are split in place without copying or allocating; quoted
// records are unescaped into a reused buffer. Empty lines are skipped, CRLF
// and LF both end a record, and a UTF-8 byte order mark on the first line is
// dropped (Excel writes one).
type rowReader struct {
	br     *bufio.Reader
	line   int // line number where the current record starts (1-based)
	next   int // line number of the next unread line
	fields [][]byte
	buf    []byte // unescaped quoted record, or a line longer than br's buffer
	ends   []int
	// complete is false when the current record was not followed by a
	// newline: the last line of a file cut off by a kill.
	complete bool
	// sep separates fields: ',' or ';' (Excel's CSV in locales whose
	// decimal mark is a comma).
	sep byte
}

func newRowReader(r io.Reader) *rowReader {
	return &rowReader{br: bufio.NewReaderSize(r, 256<<10), next: 1, sep: ','}
}

// detectSeparator looks at the first line: semicolons outside quotes and
// no commas there make ';' the separator, as Excel writes CSV where the
// decimal mark is a comma. It reads nothing from the stream.
func (r *rowReader) detectSeparator() {
	b, _ := r.br.Peek(64 << 10)
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	var commas, semis int
	quoted := false
	for _, c := range b {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ',':
			commas++
		case c == ';':
			semis++
		}
	}
	if semis > 0 && semis > commas {
		r.sep = ';'
	}
}

// Line is the line number where the last record returned by Read starts.
func (r *rowReader) Line() int { return r.line }

// readLine returns the next physical line without its line ending, and
// whether a newline ended it. The slice is valid until the next call.
func (r *rowReader) readLine() ([]byte, bool, error) {
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.buf = append(r.buf[:0], line...)
		for err == bufio.ErrBufferFull {
			if len(r.buf) > maxLineBytes {
				return nil, false, errLineTooLong
			}
			line, err = r.br.ReadSlice('\n')
			r.buf = append(r.buf, line...)
		}
		line = r.buf
	}
	if err != nil && err != io.EOF {
		return nil, false, err
	}
	if len(line) == 0 && err == io.EOF {
		return nil, false, io.EOF
	}
	r.next++
	nl := len(line) > 0 && line[len(line)-1] == '\n'
	if nl {
		line = line[:len(line)-1]
	}
	// CRLF ends a line; so does a lone CR at the very end of the file.
	if len(line) > 0 && line[len(line)-1] == '\r' && (nl || err == io.EOF) {
		line = line[:len(line)-1]
	}
	return line, nl, nil
}

// Read returns the fields of the next record. The slices are valid until
// the next call. It returns io.EOF after the last record. A malformed
// record returns an error; the reader stays usable and Read continues with
// the following line.
func (r *rowReader) Read() ([][]byte, error) {
	for {
		r.line = r.next
		line, nl, err := r.readLine()
		if err != nil {
			return nil, err
		}
		if r.line == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if len(line) == 0 {
			if !nl {
				return nil, io.EOF
			}
			continue
		}
		r.complete = nl
		if bytes.IndexByte(line, '"') < 0 {
			return r.split(line), nil
		}
		return r.readQuoted(line, nl)
	}
}

// split cuts an unquoted line at the separator.
func (r *rowReader) split(line []byte) [][]byte {
	r.fields = r.fields[:0]
	for {
		i := bytes.IndexByte(line, r.sep)
		if i < 0 {
			r.fields = append(r.fields, line)
			return r.fields
		}
		r.fields = append(r.fields, line[:i])
		line = line[i+1:]
	}
}

// readQuoted parses a record that has quotes, reading further lines while a
// quoted field spans line breaks.
func (r *rowReader) readQuoted(line []byte, nl bool) ([][]byte, error) {
	// line may alias r.buf (very long line): copy it out first.
	src := append([]byte(nil), line...)
	r.buf = r.buf[:0]
	r.ends = r.ends[:0]
	pos := 0
	for {
		// Start of a field at src[pos].
		if pos < len(src) && src[pos] == '"' {
			pos++
			for {
				i := bytes.IndexByte(src[pos:], '"')
				if i < 0 {
					// The quoted field continues on the next line.
					r.buf = append(r.buf, src[pos:]...)
					if !nl {
						r.complete = false
						return nil, errOpenQuote
					}
					next, more, err := r.readLine()
					if err == io.EOF {
						r.complete = false
						return nil, errOpenQuote
					}
					if err != nil {
						return nil, err
					}
					r.buf = append(r.buf, '\n')
					src, pos, nl = append(src[:0], next...), 0, more
					r.complete = nl
					continue
				}
				r.buf = append(r.buf, src[pos:pos+i]...)
				pos += i + 1
				if pos < len(src) && src[pos] == '"' {
					r.buf = append(r.buf, '"')
					pos++
					continue
				}
				break
			}
			if pos < len(src) && src[pos] != r.sep {
				return nil, errQuote
			}
		} else {
			i := bytes.IndexByte(src[pos:], r.sep)
			end := len(src)
			if i >= 0 {
				end = pos + i
			}
			if bytes.IndexByte(src[pos:end], '"') >= 0 {
				return nil, errQuote
			}
			r.buf = append(r.buf, src[pos:end]...)
			pos = end
		}
		r.ends = append(r.ends, len(r.buf))
		if pos >= len(src) {
			break
		}
		pos++ // the comma
		if pos == len(src) {
			r.ends = append(r.ends, len(r.buf))
			break
		}
	}
	r.fields = r.fields[:0]
	start := 0
	for _, e := range r.ends {
		r.fields = append(r.fields, r.buf[start:e:e])
		start = e
	}
	return r.fields, nil
}
