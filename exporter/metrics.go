package exporter

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// namespace prefixes every metric the exporter defines.
const namespace = "hvrdoctor"

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(namespace+"_"+name, help, labels, nil)
}

// The churn metrics. Process counters carry the process name and class,
// never the PID, so their number is bounded (DefaultMaxProcessSeries).
var (
	procWritten = desc("process_written_bytes_total",
		"Bytes written by processes of this name and class since the exporter started, summed over their PIDs; basis says the counter (disk: bytes of write requests issued to the disks for them, from the block layer, when hvrdoctor's eBPF block-layer source runs; storage: storage-layer writes net of cancelled writes (Linux write_bytes, which can overstate what reaches the disk); page-cache: bytes passed to write calls, for processes whose storage counters could not be read). What storage-layer means on this OS is in hvrdoctor_sampler_info's write_label.",
		"name", "class", "basis")
	procRead = desc("process_read_bytes_total",
		"Bytes read by processes of this name and class since the exporter started, summed over their PIDs, from the same counters as hvrdoctor_process_written_bytes_total.",
		"name", "class", "basis")
	procCancelled = desc("process_cancelled_written_bytes_total",
		"Bytes of writes cancelled before they reached the storage (files truncated or deleted while their pages were dirty; Linux cancelled_write_bytes) by processes of this name and class; already taken out of hvrdoctor_process_written_bytes_total.",
		"name", "class", "basis")
	procLogical = desc("process_logical_written_bytes_total",
		"Bytes passed to write system calls (pipes and terminals included; Linux wchar) by processes of this name and class.",
		"name", "class", "basis")
	procDirtied = desc("process_dirtied_bytes_total",
		"Page cache dirtied by processes of this name and class (Linux write_bytes net of cancelled, \"dirtied (kernel accounting)\"), kept beside the disk bytes of basis=\"disk\"; it can exceed them many times (a whole large folio charged per small synced write).",
		"name", "class", "basis")
	processSeries = desc("process_series",
		"Process series kept (bounded; names that found no room are counted under name=\"(other processes)\").")
	diskWritten = desc("disk_written_bytes_total", "Bytes written to this block device since the exporter started.", "disk")
	diskRead    = desc("disk_read_bytes_total", "Bytes read from this block device since the exporter started.", "disk")
	fileWritten = desc("file_written_bytes",
		"Bytes written to this file by processes of this name since the exporter started, for the files written most (top N). A gauge, not a counter: a file leaves the list when others overtake it, and when more files than the bound were written the half that wrote least is forgotten and starts again from zero.",
		"path", "process")
	hiddenProcs = desc("hidden_processes",
		"Processes whose counters could not be read for lack of privilege at the last sample (run as root/Administrator to see them).")
	unreadableProcs = desc("unreadable_processes",
		"Processes whose counters were refused even with privilege at the last sample (protected processes).")
	spikeFactor = desc("churn_spike_factor",
		"Writes of the last complete minute over the baseline (the median complete minute), by hvrdoctor analyze's rule; absent until the baseline exists (3 complete minutes).")
	spikeThreshold = desc("churn_spike_threshold",
		"Spike factor above which hvrdoctor calls a minute a spike.")
	baselineBytes = desc("churn_baseline_minute_bytes",
		"Baseline: bytes written in the median complete minute of the last one to two hours; absent until 3 complete minutes were sampled.")
	topProcess = desc("top_process_write_bytes_per_second",
		"Bytes per second written over the last interval by the top writers, with their PID (off unless --top-pids is given; PIDs make new series as processes come and go).",
		"rank", "pid", "name", "class")
	samplesTotal = desc("sampler_samples_total", "Samples taken by the exporter's sampling loop.")
	errorsTotal  = desc("sampler_errors_total", "Samples (process counters or per-file reading) that failed; their interval is counted in the next one.")
	lateTotal    = desc("sampler_late_samples_total",
		"Samples taken more than 1.5 intervals after the previous one (the machine or the sampler was too slow): their bytes still count, over the longer interval.")
	sampleSeconds = desc("sampler_duration_seconds_total",
		"Wall-clock seconds spent reading counters, by part (processes: the per-process and per-disk counters; files: the per-file backend).", "part")
	pairsDropped = desc("file_pairs_dropped_total",
		"(process, file) pairs the per-file backend could not keep apart (its table or event buffer was full); their bytes stay in the process counters.")
	samplerInfo = desc("sampler_info",
		"What the counters are: the process source, its write counters, the per-file backend (\"none\" with the reason in file_note).",
		"source", "write_label", "file_backend", "file_note")
	intervalSeconds = desc("sampler_interval_seconds", "Time between the exporter's samples.")
	linkRate        = desc("link_bytes_per_second",
		"The WAN link to the replica server as given with --link-rate (bytes per second, before compression); absent when not given.")
	vmDisk = desc("vm_virtual_disk_bytes",
		"The VM's total virtual disk size as given with --vm-disk-size (Hyper-V Replica resynchronises when the change log exceeds half of it); absent when not given.")
	replInterval = desc("replication_interval_seconds",
		"The replication frequency given with --replication-interval (30, 300 or 900 s); absent when not given.")
)

