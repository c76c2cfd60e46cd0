package probes

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// CodeInfo is what hvrdoctor knows about one Windows error code that
// Hyper-V Replica reports.
type CodeInfo struct {
	// Code is the canonical value: the WinHTTP error number for WinHTTP
	// errors (12019), the HRESULT otherwise (0x80090303).
	Code uint32
	// Name is the symbolic name: ERROR_WINHTTP_INCORRECT_HANDLE_STATE.
	Name string
	// Message is the system message text, as dialogs and events show it.
	Message string
	// Meaning says in general terms what the code means.
	Meaning string
	// Replica says what it usually means for Hyper-V Replica.
	Replica string
	// Auth is the authentication type the code belongs to ("" = both).
	Auth AuthType
	// Probes are the check steps that find the cause (plan step IDs, or
	// the part of `hvrdoctor check` that covers it).
	Probes []string
	// Source names where the Replica context comes from.
	Source string

	fixes   func(t *Target) []Fix
	phrases []string
}

// Hex renders the code as Windows shows it: 0x00002EF3, 0x80090303.
func (c CodeInfo) Hex() string { return fmt.Sprintf("0x%08X", c.Code) }

// Forms lists the other ways the same code is written: decimal,
// signed decimal, the HRESULT of a Win32/WinHTTP code.
func (c CodeInfo) Forms() []string {
	forms := []string{c.Hex(), strconv.FormatUint(uint64(c.Code), 10)}
	if c.Code >= 0x80000000 {
		forms = append(forms, strconv.FormatInt(int64(int32(c.Code)), 10))
	}
	if alt, ok := win32Alias(c.Code); ok {
		forms = append(forms, fmt.Sprintf("0x%08X", alt))
		if alt < 0x10000 {
			forms = append(forms, strconv.FormatUint(uint64(alt), 10))
		}
	}
	return forms
}

// Fixes returns the remedies with t's values filled in; t may be nil (the
// placeholders <replica>, <VM> stay).
func (c CodeInfo) Fixes(t *Target) []Fix {
	if c.fixes == nil {
		return nil
	}
	return c.fixes(explainTarget(t, c.Auth))
}

// explainTarget fills placeholders for fixes shown without a target.
func explainTarget(t *Target, auth AuthType) *Target {
	if t != nil {
		return t
	}
	e := &Target{Replica: "<replica>", Auth: auth}
	if e.Auth == "" {
		e.Auth = AuthKerberos
	}
	e.Port = e.defaultPort()
	return e
}

// win32Alias maps a Win32/WinHTTP code to its HRESULT (0x8007xxxx) and
// back.
func win32Alias(code uint32) (uint32, bool) {
	switch {
	case code>>16 == 0x8007:
		return code & 0xFFFF, true
	case code < 0x10000:
		return 0x80070000 | code, true
	}
	return 0, false
}

var (
	codesByValue = map[uint32]*CodeInfo{}
	codeList     []*CodeInfo
)

func init() {
	for i := range knownCodes {
		c := &knownCodes[i]
		codeList = append(codeList, c)
		codesByValue[c.Code] = c
		for j, p := range c.phrases {
			c.phrases[j] = normalizeText(p)
		}
		if alt, ok := win32Alias(c.Code); ok {
			codesByValue[alt] = c
		}
	}
}

// Codes returns every code in the knowledge base.
func Codes() []CodeInfo {
	out := make([]CodeInfo, len(codeList))
	for i, c := range codeList {
		out[i] = *c
	}
	return out
}

// LookupCode returns the entry for a numeric code in any of its forms
// (WinHTTP number, HRESULT, HRESULT_FROM_WIN32).
func LookupCode(v uint32) (CodeInfo, bool) {
	c, ok := codesByValue[v]
	if !ok {
		return CodeInfo{}, false
	}
	return *c, true
}

// Explanation is the answer to `hvrdoctor explain INPUT`.
type Explanation struct {
	CodeInfo
	// ReadAs says how the input was understood: "hexadecimal 0x80090303",
	// "event log form %%2148074243", "text: \"target is unknown\"".
	ReadAs string
}

// ErrUnknownCode is returned (wrapped) by Explain for input it cannot match.
var ErrUnknownCode = fmt.Errorf("unknown error code")

var numberInText = regexp.MustCompile(`(?i)%%\d+|0x[0-9a-f]{1,8}\b|-\d{6,10}\b|\b\d{4,10}\b|\b[0-9a-f]{4,8}\b`)

