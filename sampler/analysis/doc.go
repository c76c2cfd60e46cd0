// Package analysis turns recorded or live write samples into the churn
// analysis an admin used to do by hand in Excel: a pivot by minute and by
// process, a baseline, spikes with their culprits, persistent churn told
// apart from bursts, and what the churn means for Hyper-V Replica (log size
// per replication interval, WAN bandwidth needed, whether a link keeps up).
//
// Inputs are streamed: readers return one Sample at a time and never hold a
// whole file, so memory depends on the recording's length in minutes and on
// the number of distinct processes, not on the file size or sample rate.
// Readers exist for hvrdoctor's own recordings (HVRStats-N.csv,
// ProcStats-N.csv, FileStats-N.csv), for perfmon exports (relog -f csv, wide
// format) and for a generic long CSV with column mapping. The Analyzer takes
// the same Samples, or live sampler.Frame values, one at a time.
//
// Definitions used throughout (and printed with the results):
//
//   - Attribution: a sample's bytes belong to the minute (and replication
//     bin) of its timestamp, as the Excel pivot on the timestamp column does.
//     Bytes in a sample are rate x elapsed time, or the delta of the
//     process's cumulative counter when the recording has one.
//   - Minute total: disk writes (HVRStats, or the live frame's disk rate)
//     when any disk data is present, otherwise the sum of process writes.
//   - Complete minute, complete cycle: a minute (or replication cycle,
//     aligned to the clock) the samples cover from its start to its end.
//     The first and last minutes of a recording, and the current minute
//     live, are partial: shown, marked, but left out of the baseline and
//     the patterns; cycle figures come from complete cycles only.
//   - Baseline: the median total of the complete minutes, once there are
//     at least 3 of them (DefaultMinBaselineMinutes); no spike before.
//   - Spike: a minute whose total is above SpikeFactor x baseline.
//   - Persistent churn: a process that makes at least PersistentShare (10%)
//     of the minute's writes in at least PersistentMinutes (50%) of the
//     complete minutes. Burst: a process whose busiest minutes, at most
//     BurstMinutes (5%) of the minutes (at least one), hold 80% of its
//     bytes. Background: active in at least half the minutes but under the
//     share threshold. Intermittent: everything else. No pattern is named
//     before MinPatternMinutes (10) complete minutes: "too short to tell".
//   - Replication impact per interval: the largest, 95th-percentile and
//     median complete cycle, the bandwidth each needs, the planned
//     bandwidth (95th-percentile cycle plus Growth, 30% by default; the
//     Azure Site Recovery Deployment Planner plans with the 95th percentile
//     of per-minute churn and 30% growth), the link simulated over the
//     complete cycles and the achievable RPO (interval plus the time the
//     link needs for a planned cycle). With no complete cycle: a
//     projection from the sustained rate, labelled as such.
//   - Compression: a ratio R in (0, 1], compressed size = R x original size
//     (0.5 means the WAN carries half the bytes). 1 assumes no compression.
//   - Basis of the estimate: bytes written inside the guest are an upper
//     bound of the changed blocks the .hrl log tracks.
package analysis
