package tui

// wizardMode is what the wizard pane shows and what its keys, clicks and
// footer do: one value, set where the pane changes state, instead of being
// worked out again from the form, the VM list and the target.
type wizardMode int

const (
	// modeForm shows the target form, not typed in: no target was
	// checked yet; enter, e or a click opens it.
	modeForm wizardMode = iota
	// modeEditing is the form being typed in (with the password prompt
	// under it when a check needs one): it takes every key.
	modeEditing
	// modePicking is the choice among the host's replication
	// relationships (Get-VMReplication gave several).
	modePicking
	// modeSteps shows the target's steps and the selected step's card.
	modeSteps
)
