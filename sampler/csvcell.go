package sampler

// Recordings are opened in Excel and LibreOffice, which take a cell that
// starts with = + - or @ (and, in some versions, a tab or carriage return)
// for a formula: a process or a file named "=HYPERLINK(...)" or
// "=cmd|' /C calc'!A0" by any local user would run as one when the admin
// opens the CSV. The rule, in one place for the writers and the readers:
// a name or path cell (the Process, File and Host columns; never a number)
// that starts with one of those characters, or with the quote itself, is
// written with a leading single quote, which spreadsheets show as text.
// The readers of hvrdoctor's own recordings remove that one quote again,
// so a name round-trips exactly (a name that really starts with a quote is
// written with two).

// GuardCell is s as written to a name or path cell of a recording.
func GuardCell(s string) string {
	if s != "" && formulaStart(s[0]) {
		return "'" + s
	}
	return s
}

// UnguardCell is the name or path a recording's cell holds: the quote
// GuardCell added removed. A quote before any other character is kept, so
// a recording written before the rule reads as it did.
func UnguardCell(s string) string {
	if len(s) >= 2 && s[0] == '\'' && formulaStart(s[1]) {
		return s[1:]
	}
	return s
}

// UnguardCellBytes is UnguardCell on a cell not yet made a string.
func UnguardCellBytes(b []byte) []byte {
	if len(b) >= 2 && b[0] == '\'' && formulaStart(b[1]) {
		return b[1:]
	}
	return b
}

func formulaStart(c byte) bool {
	switch c {
	case '=', '+', '-', '@', '\t', '\r', '\'':
		return true
	}
	return false
}
