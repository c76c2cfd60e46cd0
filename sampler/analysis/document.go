package analysis

import (
	"strings"
	"time"
)

// DocumentSchema identifies the JSON document `hvrdoctor analyze --format
// json` prints. Fields are only ever added within a schema version; a
// rename, removal or change of meaning bumps it. docs/analyze-json.md
// documents every field.
const DocumentSchema = "hvrdoctor.analyze/v1"

// Document is a Result as the JSON document of `analyze --format json`:
// bytes are bytes, rates bytes per second (uncompressed where named so),
// durations seconds, times RFC 3339 with the recording's offset.
type Document struct {
	Schema string `json:"schema"`
	Tool   string `json:"tool"`
	// Host is the recorded host; "" when the recording has no Host column.
	Host            string     `json:"host"`
	Start           time.Time  `json:"start"`
	End             time.Time  `json:"end"`
	RecordedSeconds float64    `json:"recorded_seconds"`
	Samples         int        `json:"samples"`
	Minutes         int        `json:"minutes"`
	CompleteMinutes int        `json:"complete_minutes"`
	Inputs          []DocInput `json:"inputs"`
	// TotalSource is "disk" (HVRStats, disk counters) or "processes".
	TotalSource     string  `json:"total_source"`
	TotalBytes      float64 `json:"total_bytes"`
	AttributedBytes float64 `json:"attributed_bytes"`
	// BaselineBytes is the median complete minute; 0 when fewer than
	// BaselineNeedsMinutes complete minutes were recorded.
	BaselineBytes        float64 `json:"baseline_bytes"`
	BaselineNeedsMinutes int     `json:"baseline_needs_minutes"`
	PatternNeedsMinutes  int     `json:"pattern_needs_minutes"`
	SpikeFactor          float64 `json:"spike_factor"`

	Pivot     []DocMinute  `json:"pivot"`
	Spikes    []DocSpike   `json:"spikes"`
	Processes []DocProcess `json:"processes"`
	Files     []DocFile    `json:"files"`
	Classes   []DocClass   `json:"classes"`
	Impact    DocImpact    `json:"impact"`
	// ResyncForecast is the guest's resync forecast; absent without a disk
	// size or with too little recorded, and ResyncForecastNote says why.
	ResyncForecast     *DocForecast `json:"resync_forecast,omitempty"`
	ResyncForecastNote string       `json:"resync_forecast_note,omitempty"`
	Basis              []string     `json:"basis"`
	Notes              []string     `json:"notes"`
	Skipped            []string     `json:"skipped"`
}

// DocForecast is the guest's resync forecast: the time until the change
// log would reach 50% of the total disk size at the sustained write rate,
// if replication stalled.
type DocForecast struct {
	DiskBytes       int64   `json:"disk_bytes"`
	DiskSource      string  `json:"disk_source"`
	ThresholdBytes  int64   `json:"threshold_bytes"`
	RateBytesPerSec float64 `json:"rate_bytes_per_sec"`
	RateSource      string  `json:"rate_source"`
	RecordedSeconds float64 `json:"recorded_seconds"`
	SecondsUntil    float64 `json:"seconds_until"`
	Capped          bool    `json:"capped"`
	Basis           string  `json:"basis"`
}

// DocInput is one file read.
type DocInput struct {
	Path        string `json:"path"`
	Kind        Kind   `json:"kind"`
	Samples     int    `json:"samples"`
	SkippedRows int    `json:"skipped_rows"`
}

// DocMinute is one minute of the pivot; Classes are the process writes by
// class (workload, inbox, third_party, other: unclassified and disk writes
// no process explains).
type DocMinute struct {
	Minute  time.Time          `json:"minute"`
	Bytes   float64            `json:"bytes"`
	Classes map[string]float64 `json:"classes"`
	Factor  float64            `json:"factor"`
	Spike   bool               `json:"spike"`
	Partial bool               `json:"partial"`
}

// DocSpike is a spike minute with its culprits.
type DocSpike struct {
	Minute   time.Time    `json:"minute"`
	Bytes    float64      `json:"bytes"`
	Factor   float64      `json:"factor"`
	Partial  bool         `json:"partial"`
	Culprits []DocCulprit `json:"culprits"`
	// Disks are the disks' load in the minute, busiest first; absent
	// when the recording has no disk time columns.
	Disks []DiskLoad `json:"disks,omitempty"`
}

// DocCulprit is one process's part of a spike minute.
type DocCulprit struct {
	Process string    `json:"process"`
	PID     int32     `json:"pid"`
	Class   string    `json:"class"`
	Pattern Pattern   `json:"pattern"`
	Bytes   float64   `json:"bytes"`
	Share   float64   `json:"share"`
	Files   []DocFile `json:"files"`
}

