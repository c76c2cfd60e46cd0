// Package sampler collects per-process and per-disk I/O counters, turns them
// into rates over real elapsed time, keeps a bounded history, classifies each
// process (workload, inbox, third-party) and records samples to CSV.
//
// It has no UI imports: views and tui render what it computes.
package sampler
