package train

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// removeTree removes dir and everything in it: os.RemoveAll, then, for
// what is left, each entry deepest first with os.Remove (Windows under
// wine refuses RemoveAll's delete disposition, "Invalid function").
func removeTree(dir string) error {
	err := os.RemoveAll(dir)
	if err == nil {
		return nil
	}
	var paths []string
	filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err == nil {
			paths = append(paths, p)
		}
		return nil
	})
	sort.Slice(paths, func(i, j int) bool { return len(paths[i]) > len(paths[j]) })
	for _, p := range paths {
		os.Remove(p)
	}
	if _, serr := os.Lstat(dir); serr != nil {
		return nil
	}
	return err
}
