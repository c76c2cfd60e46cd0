//go:build !linux

package train

import (
	"context"
	"errors"
)

var errPagefileLinux = errors.New("the page-file lab needs Linux (a memory cgroup and a swap device)")

func pagefileAvailable() error { return errPagefileLinux }

func startPagefileLab(context.Context, string) (running, error) { return nil, errPagefileLinux }

func pagefileProblems(context.Context, Targets, map[string]string) []string {
	return []string{errPagefileLinux.Error()}
}

// releaseKernel has nothing to release where the page-file lab cannot run.
func releaseKernel(*State) {}

// RunPager is the page-file lab's workload; it runs on Linux only.
func RunPager(string) int { return 1 }
