package probes

import (
	"crypto/sha256"
	"encoding/hex"
	"github.com/hvrdoctor/hvrdoctor/internal/textsafe"
	"os"
	"strconv"
	"strings"
	"sync"
)

// psSingleQuotes are the characters PowerShell accepts as a single quote:
// ' and the typographic ones (U+2018..U+201B). Any of them would end a
// single-quoted string unless doubled.
const psSingleQuotes = "'\u2018\u2019\u201a\u201b"

// psQuote returns s as one PowerShell argument that no value can end or
// alter: a single-quoted string (no variable or subexpression expansion)
// with every single-quote character doubled. A value holding control
// characters (a newline would break the command over lines) or
// bidirectional controls (the command would read in another order than it
// runs; see textsafe.Unprintable) becomes a
// parenthesised concatenation of such strings and [char] codes, still one
// argument on one line. Fix commands are PowerShell; native commands
// (netsh, setspn, certutil) get their arguments through the same parser.
func psQuote(s string) string {
	if !strings.ContainsFunc(s, textsafe.Unprintable) {
		return psSingle(s)
	}
	var parts []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			parts = append(parts, psSingle(cur.String()))
			cur.Reset()
		}
	}
	for _, r := range s {
		if textsafe.Unprintable(r) {
			flush()
			parts = append(parts, "[char]"+strconv.Itoa(int(r)))
			continue
		}
		cur.WriteRune(r)
	}
	flush()
	return "(" + strings.Join(parts, "+") + ")"
}

// psSingle is s in single quotes with embedded single quotes doubled.
func psSingle(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		if strings.ContainsRune(psSingleQuotes, r) {
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String()
}

// psKeyValue is a native command's key=value argument (netsh) with the
// value quoted: proxy-server='proxy:3128'.
func psKeyValue(key, value string) string {
	if strings.ContainsFunc(value, textsafe.Unprintable) {
		return psQuote(key + "=" + value)
	}
	return key + "=" + psSingle(value)
}

// replicaArg is t's replica for a command, quoted; "<replica>" stays a
// placeholder.
func (t *Target) replicaArg() string {
	if t.Replica == "" || t.Replica == "<replica>" {
		return "<replica>"
	}
	return psQuote(t.Replica)
}

// thumbprintCache remembers the thumbprint of a certificate loaded from a
// file, so fix builders do not read (and decrypt) it again.
var thumbprintCache sync.Map // CertSource and password hash -> thumbprint or "<THUMBPRINT>"

// thumbprint is the thumbprint of t's certificate when it is known (a
// thumbprint given, or a file that loads), else "<THUMBPRINT>".
func (t *Target) thumbprint() string {
	src := strings.TrimSpace(t.CertSource)
	if src == "" {
		return "<THUMBPRINT>"
	}
	if th, ok := normalizeThumbprint(src); ok {
		if _, err := os.Stat(src); err != nil {
			return th // a thumbprint, not a file
		}
	}
	// Keyed by source and a hash of the password, failures included, so
	// a certificate is read (and a PFX decrypted) once per run.
	sum := sha256.Sum256([]byte(t.CertPassword))
	key := src + "\x00" + hex.EncodeToString(sum[:8])
	if v, ok := thumbprintCache.Load(key); ok {
		return v.(string)
	}
	th := "<THUMBPRINT>"
	if lc, err := LoadCertificate(src, t.CertPassword); err == nil && lc != nil && lc.Leaf != nil {
		th = Thumbprint(lc.Leaf)
	}
	thumbprintCache.Store(key, th)
	return th
}

// computerArg is w32tm's /computer: argument for t's replica, quoted
// whole.
func (t *Target) computerArg() string {
	if t.Replica == "" || t.Replica == "<replica>" {
		return "/computer:<replica>"
	}
	return psQuote("/computer:" + t.Replica)
}

// PSQuote is psQuote for renderers outside this package (the check
// command views suggest): value as one PowerShell single-quoted argument.
func PSQuote(value string) string { return psQuote(value) }
