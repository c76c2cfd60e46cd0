package exporter

import (
	"unicode/utf8"

	"github.com/hvrdoctor/hvrdoctor/internal/textsafe"
)

// MaxLabelBytes bounds every label value taken from the machine (process,
// file, disk and VM names). A file path may be 4096 bytes, and a
// Prometheus server with label_value_length_limit drops the whole scrape
// (every metric of the target) when one value is longer; a value over the
// bound keeps its start and its end, the file name, around "…".
const MaxLabelBytes = 256

// labelValue is s as a label value: valid UTF-8 without control or
// bidirectional characters (textsafe.Clean), at most MaxLabelBytes bytes.
// Callers key series by it, so two names alike once cleaned and cut add
// up in one series instead of making a duplicate that fails the scrape.
func labelValue(s string) string {
	s = textsafe.Clean(s)
	if len(s) <= MaxLabelBytes {
		return s
	}
	const mark = "…"
	half := (MaxLabelBytes - len(mark)) / 2
	head := s[:half]
	for len(head) > 0 && !utf8.ValidString(head) {
		head = head[:len(head)-1]
	}
	tail := s[len(s)-half:]
	for len(tail) > 0 && !utf8.ValidString(tail) {
		tail = tail[1:]
	}
	return head + mark + tail
}
