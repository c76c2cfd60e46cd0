package hyperv

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// Kind is what a saved file holds, detected from its content.
type Kind string

// The kinds of saved files ReadFiles understands.
const (
	KindReplication  Kind = "Get-VMReplication"
	KindMeasure      Kind = "Measure-VMReplication"
	KindServer       Kind = "Get-VMReplicationServer"
	KindAuthEntries  Kind = "Get-VMReplicationAuthorizationEntry"
	KindEvents       Kind = "Get-WinEvent (VMMS-Admin)"
	KindCounters     Kind = "Export-Counter CSV"
	KindDisks        Kind = "Get-VHD"
	KindFirewall     Kind = "Get-NetFirewallRule"
	KindCertificates Kind = "Cert:\\LocalMachine\\My"
)

// Size limits of saved files: far above what a host writes (a VMMS-Admin
// log of thousands of events is a few MB) while keeping memory bounded.
const (
	MaxJSONFileSize    = 32 << 20
	MaxCounterFileSize = 64 << 20
	// MaxDirFiles bounds how many files of a directory are read.
	MaxDirFiles = 500
)

// Snapshot is everything read from saved files (or, later, live).
type Snapshot struct {
	Replications []VMReplication
	Measurements []Measurement
	Servers      []ReplicaServer
	AuthEntries  []AuthEntry
	// HasAuthEntries is true when a Get-VMReplicationAuthorizationEntry
	// file was read (an empty one means no entries).
	HasAuthEntries bool
	Events         []Event
	HasEvents      bool
	Counters       []Series
	Disks          []Disk
	Firewall       []FirewallRule
	Certificates   []Certificate
	HasCerts       bool
	// Live is true when the snapshot was read from the host (WMI), not
	// from saved files.
	Live bool
	// LiveNotes say, for a live read, what else was read and what could
	// not be, each with its reason (see LiveSummary).
	LiveNotes []string
	// Files lists what each file was read as, in order.
	Files []FileKind
	// Skipped are files of a directory that were not saved PowerShell
	// output, each with the reason.
	Skipped []string
}

// FileKind is one file read and its kind.
type FileKind struct {
	Path  string
	Kind  Kind
	Items int
}

// ReadFiles reads saved PowerShell output: each path is a file or a
// directory (its regular files, not recursive). The kind of each file is
// detected from its content. A named file that cannot be read or
// understood is an error naming it; in a directory, files that are not
// JSON or a counter CSV are skipped and listed in Skipped.
func ReadFiles(paths []string) (*Snapshot, error) {
	s := &Snapshot{}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, &probes.InputError{Flag: "--from", Value: showPath(p), Problem: "cannot read: " + errText(err)}
		}
		if !st.IsDir() {
			if err := s.readFile(p, false); err != nil {
				return nil, err
			}
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, &probes.InputError{Flag: "--from", Value: showPath(p), Problem: "cannot list the directory: " + errText(err)}
		}
		names := make([]string, 0, len(entries))
		for _, e := range entries {
			if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		if len(names) > MaxDirFiles {
			return nil, &probes.InputError{Flag: "--from", Value: showPath(p),
				Problem: fmt.Sprintf("holds %d files, more than the %d read: give a directory with only the saved outputs", len(names), MaxDirFiles)}
		}
		for _, n := range names {
			if err := s.readFile(filepath.Join(p, n), true); err != nil {
				return nil, err
			}
		}
	}
	if len(s.Files) == 0 {
		return nil, &probes.InputError{Flag: "--from", Value: showPath(strings.Join(paths, " ")),
			Problem: "no saved PowerShell output found: see the README's lines to save them on the host"}
	}
	return s, nil
}

