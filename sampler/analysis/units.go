package analysis

func className(c string) string {
	if c == "" {
		return "unclassified"
	}
	return c
}
