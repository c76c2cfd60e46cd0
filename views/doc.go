// Package views renders sampler and probe data as text with Lip Gloss:
// human units, time graphs, sparklines, the process table, the header, the
// process detail and the help screen.
//
// Every function here is pure: it takes data, a size and a Theme and returns
// a string whose lines never exceed the width it was given. There is no
// Bubble Tea state; the tui package owns selection, scrolling and timing.
package views
