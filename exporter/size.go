package exporter

import "github.com/hvrdoctor/hvrdoctor/internal/units"

// ParseSize reads a size such as "500GiB", "2 TB" or "127GB" and returns
// bytes (units.ParseSize, the one parser of sizes on the command line).
func ParseSize(s string) (float64, error) { return units.ParseSize(s) }
