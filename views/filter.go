package views

import "strings"

// filterRows keeps the rows that match the "/" filter substr, in order;
// match gets substr in lower case. An empty substr keeps every row.
func filterRows[R any](rows []R, substr string, match func(r R, lower string) bool) []R {
	if substr == "" {
		return rows
	}
	substr = strings.ToLower(substr)
	out := make([]R, 0, len(rows))
	for _, r := range rows {
		if match(r, substr) {
			out = append(out, r)
		}
	}
	return out
}

// containsLower reports whether s, ignoring case, contains lower (already
// in lower case).
func containsLower(s, lower string) bool { return strings.Contains(strings.ToLower(s), lower) }
