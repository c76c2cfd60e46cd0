package lab

import (
	"log"
	"strings"
)

// sinkWriter hands each log line to a function instead of stderr.
type sinkWriter func(string)

func (f sinkWriter) Write(p []byte) (int, error) {
	f(strings.TrimSpace(string(p)))
	return len(p), nil
}

func newSinkLogger(f func(string)) *log.Logger { return log.New(sinkWriter(f), "", 0) }
