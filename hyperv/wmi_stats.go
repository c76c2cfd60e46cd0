package hyperv

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// WMIStatistics is Msvm_ReplicationStatistics (root\virtualization\v2) for
// one relationship, as Msvm_ReplicationService.GetReplicationStatisticsEx
// returns it (an embedded instance in CIM-XML). Per Microsoft's class
// reference: sizes in bytes, ReplicationLatency the total and
// MaxReplicationLatency the maximum of a cycle, in seconds; the counts
// cover StartStatisticTime to EndStatisticTime (the monitoring interval).
type WMIStatistics struct {
	VMId     string
	Extended bool

	StartStatisticTime, EndStatisticTime time.Time

	ReplicationSuccessCount, ReplicationMissCount       uint64
	NetworkFailureCount, ReplicationFailureCount        uint64
	ReplicationSize, MaxReplicationSize                 uint64
	ReplicationLatency, MaxReplicationLatency           uint64
	PendingReplicationSize                              uint64
	ApplicationConsistentSnapshotFailureCount, Health   uint64
	hasCounts, hasSizes, hasLatency, hasPending, hasAny bool
}

// StatisticsDerivation says how the live statistics become the figures
// status shows; the averages' derivation is not documented.
const StatisticsDerivation = "statistics from Msvm_ReplicationStatistics: average size = ReplicationSize / ReplicationSuccessCount and " +
	"average latency = ReplicationLatency / ReplicationSuccessCount (UNCONFIRMED: Microsoft does not document how " +
	"Measure-VMReplication derives its averages), errors = NetworkFailureCount + ReplicationFailureCount"

// cimInstance is the CIM-XML (DTD 2.0) form of an embedded instance, as
// WMI's GetText_(wbemTextFormatCIMDTD20) writes it.
type cimInstance struct {
	XMLName    xml.Name `xml:"INSTANCE"`
	ClassName  string   `xml:"CLASSNAME,attr"`
	Properties []struct {
		Name  string  `xml:"NAME,attr"`
		Type  string  `xml:"TYPE,attr"`
		Value *string `xml:"VALUE"`
	} `xml:"PROPERTY"`
}

// ParseWMIStatistics reads one Msvm_ReplicationStatistics embedded
// instance in CIM-XML; vmID and extended say which relationship it was
// asked for.
func ParseWMIStatistics(text, vmID string, extended bool) (WMIStatistics, error) {
	var inst cimInstance
	if err := xml.Unmarshal([]byte(text), &inst); err != nil {
		return WMIStatistics{}, fmt.Errorf("Msvm_ReplicationStatistics of %s: not CIM-XML: %v", vmID, oneLine(err.Error()))
	}
	if !strings.EqualFold(inst.ClassName, "Msvm_ReplicationStatistics") {
		return WMIStatistics{}, fmt.Errorf("Msvm_ReplicationStatistics of %s: got an instance of %q", vmID, inst.ClassName)
	}
	st := WMIStatistics{VMId: vmID, Extended: extended}
	for _, p := range inst.Properties {
		if p.Value == nil {
			continue // NULL
		}
		v := strings.TrimSpace(*p.Value)
		if p.Type == "datetime" {
			t, err := ParseCIMDatetime(v)
			if err != nil {
				return WMIStatistics{}, fmt.Errorf("Msvm_ReplicationStatistics of %s: %s: %v", vmID, p.Name, err)
			}
			switch p.Name {
			case "StartStatisticTime":
				st.StartStatisticTime = t
			case "EndStatisticTime":
				st.EndStatisticTime = t
			}
			continue
		}
		dst := map[string]*uint64{
			"ReplicationSuccessCount": &st.ReplicationSuccessCount, "ReplicationMissCount": &st.ReplicationMissCount,
			"NetworkFailureCount": &st.NetworkFailureCount, "ReplicationFailureCount": &st.ReplicationFailureCount,
			"ReplicationSize": &st.ReplicationSize, "MaxReplicationSize": &st.MaxReplicationSize,
			"ReplicationLatency": &st.ReplicationLatency, "MaxReplicationLatency": &st.MaxReplicationLatency,
			"PendingReplicationSize":                    &st.PendingReplicationSize,
			"ApplicationConsistentSnapshotFailureCount": &st.ApplicationConsistentSnapshotFailureCount,
			"ReplicationHealth":                         &st.Health,
		}[p.Name]
		if dst == nil {
			continue
		}
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return WMIStatistics{}, fmt.Errorf("Msvm_ReplicationStatistics of %s: %s = %q is not a number", vmID, p.Name, probes.ShowValue(v))
		}
		*dst = n
		st.hasAny = true
		switch p.Name {
		case "ReplicationSuccessCount", "ReplicationMissCount":
			st.hasCounts = true
		case "ReplicationSize", "MaxReplicationSize":
			st.hasSizes = true
		case "ReplicationLatency", "MaxReplicationLatency":
			st.hasLatency = true
		case "PendingReplicationSize":
			st.hasPending = true
		}
	}
	if !st.hasAny {
		return WMIStatistics{}, fmt.Errorf("Msvm_ReplicationStatistics of %s has no values", vmID)
	}
	return st, nil
}

