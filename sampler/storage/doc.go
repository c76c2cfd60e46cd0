// Package storage reads what Resource Monitor's Storage section shows: per
// disk, active time, queue length, throughput, I/O operations and response
// time; per mounted volume, the filesystem and its total and available
// space. Linux reads /proc/diskstats, /proc/self/mountinfo and statfs;
// Windows reads the PhysicalDisk counters through PDH (English counter
// names) and the fixed drives through GetDiskFreeSpaceEx. No UI imports.
package storage