// DocProcess is one process over the recording.
type DocProcess struct {
	Process        string  `json:"process"`
	PID            int32   `json:"pid"`
	Class          string  `json:"class"`
	Pattern        Pattern `json:"pattern"`
	WriteBytes     float64 `json:"write_bytes"`
	ReadBytes      float64 `json:"read_bytes"`
	Share          float64 `json:"share"`
	ActiveMinutes  int     `json:"active_minutes"`
	PeakMinute     string  `json:"peak_minute"`
	PeakMinuteByte float64 `json:"peak_minute_bytes"`
}

// DocFile is one file's writes (in a spike minute, or over the recording
// with its writer).
type DocFile struct {
	Path    string  `json:"path"`
	Bytes   float64 `json:"bytes"`
	Process string  `json:"process,omitempty"`
	PID     int32   `json:"pid,omitempty"`
	Class   string  `json:"class,omitempty"`
}

// DocClass is one class's part of the process writes.
type DocClass struct {
	Class string  `json:"class"`
	Bytes float64 `json:"bytes"`
	Share float64 `json:"share"`
}

// DocImpact is the replication impact.
type DocImpact struct {
	Compression float64 `json:"compression"`
	Growth      float64 `json:"growth"`
	// LinkBytesPerSec is the --link given; 0 without one.
	LinkBytesPerSec float64       `json:"link_bytes_per_sec"`
	Intervals       []DocInterval `json:"intervals"`
}

// DocInterval is one replication interval. Figures come from complete
// cycles; with none, Projection is set and the cycle figures are 0.
type DocInterval struct {
	IntervalSeconds          float64        `json:"interval_seconds"`
	CompleteCycles           int            `json:"complete_cycles"`
	PartialCycles            int            `json:"partial_cycles"`
	PeakBytes                float64        `json:"peak_bytes"`
	PeakAt                   *time.Time     `json:"peak_at"`
	P95Bytes                 float64        `json:"p95_bytes"`
	TypicalBytes             float64        `json:"typical_bytes"`
	NeededPeakBytesPerSec    float64        `json:"needed_peak_bytes_per_sec"`
	NeededP95BytesPerSec     float64        `json:"needed_p95_bytes_per_sec"`
	NeededTypicalBytesPerSec float64        `json:"needed_typical_bytes_per_sec"`
	AverageBytesPerSec       float64        `json:"average_bytes_per_sec"`
	PlannedBytesPerSec       float64        `json:"planned_bytes_per_sec"`
	Projection               *DocProjection `json:"projection"`
	Link                     *DocLink       `json:"link"`
	// RPOSeconds is the achievable RPO at the link; 0 when not met or
	// without a link or a complete cycle (RPOMet false).
	RPOSeconds float64 `json:"rpo_seconds"`
	RPOMet     bool    `json:"rpo_met"`
}

// DocProjection is an estimate from a recording shorter than one cycle.
type DocProjection struct {
	RecordedSeconds       float64 `json:"recorded_seconds"`
	SustainedBytesPerSec  float64 `json:"sustained_bytes_per_sec"`
	CycleBytes            float64 `json:"cycle_bytes"`
	NeededBytesPerSec     float64 `json:"needed_bytes_per_sec"`
	PlannedBytesPerSec    float64 `json:"planned_bytes_per_sec"`
	LinkCarriesNow        *bool   `json:"link_carries_now"`
	LinkCarriesWithGrowth *bool   `json:"link_carries_with_growth"`
}

// DocLink is the link verdict over the complete cycles.
type DocLink struct {
	KeepsUp           bool       `json:"keeps_up"`
	LateCycles        int        `json:"late_cycles"`
	MaxBacklogBytes   float64    `json:"max_backlog_bytes"`
	MaxBacklogAt      *time.Time `json:"max_backlog_at"`
	MaxLagSeconds     float64    `json:"max_lag_seconds"`
	Drains            bool       `json:"drains"`
	GrowthFits        bool       `json:"growth_fits"`
	HealthWarningRisk bool       `json:"health_warning_risk"`
}