// errText is the OS error behind err in the same words on every OS ("no
// such file or directory" rather than Windows' or wine's wording).
func errText(err error) string {
	err = probes.NeutralPathErr(err)
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

func (s *Snapshot) readFile(path string, inDir bool) error {
	fail := func(problem string) error {
		return &probes.InputError{Flag: "--from", Value: showPath(path), Problem: problem}
	}
	st, err := probes.CheckInputFile("--from", path, MaxCounterFileSize)
	var ie *probes.InputError
	if errors.As(err, &ie) {
		err = &probes.InputError{Flag: ie.Flag, Value: showPath(path), Problem: ie.Problem}
	}
	if err != nil {
		if inDir && strings.Contains(err.Error(), "is empty") {
			s.Skipped = append(s.Skipped, filepath.Base(path)+": empty")
			return nil
		}
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return fail("cannot read: " + errText(err))
	}
	defer f.Close()
	if fst, err := f.Stat(); err != nil || !fst.Mode().IsRegular() {
		return fail("is not a regular file")
	}
	// The file is read as a stream: a large saved event log is decoded
	// one event at a time and never held whole (issue: 31 MB of events
	// took 220 MB).
	br := bufio.NewReaderSize(io.LimitReader(f, MaxCounterFileSize+1), 64<<10)
	var r io.Reader = br
	if bom, _ := br.Peek(2); bytes.Equal(bom, []byte("\xff\xfe")) || bytes.Equal(bom, []byte("\xfe\xff")) {
		// UTF-16 (Windows PowerShell 5.1's > and Out-File): converted
		// whole, as before.
		data, err := io.ReadAll(br)
		if err != nil {
			return fail("cannot read: " + errText(err))
		}
		r = bytes.NewReader(stripBOM(data))
	} else if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	first := skipSpace(r)
	if first == '{' || first == '[' {
		if st.Size() > MaxJSONFileSize {
			return fail(fmt.Sprintf("is %d MiB of JSON, more than the %d MiB read: save fewer events (-MaxEvents)", st.Size()>>20, MaxJSONFileSize>>20))
		}
		kind, n, err := s.addJSON(io.MultiReader(bytes.NewReader([]byte{first}), r))
		if err != nil {
			return fail(err.Error())
		}
		s.Files = append(s.Files, FileKind{Path: path, Kind: kind, Items: n})
		return nil
	}
	// Anything else is read as a stream: a counter CSV is parsed as it
	// comes (the file is not held whole beside its samples).
	cr := &countingReader{r: r}
	text := bufio.NewReaderSize(io.MultiReader(bytes.NewReader([]byte{first}), cr), 64<<10)
	head, _ := text.Peek(len(`"(PDH-CSV`))
	if first != 0 && (bytes.HasPrefix(head, []byte(`"(PDH-CSV`)) || bytes.HasPrefix(head, []byte(`(PDH-CSV`))) {
		series, err := readCounterCSV(text)
		if err == nil && cr.n > MaxCounterFileSize {
			err = fmt.Errorf("is larger than the %d MiB such a file can be", MaxCounterFileSize>>20)
		}
		if err != nil {
			return fail(err.Error())
		}
		s.Counters = append(s.Counters, series...)
		s.Files = append(s.Files, FileKind{Path: path, Kind: KindCounters, Items: len(series)})
		return nil
	}
	if inDir {
		s.Skipped = append(s.Skipped, filepath.Base(path)+": not JSON or a counter CSV")
		return nil
	}
	return fail("is neither PowerShell JSON (ConvertTo-Json) nor a counter CSV (Export-Counter -FileFormat CSV): see the README's lines to save them")
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// skipSpace reads past JSON white space and returns the first other byte
// (0 at the end).
func skipSpace(r io.Reader) byte {
	var b [1]byte
	for {
		n, err := r.Read(b[:])
		if n == 1 {
			switch b[0] {
			case ' ', '\t', '\r', '\n':
				continue
			}
			return b[0]
		}
		if err != nil {
			return 0
		}
	}
}

// addJSON reads the JSON of one file object by object from r (an array
// is streamed, so memory holds one decoded object at a time beside the
// results; after the first event, events are decoded into the few
// properties the report uses), detects the kind from the first object's property names and
// adds what each object holds. An empty array is "empty": nothing added.
func (s *Snapshot) addJSON(r io.Reader) (Kind, int, error) {
	var kind Kind
	items := 0
	n, err := decodeStream(r, func(o map[string]any) error {
		if kind == "" {
			k, err := classify(props(o))
			if err != nil {
				return err
			}
			kind = k
		}
		items += s.addObject(kind, o)
		return nil
	}, func() slimObject {
		if kind == KindEvents {
			return &eventFields{}
		}
		return nil
	})
	if err != nil {
		return "", 0, err
	}
	if n == 0 {
		return "empty", 0, nil
	}
	if items == 0 {
		switch kind {
		case KindMeasure:
			return "", 0, fmt.Errorf("Measure-VMReplication output without VMName properties")
		case KindReplication:
			return "", 0, fmt.Errorf("Get-VMReplication output without VMName or ReplicaServer values")
		}
	}
	switch kind {
	case KindEvents:
		s.HasEvents = true
	case KindAuthEntries:
		s.HasAuthEntries = true
	case KindCertificates:
		s.HasCerts = true
	}
	return kind, items, nil
}

// classify names the kind of saved output an object comes from.
func classify(p props) (Kind, error) {
	switch {
	case p.has(measureKeys...):
		return KindMeasure, nil
	case p.has("TimeCreated") && p.has("Id", "EventID"):
		return KindEvents, nil
	case p.has(serverKeys...):
		return KindServer, nil
	case p.has(authEntryKeys...):
		return KindAuthEntries, nil
	case p.has("ReplicaServer", "ReplicaServerName", "PrimaryServer", "PrimaryServerName"):
		return KindReplication, nil
	case p.has("Path") && p.has("Size") && p.has("VMName"):
		return KindDisks, nil
	case p.has("Enabled") && p.has("Name", "DisplayName"):
		return KindFirewall, nil
	case p.has("Thumbprint") && p.has("Subject"):
		return KindCertificates, nil
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 5 {
		keys = append(keys[:5], "...")
	}
	return "", fmt.Errorf("JSON of an unknown kind (properties %s): give the output of a cmdlet the README lists", quoteCut(strings.Join(keys, ", "), 80))
}

// addObject adds one object of kind and returns how many items it gave.
func (s *Snapshot) addObject(kind Kind, o map[string]any) int {
	one := []map[string]any{o}
	before := 0
	switch kind {
	case KindMeasure:
		before = len(s.Measurements)
		s.Measurements = append(s.Measurements, measurements(one)...)
		return len(s.Measurements) - before
	case KindEvents:
		before = len(s.Events)
		s.Events = append(s.Events, events(one)...)
		return len(s.Events) - before
	case KindServer:
		s.Servers = append(s.Servers, replicaServers(one)...)
	case KindAuthEntries:
		s.AuthEntries = append(s.AuthEntries, authEntries(one)...)
	case KindReplication:
		before = len(s.Replications)
		s.Replications = append(s.Replications, vmReplications(one)...)
		return len(s.Replications) - before
	case KindDisks:
		before = len(s.Disks)
		s.Disks = append(s.Disks, disks(one)...)
		return len(s.Disks) - before
	case KindFirewall:
		s.Firewall = append(s.Firewall, firewallRules(one)...)
	case KindCertificates:
		s.Certificates = append(s.Certificates, certificates(one)...)
	}
	return 1
}

// Latest is the latest time the snapshot holds (the end of a monitoring
// interval, a last replication, an event): the moment
// the files were saved, as near as they tell. Zero when none.
func (s *Snapshot) Latest() time.Time {
	var t time.Time
	later := func(x time.Time) {
		if x.After(t) {
			t = x
		}
	}
	for _, m := range s.Measurements {
		later(m.MonitoringEnd)
		later(m.LastReplicationTime)
	}
	for _, e := range s.Events {
		later(e.Time)
	}
	// Counter CSV times are the host's local time (the CSV names its
	// zone in the header), so they do not set the evaluation time.
	return t
}

// showPath is a path as an error shows it: as probes.ShowPath shows it
// (quoted, backslashes as typed: C:\x and \\server\share read as
// written), and beyond MaxShownPath characters cut at its start so the
// file's name stays.
func showPath(p string) string {
	r := []rune(p)
	if len(r) <= probes.MaxShownPath {
		return probes.ShowPath(p)
	}
	return probes.ShowPath("..." + string(r[len(r)-probes.MaxShownPath+3:]))
}
