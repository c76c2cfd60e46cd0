package tui

import (
	"runtime"
	"strings"

	"github.com/hvrdoctor/hvrdoctor/views"
)

// DetectDisplay chooses, from the environment, whether the terminal can
// show UTF-8 (else ascii is true) and which graph style suits its font.
// goos is runtime.GOOS in the program; getenv is os.Getenv there and a map
// in tests.
//
//   - A locale that is set and names another character set (LANG=C,
//     LC_ALL=en_US.ISO-8859-1) means ASCII.
//   - The Linux virtual console (TERM=linux) shows block elements but its
//     font has no braille: block graphs.
//   - On Windows, Go writes to the console in UTF-16 whatever the code page,
//     so characters arrive intact, but the classic console's fonts (Consolas,
//     Lucida Console) have no braille: block graphs, unless the session runs
//     in Windows Terminal (WT_SESSION set), which falls back to other fonts.
func DetectDisplay(goos string, getenv func(string) string) (ascii bool, mode views.GraphMode) {
	if goos != "windows" {
		for _, v := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
			if loc := getenv(v); loc != "" {
				l := strings.ToLower(loc)
				if !strings.Contains(l, "utf-8") && !strings.Contains(l, "utf8") {
					return true, views.ASCII
				}
				break
			}
		}
	}
	switch {
	case goos == "windows" && getenv("WT_SESSION") == "":
		return false, views.Blocks
	case getenv("TERM") == "linux":
		return false, views.Blocks
	}
	return false, views.Braille
}

// DetectDisplayHere is DetectDisplay for this process.
func DetectDisplayHere(getenv func(string) string) (bool, views.GraphMode) {
	return DetectDisplay(runtime.GOOS, getenv)
}
