package hyperv

import "errors"

// ErrNotHyperVHost is returned by ReadLive off Windows: Hyper-V hosts run
// Windows, so there is nothing to read live; saved files still work.
var ErrNotHyperVHost = errors.New("this is not a Hyper-V host (Hyper-V runs on Windows): save the PowerShell outputs on the host and give them with --from")
