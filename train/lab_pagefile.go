package train

import "context"

// The page-file lab: a workload given less memory than it uses, in a
// memory cgroup of its own, pages out to the lab's swap device, which
// stands for a page file on the replicated disk.
const (
	// pagerName is the workload's program name.
	pagerName = "sqlservr"
	// pagerMiB is the memory it touches, pagerLimitMiB its cgroup's limit
	// in the broken lab, pagerTouchKiB how much of it it touches per
	// second (about what it pages out per second once over the limit).
	pagerMiB      = 96
	pagerLimitMiB = 48
	pagerTouchKiB = 4096
	// pagerEnoughMiB is a limit that holds the workload and its runtime:
	// verify counts a limit this high as "memory given".
	pagerEnoughMiB = pagerMiB + 32
	// swapMiB is the size of each of the lab's two swap devices.
	swapMiB = 128
)

func init() {
	labKinds["pagefile"] = labKind{
		auth:      "kerberos",
		about:     "a real process, " + pagerName + ", in a memory cgroup whose limit is below what it uses, paging out to the lab's swap device (a loop device standing for the page file on the replicated disk)",
		vars:      append([]string{"agent_name", "agent_pid", "cgroup", "replicated_swap", "other_swap", "replicated_disk", "other_disk"}, commonVars...),
		available: pagefileAvailable,
		start:     func(ctx context.Context, dir string) (running, error) { return startPagefileLab(ctx, dir) },
		check:     pagefileProblems,
	}
}
