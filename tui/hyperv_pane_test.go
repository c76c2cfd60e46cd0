package tui

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/hyperv"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// The live read (on a Hyper-V host, WMI) runs in the background: the tab
// says it is reading, then lists what came, or says plainly why nothing
// did. The loader here stands in for WMI, which cannot run on Linux.
func TestReplicationTabLoadsInTheBackground(t *testing.T) {
	asOf := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	release := make(chan struct{})
	for _, c := range []struct {
		err  error
		want string
	}{
		{nil, "> Critical SQL01"},
		{errors.New("this is not a Hyper-V host (WMI has no root\\virtualization\\v2 namespace)"), "this is not a Hyper-V host"},
	} {
		e := sceneEngine(t, 3)
		m := New(Options{Sampler: e, Interval: time.Second, Host: "hv1", ASCII: true, Mode: views.ASCII,
			ReplicationLoad: func(context.Context) (*views.ReplicationData, error) {
				<-release
				if c.err != nil {
					return nil, c.err
				}
				return &views.ReplicationData{AsOf: asOf, Source: "WMI", VMs: []hyperv.VM{{Name: "SQL01", Relationship: "primary",
					Health: hyperv.LevelCritical, State: "Critical", StateNumber: -1}}}, nil
			}})
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		load := m.replicationInit()
		if load == nil {
			t.Fatal("no background read")
		}
		for i, tb := range m.tabs {
			if _, ok := tb.p.(*replPane); ok {
				press(m, strconv.Itoa(i+1))
			}
		}
		if s := strings.Join(screen(m), "\n"); !strings.Contains(s, "Reading Hyper-V Replica's state") {
			t.Fatalf("while reading:\n%s", s)
		}
		done := make(chan tea.Msg, 1)
		go func() { done <- load() }()
		release <- struct{}{}
		m.Update(<-done)
		if s := strings.Join(screen(m), "\n"); !strings.Contains(s, c.want) {
			t.Errorf("after the read: want %q in\n%s", c.want, s)
		}
	}
}
