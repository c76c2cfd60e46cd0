package probes

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// InputError is a one-line error about one input the user gave: the flag
// (or the wizard form field, which is labelled with its flag), the value as
// given (cut to MaxShownValue characters, secrets redacted, never a
// password) and the problem with what to do.
type InputError struct {
	// Flag is the flag as typed on the command line ("--kdc") or the
	// environment variable ("HTTP_PROXY").
	Flag string
	// Value is the value as shown in the message, already cut and
	// redacted; "" when the value is not shown (secrets, empty values).
	Value string
	// Problem says what is wrong and what to do, without the value.
	Problem string
}

// Error implements error: `--kdc "http://kdc": problem`.
func (e *InputError) Error() string {
	if e.Value == "" {
		return e.Flag + ": " + e.Problem
	}
	return e.Flag + " " + e.Value + ": " + e.Problem
}

// MaxShownValue bounds how much of a value an error message repeats.
const MaxShownValue = 60

// inputErr builds an InputError for flag, showing value cut and quoted.
func inputErr(flag, value, format string, args ...any) *InputError {
	return &InputError{Flag: flag, Value: ShowValue(value), Problem: fmt.Sprintf(format, args...)}
}

// inputErrPath builds an InputError naming a file path (see ShowPath).
func inputErrPath(flag, path, format string, args ...any) *InputError {
	return &InputError{Flag: flag, Value: ShowPath(path), Problem: fmt.Sprintf(format, args...)}
}

// ShowValue returns v as an error message shows it: quoted with control
// characters escaped, cut to MaxShownValue characters with the full length
// said, and URL userinfo (user:password@) redacted.
func ShowValue(v string) string {
	if v == "" {
		return ""
	}
	v = RedactURL(v)
	if utf8.RuneCountInString(v) <= MaxShownValue {
		return strconv.Quote(v)
	}
	n := 0
	for i := range v {
		if n == MaxShownValue {
			return strconv.Quote(v[:i]) + fmt.Sprintf("... (%d bytes)", len(v))
		}
		n++
	}
	return strconv.Quote(v)
}

// RedactURL replaces the userinfo of a URL ("http://user:pw@host") with
// "***@", also in strings that do not parse as URLs, so that a password in
// a proxy or directory URL never reaches a message, a form or a report.
// Other strings are returned unchanged.
func RedactURL(s string) string {
	i := strings.Index(s, "//")
	if i > 0 && s[i-1] == ':' {
		i-- // "scheme://": the authority starts after "://"
	} else if i != 0 {
		i = -1
	}
	if i == 0 {
		// "//user:pw@host", a URL without a scheme.
		return redactAuthority(s, 2)
	}
	if i < 0 {
		// "user:pw@host:port" without a scheme, as proxies are often given.
		if at := strings.LastIndex(s, "@"); at > 0 && !strings.ContainsAny(s[:at], "/ ") && strings.Contains(s[:at], ":") {
			return "***@" + s[at+1:]
		}
		return s
	}
	return redactAuthority(s, i+3)
}

// redactAuthority replaces the userinfo of the authority starting at
// s[start:] (up to the first '/', '?' or '#').
func redactAuthority(s string, start int) string {
	rest := s[start:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return s
	}
	return s[:start] + "***@" + rest[at+1:]
}
