package fileio

import (
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/etwsession"
)

// Every event the ETW backend decodes is one its subscription gets: the
// keywords include each event's keyword from the Kernel-File manifest
// (typed from the manifest in internal/etwsession; no Windows here).
// Close (14) carries only FILEIO and RenamePath (27) only
// RENAME_SETLINK_PATH: without them file objects were never forgotten and
// renamed files kept their old names.
func TestKernelFileSubscriptionDeliversDecodedEvents(t *testing.T) {
	if ids := etwsession.Undelivered(kernelFileProvider); len(ids) > 0 {
		t.Errorf("Kernel-File events %v are asked for by ID but their manifest keywords are not enabled (keywords %#x)", ids, kernelFileProvider.Keywords)
	}
	if ids := etwsession.Undelivered(kernelDiskProvider); len(ids) > 0 {
		t.Errorf("Kernel-Disk events %v are not enabled", ids)
	}
}
