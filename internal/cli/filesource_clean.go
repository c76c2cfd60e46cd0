package cli

import (
	"context"

	"github.com/hvrdoctor/hvrdoctor/internal/textsafe"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
)

// cleanFileSource gives a per-file source's intervals with file paths
// and process names fit for a terminal, a CSV and a Prometheus label: any
// local user can name a file or a process with escape sequences or bytes
// that are not UTF-8, and the UI, record (its summary and FileStats) and
// serve showed them raw. Paths are escaped (textsafe.Escape: two files
// stay two), names cleaned as the sampler cleans process names.
type cleanFileSource struct{ fileio.Source }

func (s cleanFileSource) Read(ctx context.Context) (fileio.Interval, error) {
	iv, err := s.Source.Read(ctx)
	for i := range iv.Files {
		f := &iv.Files[i]
		f.Key.Path = textsafe.Escape(f.Key.Path)
		f.Name = textsafe.Clean(f.Name)
	}
	for i := range iv.Processes {
		iv.Processes[i].Name = textsafe.Clean(iv.Processes[i].Name)
	}
	for i := range iv.Exits {
		iv.Exits[i].Name = textsafe.Clean(iv.Exits[i].Name)
	}
	return iv, err
}

// openCleanFileSource and openCleanFileSourceAsync are Env's per-file
// sources on this machine.
func openCleanFileSource(all bool) (fileio.Source, error) {
	src, err := fileio.Open(fileio.Options{AllFiles: all})
	if err != nil || src == nil {
		return src, err
	}
	return cleanFileSource{src}, nil
}

func openCleanFileSourceAsync(all bool) fileio.Source {
	return cleanFileSource{fileio.OpenAsync(fileio.Options{AllFiles: all})}
}
