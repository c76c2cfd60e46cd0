// Package tui is the Bubble Tea program of hvrdoctor: the root model, the
// shared context (size, theme, key map), and the panes it lays out: the
// live sampler's process list, the wizard (target form, step list with the
// selected step's card and fixes) and the incident report. From WideWidth
// columns the sampler and the wizard are side by side; narrower, a tab bar
// switches panes (number keys, tab). A pane is the pane interface plus one
// addTab call in New.
//
// The program never blocks: sampling runs in a tea.Cmd at the interval and
// probes run in the background, both arriving as messages; View only reads
// state. Rendering is done by the views package.
package tui