// Explain reads an error code in any form Windows shows it (0x80090303,
// 80090303, -2146893053, 2148074243, %%2148074243, 12019, 0x2EF3) or a
// sentence pasted from an error dialog or event, and returns what it
// means. Unknown input returns an error wrapping ErrUnknownCode.
func Explain(input string) (Explanation, error) {
	s := strings.TrimSpace(input)
	if s == "" {
		return Explanation{}, fmt.Errorf("explain: empty input: give an error code such as 0x80090303, or paste the error text")
	}
	tok := strings.Trim(s, " \t\"'()[].,;:")
	if c, how, ok := parseCodeToken(tok); ok {
		if info, ok := LookupCode(c); ok {
			return Explanation{CodeInfo: info, ReadAs: how}, nil
		}
		return Explanation{}, fmt.Errorf("explain %q (%s): %w, not in hvrdoctor's table; look it up with: certutil -error %s", input, how, ErrUnknownCode, tok)
	}
	// Text: any code inside it first, then known message phrases.
	for _, m := range numberInText.FindAllString(s, -1) {
		if c, how, ok := parseCodeToken(m); ok {
			if info, ok := LookupCode(c); ok {
				return Explanation{CodeInfo: info, ReadAs: "code in the text: " + how}, nil
			}
		}
	}
	norm := normalizeText(s)
	best, bestLen, bestPhrase := (*CodeInfo)(nil), 0, ""
	for _, c := range codeList {
		for _, p := range c.phrases {
			if len(p) > bestLen && strings.Contains(norm, p) {
				best, bestLen, bestPhrase = c, len(p), p
			}
		}
	}
	if best != nil {
		return Explanation{CodeInfo: *best, ReadAs: fmt.Sprintf("text matching %q", strings.TrimSpace(bestPhrase))}, nil
	}
	return Explanation{}, fmt.Errorf("explain %q: %w and no known error message in the text; give the code shown in the dialog or event (for example 0x80090303)", shorten(input, 60), ErrUnknownCode)
}

// parseCodeToken reads one token as a code and says how it was read.
func parseCodeToken(tok string) (uint32, string, bool) {
	t := strings.TrimSpace(tok)
	if strings.HasPrefix(t, "%%") {
		v, err := strconv.ParseUint(t[2:], 10, 32)
		if err != nil {
			return 0, "", false
		}
		return uint32(v), "event log form " + t, true
	}
	if strings.HasPrefix(t, "0x") || strings.HasPrefix(t, "0X") {
		v, err := strconv.ParseUint(t[2:], 16, 32)
		if err != nil {
			return 0, "", false
		}
		return uint32(v), fmt.Sprintf("hexadecimal 0x%08X", v), true
	}
	if strings.HasPrefix(t, "-") {
		v, err := strconv.ParseInt(t, 10, 32)
		if err != nil || v >= 0 {
			return 0, "", false
		}
		return uint32(int32(v)), fmt.Sprintf("signed decimal %s = 0x%08X", t, uint32(int32(v))), true
	}
	dec, decErr := strconv.ParseUint(t, 10, 32)
	hex, hexErr := strconv.ParseUint(t, 16, 32)
	switch {
	case decErr == nil && hexErr == nil:
		// All digits: 80090303 is hexadecimal without 0x, 12019 decimal.
		// Prefer the reading that names a known code; 8 digits lean hex.
		decKnown := codesByValue[uint32(dec)] != nil
		hexKnown := codesByValue[uint32(hex)] != nil
		if hexKnown && (!decKnown || len(t) == 8) {
			return uint32(hex), fmt.Sprintf("hexadecimal 0x%08X", hex), true
		}
		if decKnown || len(t) != 8 {
			return uint32(dec), fmt.Sprintf("decimal %s = 0x%08X", t, dec), true
		}
		return uint32(hex), fmt.Sprintf("hexadecimal 0x%08X", hex), true
	case decErr == nil:
		return uint32(dec), fmt.Sprintf("decimal %s = 0x%08X", t, dec), true
	case hexErr == nil && len(t) >= 4:
		return uint32(hex), fmt.Sprintf("hexadecimal 0x%08X", hex), true
	}
	return 0, "", false
}

// normalizeText lower-cases and collapses punctuation and space so pasted
// dialog text matches the phrases.
func normalizeText(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			space = false
		case r == '\'' || r == '\u2019':
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return " " + strings.TrimSpace(b.String()) + " "
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// CodesSorted returns the table ordered by hexadecimal value, for listings.
func CodesSorted() []CodeInfo {
	out := Codes()
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}
