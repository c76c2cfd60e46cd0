package analysis

import (
	"fmt"
	"github.com/hvrdoctor/hvrdoctor/internal/textsafe"
	"strings"
)

// maxSkippedLines is how many skipped line numbers are kept for the report.
const maxSkippedLines = 5

// Skipped counts the rows of one file that could not be used, keeping the
// first few line numbers and the first reason, so a partial result can say
// exactly what it left out.
type Skipped struct {
	File  string
	Count int
	// Lines holds the first line numbers skipped (at most 5).
	Lines []int
	// First is the reason the first skipped row was rejected.
	First string
	// TruncatedLast is true when the file's last line was cut off (the
	// recorder was killed mid-write); it is included in Count.
	TruncatedLast bool
}

func (s *Skipped) add(line int, reason string) {
	s.Count++
	if len(s.Lines) < maxSkippedLines {
		s.Lines = append(s.Lines, line)
	}
	if s.First == "" {
		s.First = textsafe.Clean(fmt.Sprintf("line %d: %s", line, reason))
	}
}

// String is a one-line summary, "" when nothing was skipped.
func (s Skipped) String() string {
	if s.Count == 0 {
		return ""
	}
	nums := make([]string, len(s.Lines))
	for i, l := range s.Lines {
		nums[i] = fmt.Sprint(l)
	}
	more := ""
	if s.Count > len(s.Lines) {
		more = ", ..."
	}
	what := "rows"
	if s.Count == 1 {
		what = "row"
	}
	msg := fmt.Sprintf("%s: skipped %d %s (line %s%s); first: %s", s.File, s.Count, what, strings.Join(nums, ", "), more, s.First)
	if s.TruncatedLast {
		msg += "; the last line was cut off (recording interrupted)"
	}
	return msg
}