// ParseCIMDatetime reads a CIM datetime, yyyymmddHHMMSS.mmmmmmsUUU
// (UUU: the offset from UTC in minutes). WMI's "no date" (year 0 or
// asterisks) is the zero time.
func ParseCIMDatetime(s string) (time.Time, error) {
	if len(s) != 25 || (s[21] != '+' && s[21] != '-') || s[14] != '.' {
		return time.Time{}, fmt.Errorf("%q is not a CIM datetime (yyyymmddHHMMSS.mmmmmm+UUU)", probes.ShowValue(s))
	}
	if strings.Contains(s, "*") || strings.HasPrefix(s, "0000") || strings.HasPrefix(s, "1601") {
		return time.Time{}, nil
	}
	t, err := time.Parse("20060102150405.000000", s[:21])
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a CIM datetime (yyyymmddHHMMSS.mmmmmm+UUU)", probes.ShowValue(s))
	}
	off, err := strconv.Atoi(s[22:])
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a CIM datetime (offset)", probes.ShowValue(s))
	}
	if s[21] == '-' {
		off = -off
	}
	return t.Add(-time.Duration(off) * time.Minute).UTC(), nil
}

// AddWMIStatistics puts live statistics on the measurements of the same
// VM and relationship (FromWMI made one per relationship).
func (s *Snapshot) AddWMIStatistics(stats []WMIStatistics) {
	for _, st := range stats {
		for i := range s.Measurements {
			m := &s.Measurements[i]
			if !strings.EqualFold(m.VMId, st.VMId) || m.Extended != st.Extended {
				continue
			}
			m.MonitoringStart, m.MonitoringEnd = st.StartStatisticTime, st.EndStatisticTime
			if st.hasCounts {
				m.SuccessfulReplicationCount, m.MissedReplicationCount = int(st.ReplicationSuccessCount), int(st.ReplicationMissCount)
				m.ReplicationErrors = int(st.NetworkFailureCount + st.ReplicationFailureCount)
				m.HasCounts, m.HasErrors, m.HasSuccessful, m.HasMissed = true, true, true, true
			}
			if st.hasPending {
				m.PendingReplicationSize, m.HasPending = int64(st.PendingReplicationSize), true
			}
			if st.hasSizes {
				m.MaximumReplicationSize, m.HasMaximumSize = int64(st.MaxReplicationSize), true
				if st.ReplicationSuccessCount > 0 {
					m.AverageReplicationSize, m.HasAverageSize = int64(st.ReplicationSize/st.ReplicationSuccessCount), true
				}
			}
			if st.hasLatency {
				m.MaximumReplicationLatency, m.HasMaximumLatency = time.Duration(st.MaxReplicationLatency)*time.Second, true
				if st.ReplicationSuccessCount > 0 {
					m.AverageReplicationLatency = time.Duration(st.ReplicationLatency) * time.Second / time.Duration(st.ReplicationSuccessCount)
					m.HasAverageLatency = true
				}
			}
		}
	}
}