// Describe sends the churn metrics' descriptions.
func (c *Churn) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{procWritten, procRead, procCancelled, procLogical, procDirtied, processSeries, diskWritten, diskRead,
		fileWritten, hiddenProcs, unreadableProcs, spikeFactor, spikeThreshold, baselineBytes, topProcess,
		samplesTotal, errorsTotal, lateTotal, sampleSeconds, pairsDropped, samplerInfo, intervalSeconds, linkRate, replInterval, vmDisk} {
		ch <- d
	}
}

// Collect sends what the sampling loop accumulated; it never samples.
func (c *Churn) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	for k, t := range c.procs {
		counter(procWritten, t.written, k.name, k.class, k.basis)
		counter(procRead, t.read, k.name, k.class, k.basis)
		if c.info.CancelledWrites {
			counter(procCancelled, t.cancelled, k.name, k.class, k.basis)
		}
		counter(procLogical, t.logical, k.name, k.class, k.basis)
		if k.basis == sampler.BasisDisk {
			counter(procDirtied, t.dirtied, k.name, k.class, k.basis)
		}
	}
	gauge(processSeries, float64(len(c.procs)))
	for name, t := range c.disks {
		counter(diskWritten, t.written, name)
		counter(diskRead, t.read, name)
	}
	for _, k := range c.topFilesLocked() {
		gauge(fileWritten, c.fileTotals[k], k.path, k.process)
	}
	gauge(hiddenProcs, float64(c.hidden))
	gauge(unreadableProcs, float64(c.unreadable))
	gauge(spikeThreshold, c.spikeLimit)
	if c.haveBase {
		gauge(spikeFactor, c.spikeFactor)
		gauge(baselineBytes, c.baseline)
	}
	for i, p := range c.top {
		gauge(topProcess, p.WriteRate, itoa(i+1), itoa(int(p.PID)), p.Name, p.Class)
	}
	counter(samplesTotal, float64(c.samples))
	counter(errorsTotal, float64(c.errors))
	counter(lateTotal, float64(c.late))
	counter(sampleSeconds, c.sampleSecs, "processes")
	backend := "none"
	if c.files != nil {
		counter(sampleSeconds, c.fileSecs, "files")
		counter(pairsDropped, float64(c.pairsDrop))
		backend = c.fileInfo.Backend
	}
	gauge(samplerInfo, 1, c.info.Name, c.info.WriteLabel, backend, c.fileNote)
	gauge(intervalSeconds, c.opt.Interval.Seconds())
	if c.opt.LinkRate > 0 {
		gauge(linkRate, c.opt.LinkRate)
	}
	if c.opt.VMDiskBytes > 0 {
		gauge(vmDisk, c.opt.VMDiskBytes)
	}
	if c.opt.ReplicationInterval > 0 {
		gauge(replInterval, c.opt.ReplicationInterval.Seconds())
	}
}
