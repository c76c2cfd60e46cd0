// Package tui is the Bubble Tea program of hvrdoctor: the root model, the
// shared context (size, theme, key map), the sampler pane and the commands
// that drive the sampler on a tick.
//
// The program never blocks: sampling runs in a tea.Cmd at the interval and
// arrives as a message; View only reads the latest frame. Rendering is done
// by the views package.
package tui
