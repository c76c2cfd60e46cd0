package analysis

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// A file given to analyze by mistake (a disk image, a binary) has no line
// end: the error must be one short line, and the reader must stop at the
// line cap instead of reading the whole file into memory.
func TestBinaryFileWithoutNewlineIsAShortError(t *testing.T) {
	p := filepath.Join(testutil.TempDir(t), "disk.img")
	if err := os.WriteFile(p, make([]byte, maxLineBytes+(4<<20)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := AnalyzeFiles([]string{p}, ColumnMap{}, Options{})
	if err == nil {
		t.Fatal("a file of NUL bytes was accepted")
	}
	msg := err.Error()
	if len(msg) > 400 || strings.ContainsAny(msg, "\x00\n") {
		t.Fatalf("message is %d bytes (NUL or newline inside: %v); want one short line: %.200q", len(msg), strings.ContainsAny(msg, "\x00\n"), msg)
	}
	if !strings.Contains(msg, p) || !strings.Contains(msg, "not a CSV file") {
		t.Errorf("message %q should name the file and say it is not a CSV file", msg)
	}
}

// A long header with control characters (a log or a binary with a short
// first line) is quoted short and escaped in the missing-column message.
func TestMissingColumnMessageQuotesALongHeaderShort(t *testing.T) {
	header := "\x01\x02" + strings.Repeat("x", 5000) + "\n"
	p := filepath.Join(testutil.TempDir(t), "log.csv")
	if err := os.WriteFile(p, []byte(header+"1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := AnalyzeFiles([]string{p}, ColumnMap{}, Options{})
	if err == nil {
		t.Fatal("accepted a file without a timestamp column")
	}
	msg := err.Error()
	if len(msg) > 400 || bytes.ContainsAny([]byte(msg), "\x01\x02\n") {
		t.Fatalf("message is %d bytes or has control characters: %.300q", len(msg), msg)
	}
	if !strings.Contains(msg, `\x01\x02xxx`) || !strings.Contains(msg, "...") {
		t.Errorf("message %q should show the header's start escaped and mark the cut", msg)
	}
}
