//go:build windows && amd64

package etwsession

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/tekert/golang-etw/etw"
	"golang.org/x/sys/windows"
)

// Subscription is one subscriber's interest in one provider. Close ends it.
type Subscription struct {
	id   int
	prov Provider
	fn   func(Event)
}

// shared is the process's one session and its consumer.
var shared struct {
	mu      sync.Mutex
	session *etw.RealTimeSession
	cons    *etw.Consumer
	next    int
	subs    map[int]*Subscription
}

// Subscribe enables prov on the shared session (starting it when it is
// the first subscription) and calls fn for each of its events, from the
// consumer's goroutine. fn must not block.
func Subscribe(prov Provider, fn func(Event)) (*Subscription, error) {
	if !windows.GetCurrentProcessToken().IsElevated() {
		// Windows lets Administrators and Performance Log Users enable
		// providers (EnableTraceEx2); hvrdoctor starts its session only
		// elevated, where it also reads every process.
		return nil, errors.New("hvrdoctor starts its ETW session only from an elevated prompt: run it as Administrator")
	}
	guid, err := etw.ParseGUID(prov.GUID)
	if err != nil {
		return nil, fmt.Errorf("provider %s: GUID %s: %w", prov.Name, prov.GUID, err)
	}
	shared.mu.Lock()
	defer shared.mu.Unlock()
	name := SessionName(os.Getpid())
	fresh := shared.session == nil
	if fresh {
		stopStaleSessions()
		shared.session = etw.NewRealTimeSession(name)
		shared.subs = make(map[int]*Subscription)
	}
	shared.next++
	sub := &Subscription{id: shared.next, prov: prov, fn: fn}
	shared.subs[sub.id] = sub
	if err := enableLocked(*guid, prov); err != nil {
		delete(shared.subs, sub.id)
		if fresh {
			shared.session.Stop()
			shared.session, shared.subs = nil, nil
		}
		return nil, fmt.Errorf("ETW session %s: enable %s: %w", name, prov.Name, err)
	}
	if shared.cons == nil {
		c := etw.NewConsumer(context.Background())
		c.FromTraceNames(name)
		c.EventCallback = dispatch
		if err := c.Start(); err != nil {
			delete(shared.subs, sub.id)
			shared.session.Stop()
			shared.session, shared.subs = nil, nil
			return nil, fmt.Errorf("ETW session %s: start consumer: %w", name, err)
		}
		shared.cons = c
	}
	return sub, nil
}

// enableLocked (re-)enables guid with what every subscriber of it asked
// for (MergeEnable: EnableTraceEx2 on an enabled provider replaces its
// settings).
func enableLocked(guid etw.GUID, prov Provider) error {
	var subs []Provider
	for _, s := range shared.subs {
		if strings.EqualFold(s.prov.GUID, prov.GUID) {
			subs = append(subs, s.prov)
		}
	}
	kw, ids := MergeEnable(subs)
	return shared.session.EnableProvider(etw.Provider{
		GUID: guid, Name: prov.Name, EnableLevel: 0xff, MatchAnyKeyword: kw, Filter: ids,
	})
}

// dispatch hands one event to the subscribers of its provider.
func dispatch(e *etw.Event) error {
	defer e.Release()
	guid := e.System.Provider.Guid.StringU()
	props := make(map[string]string, len(e.EventData))
	for k, v := range e.EventData {
		if s, ok := v.(string); ok {
			props[k] = s
		} else {
			props[k] = fmt.Sprint(v)
		}
	}
	ev := Event{Provider: guid, ID: e.System.EventID, PID: e.System.Execution.ProcessID, TID: e.System.Execution.ThreadID, Props: props}
	shared.mu.Lock()
	var fns []func(Event)
	for _, s := range shared.subs {
		if strings.EqualFold(s.prov.GUID, guid) && (len(s.prov.IDs) == 0 || slices.Contains(s.prov.IDs, ev.ID)) {
			fns = append(fns, s.fn)
		}
	}
	shared.mu.Unlock()
	for _, fn := range fns {
		fn(ev)
	}
	return nil
}

// Close ends the subscription; the last one stops the consumer and the
// session, so no session outlives the program's normal exit.
func (s *Subscription) Close() error {
	if s == nil {
		return nil
	}
	shared.mu.Lock()
	if _, ok := shared.subs[s.id]; !ok {
		shared.mu.Unlock()
		return nil
	}
	delete(shared.subs, s.id)
	if len(shared.subs) > 0 {
		shared.mu.Unlock()
		return nil
	}
	cons, session := shared.cons, shared.session
	shared.session, shared.cons, shared.subs = nil, nil, nil
	shared.mu.Unlock()
	// Stopped outside the lock: the consumer's callback takes it.
	var errs []error
	if cons != nil {
		errs = append(errs, cons.Stop())
	}
	if session != nil {
		errs = append(errs, session.Stop())
	}
	return errors.Join(errs...)
}

// Flush asks the session to deliver its buffered events now, so a reading
// taken after it sees what happened before it.
func Flush() error {
	shared.mu.Lock()
	s := shared.session
	shared.mu.Unlock()
	if s == nil {
		return nil
	}
	if err := s.Flush(); err != nil {
		return fmt.Errorf("flush ETW session %s: %w", s.TraceName(), err)
	}
	return nil
}

// Lost is the number of events the session lost (buffers full) so far.
func Lost() uint64 {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.cons == nil {
		return 0
	}
	return shared.cons.LostEvents.Load()
}