func classJSON(c string) string {
	if c == "" {
		return "unclassified"
	}
	return strings.ReplaceAll(c, "-", "_")
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// Document returns the result as the JSON document; tool names the
// program and version.
func (res *Result) Document(tool string) Document {
	r := res.Report
	d := Document{Schema: DocumentSchema, Tool: tool, Host: res.Host, Start: r.Start, End: r.End,
		Samples: r.Samples, Minutes: r.Minutes, CompleteMinutes: r.CompleteMinutes,
		TotalSource: "processes", TotalBytes: r.TotalBytes, AttributedBytes: r.AttributedBytes,
		BaselineBytes: r.Baseline, BaselineNeedsMinutes: r.BaselineNeeds, PatternNeedsMinutes: r.PatternNeeds, SpikeFactor: r.SpikeFactor,
		Pivot: []DocMinute{}, Spikes: []DocSpike{}, Processes: []DocProcess{}, Files: []DocFile{}, Classes: []DocClass{},
		Basis: append([]string{}, r.Basis...), Notes: append([]string{}, res.Notes...), Skipped: append([]string{}, res.SkippedLines()...),
		Impact: DocImpact{Compression: r.Compression, Growth: r.Growth, LinkBytesPerSec: r.LinkRate, Intervals: []DocInterval{}},
	}
	if strings.HasPrefix(r.TotalSource, "disk") {
		d.TotalSource = "disk"
	}
	for _, im := range r.Impact {
		d.RecordedSeconds = im.Recorded.Seconds()
		break
	}
	for _, in := range res.Inputs {
		d.Inputs = append(d.Inputs, DocInput{Path: in.Path, Kind: in.Kind, Samples: in.Samples, SkippedRows: in.Skipped.Count})
	}
	for _, m := range r.Pivot.Minutes {
		cl := map[string]float64{}
		for i, n := range ClassSlotNames {
			cl[classJSON(n)] = m.Classes[i]
		}
		d.Pivot = append(d.Pivot, DocMinute{Minute: m.Time, Bytes: m.Bytes, Classes: cl, Factor: m.Factor, Spike: m.Spike, Partial: m.Partial})
	}
	for _, m := range r.Spikes {
		sp := DocSpike{Minute: m.Time, Bytes: m.Bytes, Factor: m.Factor, Partial: m.Partial, Culprits: []DocCulprit{}, Disks: m.Disks}
		for _, c := range m.Culprits {
			dc := DocCulprit{Process: c.Name, PID: c.PID, Class: classJSON(string(c.Class)), Pattern: c.Pattern, Bytes: c.Bytes, Share: c.Share, Files: []DocFile{}}
			for _, f := range c.Files {
				dc.Files = append(dc.Files, DocFile{Path: f.Path, Bytes: f.Bytes})
			}
			sp.Culprits = append(sp.Culprits, dc)
		}
		d.Spikes = append(d.Spikes, sp)
	}
	for _, p := range r.Processes {
		d.Processes = append(d.Processes, DocProcess{Process: p.Name, PID: p.PID, Class: classJSON(string(p.Class)), Pattern: p.Pattern,
			WriteBytes: p.WriteBytes, ReadBytes: p.ReadBytes, Share: p.Share, ActiveMinutes: p.ActiveMinutes, PeakMinute: p.PeakLabel, PeakMinuteByte: p.PeakBytes})
	}
	for _, f := range r.Files {
		d.Files = append(d.Files, DocFile{Path: f.Path, Bytes: f.Bytes, Process: f.Process, PID: f.PID, Class: classJSON(string(f.Class))})
	}
	for _, c := range r.Classes {
		d.Classes = append(d.Classes, DocClass{Class: classJSON(string(c.Class)), Bytes: c.Bytes, Share: c.Share})
	}
	for _, x := range r.Impact {
		di := DocInterval{IntervalSeconds: x.Interval.Seconds(), CompleteCycles: x.Cycles, PartialCycles: x.PartialCycles,
			PeakBytes: x.PeakBytes, PeakAt: timePtr(x.PeakAt), P95Bytes: x.P95Bytes, TypicalBytes: x.TypicalBytes,
			NeededPeakBytesPerSec: x.PeakRate, NeededP95BytesPerSec: x.P95Rate, NeededTypicalBytesPerSec: x.TypicalRate,
			AverageBytesPerSec: x.AverageRate, PlannedBytesPerSec: x.PlannedRate,
			RPOSeconds: x.RPO.Seconds(), RPOMet: x.RPO > 0 && !x.RPONotMet}
		if p := x.Projection; p != nil {
			dp := &DocProjection{RecordedSeconds: p.Recorded.Seconds(), SustainedBytesPerSec: p.SustainedRate, CycleBytes: p.CycleBytes,
				NeededBytesPerSec: p.NeededRate, PlannedBytesPerSec: p.PlannedRate}
			if p.HasLink {
				now, g := p.FitsNow, p.FitsWithGrowth
				dp.LinkCarriesNow, dp.LinkCarriesWithGrowth = &now, &g
			}
			di.Projection = dp
		}
		if v := x.Link; v != nil {
			di.Link = &DocLink{KeepsUp: v.KeepsUp, LateCycles: v.LateCycles, MaxBacklogBytes: v.MaxBacklog, MaxBacklogAt: timePtr(v.MaxBacklogAt),
				MaxLagSeconds: v.MaxLag.Seconds(), Drains: v.Drains, GrowthFits: v.GrowthFits,
				HealthWarningRisk: x.Cycles > 0 && float64(v.LateCycles) > 0.2*float64(x.Cycles)}
		}
		d.Impact.Intervals = append(d.Impact.Intervals, di)
	}
	if f := r.Forecast; f != nil {
		d.ResyncForecast = &DocForecast{DiskBytes: f.DiskBytes, DiskSource: f.DiskSource, ThresholdBytes: f.ThresholdBytes,
			RateBytesPerSec: f.RateBytesPerSec, RateSource: d.TotalSource, RecordedSeconds: f.Recorded.Seconds(),
			SecondsUntil: f.Until.Seconds(), Capped: f.Capped, Basis: f.Basis}
	}
	d.ResyncForecastNote = r.ForecastNote
	return d
}
