package train

import (
	"fmt"
	"os"
	"path/filepath"
)

// Dirs are where training keeps its files. Tests point them at temporary
// directories.
type Dirs struct {
	// Scenarios is the trainers' own scenario files: <config dir>/hvrdoctor/scenarios.
	Scenarios string
	// Progress is the progress file: <config dir>/hvrdoctor/training-progress.json.
	Progress string
	// State holds one state file per running lab (and its answers):
	// $XDG_RUNTIME_DIR/hvrdoctor-train, else <cache dir>/hvrdoctor/train.
	State string
}

// DefaultDirs are the per-user directories: the config directory is
// XDG_CONFIG_HOME (~/.config) on Linux and %APPDATA% on Windows.
func DefaultDirs() (Dirs, error) {
	cfg, err := os.UserConfigDir()
	if err != nil {
		return Dirs{}, fmt.Errorf("training needs a per-user config directory: %w", err)
	}
	state := ""
	if rt := os.Getenv("XDG_RUNTIME_DIR"); rt != "" {
		state = filepath.Join(rt, "hvrdoctor-train")
	} else {
		cache, err := os.UserCacheDir()
		if err != nil {
			return Dirs{}, fmt.Errorf("training needs a per-user cache directory: %w", err)
		}
		state = filepath.Join(cache, "hvrdoctor", "train")
	}
	return Dirs{
		Scenarios: filepath.Join(cfg, "hvrdoctor", "scenarios"),
		Progress:  filepath.Join(cfg, "hvrdoctor", "training-progress.json"),
		State:     state,
	}, nil
}

func (d Dirs) statePath(id string) string   { return filepath.Join(d.State, id+".json") }
func (d Dirs) answersPath(id string) string { return filepath.Join(d.State, id+".answers.json") }
func (d Dirs) logPath(id string) string     { return filepath.Join(d.State, id+".log") }
