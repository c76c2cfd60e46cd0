package pdh

import "unicode/utf16"

// decodeUTF16 turns UTF-16 code units into a string; an unpaired
// surrogate becomes U+FFFD.
func decodeUTF16(u []uint16) string { return string(utf16.Decode(u)) }
