package probes

import "github.com/hvrdoctor/hvrdoctor/internal/fserr"

// Messages for a missing or unreadable input file, the same on every OS.
// Windows words them "The system cannot find the file specified." or
// "Access is denied." (and wine "File not found."), which hid the hints
// keyed on them (--ccache's "run kinit first") and made the one-line
// errors differ between the Linux and Windows builds. The wording lives in
// internal/fserr, shared with the sampler and the exporter.
var (
	errNoSuchFile = fserr.ErrNoSuchFile
	errNoAccess   = fserr.ErrNoAccess
)

// osNeutralPathErr returns errNoSuchFile or errNoAccess for the OS errors
// that mean them (ENOENT, ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND;
// EACCES, ERROR_ACCESS_DENIED), and err otherwise.
func osNeutralPathErr(err error) error { return fserr.Reason(err) }

// NeutralPathErr is osNeutralPathErr for other packages' file inputs
// (hyperv's --from), so their messages match probes' on every OS.
func NeutralPathErr(err error) error { return osNeutralPathErr(err) }
