package sampler

import (
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/etwsession"
)

// The disk-byte counts get every event they decode: Close (14) carries
// only the FILEIO keyword in the Kernel-File manifest (typed from the
// manifest in internal/etwsession; no Windows here), so without it file
// objects were never forgotten and a reused one kept its old owner.
func TestDiskSubscriptionsDeliverDecodedEvents(t *testing.T) {
	for _, p := range diskProviders {
		if ids := etwsession.Undelivered(p); len(ids) > 0 {
			t.Errorf("%s events %v are asked for by ID but their manifest keywords are not enabled (keywords %#x)", p.Name, ids, p.Keywords)
		}
	}
}
