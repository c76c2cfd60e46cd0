package tui

// statusLine is the header's second line's message, the program's one
// status mechanism: a pane or the root sets it (Context.setStatus) and it
// stays for a number of samples; a lasting state (the end of a recording)
// stays for good, with the latest message beside it.
type statusLine struct {
	text    string
	left    int // samples text stays for
	lasting string
}

// How many samples a status stays for: the echo of a key (a sort, an
// interval) briefly, the outcome of an action (a run's verdict, where the
// report went) longer.
const (
	statusBrief = 3
	statusLong  = 10
)

// set shows text for n samples.
func (s *statusLine) set(text string, n int) { s.text, s.left = text, n }

// sampled counts one sample off the message's time.
func (s *statusLine) sampled() {
	if s.left > 0 {
		s.left--
		if s.left == 0 {
			s.text = ""
		}
	}
}

// String is the line: the lasting state first, then the message.
func (s *statusLine) String(sep string) string {
	switch {
	case s.lasting != "" && s.text != "":
		return s.lasting + sep + s.text
	case s.lasting != "":
		return s.lasting
	}
	return s.text
}
