package syncclient

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// fakeClock hands every timer the runner arms to the test, which fires it: minutes of backoff
// run in no time, and the test reads the delays asked for.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers chan *fakeTimer
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: t0, timers: make(chan *fakeTimer, 100)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) Timer {
	t := &fakeTimer{clock: c, d: d, c: make(chan time.Time, 1)}
	c.timers <- t
	return t
}

type fakeTimer struct {
	clock   *fakeClock
	d       time.Duration
	c       chan time.Time
	mu      sync.Mutex
	stopped bool
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

func (t *fakeTimer) Stop() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	return was
}

// fire moves the clock to the timer's end and fires it.
func (t *fakeTimer) fire() {
	t.clock.mu.Lock()
	t.clock.now = t.clock.now.Add(t.d)
	now := t.clock.now
	t.clock.mu.Unlock()
	t.c <- now
}

// nextTimer waits for the runner to arm its next timer.
func (c *fakeClock) nextTimer(t *testing.T) *fakeTimer {
	t.Helper()
	select {
	case tm := <-c.timers:
		return tm
	case <-time.After(10 * time.Second): // a hang guard, not a timing assertion
		t.Fatal("the runner armed no timer")
		return nil
	}
}

// noTimer checks that the runner armed no timer since the last one read.
func (c *fakeClock) noTimer(t *testing.T) {
	t.Helper()
	select {
	case tm := <-c.timers:
		t.Fatalf("a timer of %v was armed", tm.d)
	default:
	}
}

// script is a fake Syncer: each sync takes the next outcome and may block until released.
type script struct {
	mu       sync.Mutex
	outcomes []error
	calls    int
	running  int
	maxRun   int
	gate     chan struct{} // when set, a sync waits for a value (or its ctx) before answering
	started  chan int      // receives the number of each sync as it starts
}

func newScript(outcomes ...error) *script {
	return &script{outcomes: outcomes, started: make(chan int, 100)}
}

func (s *script) Sync(ctx context.Context, progress func(Progress)) (Report, error) {
	s.mu.Lock()
	s.calls++
	n := s.calls
	s.running++
	s.maxRun = max(s.maxRun, s.running)
	var err error
	if len(s.outcomes) > 0 {
		err, s.outcomes = s.outcomes[0], s.outcomes[1:]
	}
	gate := s.gate
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.running--
		s.mu.Unlock()
	}()
	s.started <- n
	progress(Progress{Phase: PhasePull, Done: 1, Total: 2})
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return Report{Pushed: n}, ctx.Err()
		}
	}
	return Report{Pushed: n}, err
}

func (s *script) callCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// statuses collects the snapshots the runner reports.
type statuses struct {
	ch chan RunnerStatus
}

func newStatuses() *statuses { return &statuses{ch: make(chan RunnerStatus, 1000)} }

func (s *statuses) on(st RunnerStatus) { s.ch <- st }

// until waits for a status that satisfies ok.
func (s *statuses) until(t *testing.T, ok func(RunnerStatus) bool) RunnerStatus {
	t.Helper()
	for {
		select {
		case st := <-s.ch:
			if ok(st) {
				return st
			}
		case <-time.After(10 * time.Second): // a hang guard
			t.Fatal("no such status")
		}
	}
}

func idle(st RunnerStatus) bool { return !st.Running }

var errDown = domain.Errorf(EUNAVAILABLE, "Le serveur ne répond pas.")

// TestRunner_Backoff: failures are retried after delays drawn below a ceiling that doubles from
// 30 s to 30 min; a success comes back to the 5-minute interval.
func TestRunner_Backoff(t *testing.T) {
	t.Parallel()
	ceilings := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute,
		8 * time.Minute, 16 * time.Minute, 30 * time.Minute, 30 * time.Minute}
	for _, tc := range []struct {
		name string
		rand float64
	}{
		{"middle draw", 0.5},
		{"highest draw", 0.999999},
		{"zero draw", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var want []time.Duration // after each of 8 failures, then after a success
			for _, c := range ceilings {
				want = append(want, max(time.Duration(tc.rand*float64(c)), time.Second))
			}
			want = append(want, DefaultInterval)
			if tc.rand == 0.5 && (want[0] != 15*time.Second || want[7] != 15*time.Minute) {
				t.Fatalf("schedule %v", want)
			}
			clk := newFakeClock()
			outcomes := make([]error, 8)
			for i := range outcomes {
				outcomes[i] = errDown
			}
			s := newScript(append(outcomes, nil)...)
			st := newStatuses()
			r := NewRunner(s, RunnerOptions{Clock: clk, Rand: func() float64 { return tc.rand }, OnStatus: st.on})
			r.Start()
			defer r.Stop()
			if first := clk.nextTimer(t); first.d != 0 {
				t.Fatalf("first sync after %v", first.d)
			} else {
				first.fire()
			}
			st.until(t, idle) // the snapshot of the start
			for i, want := range want {
				tm := clk.nextTimer(t)
				if tm.d != want {
					t.Errorf("delay %d: %v, want %v", i+1, tm.d, want)
				}
				got := st.until(t, func(s RunnerStatus) bool { return !s.Running && s.NextAttemptAt != nil })
				if !got.NextAttemptAt.Equal(clk.Now().Add(want)) || (i < 8 && got.Failures != i+1) || (i == 8 && got.Failures != 0) {
					t.Errorf("status after sync %d: %+v", i+1, got)
				}
				if i < 8 {
					tm.fire()
				}
			}
			if s.callCount() != 9 {
				t.Errorf("%d syncs", s.callCount())
			}
		})
	}
}

// TestRunner_RetryAfter: a rate-limited sync is not retried before the server said.
func TestRunner_RetryAfter(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	limited := &failure{err: domain.Errorf(domain.ERATELIMITED, "Trop de requêtes."), retryAfter: 10 * time.Minute}
	r := NewRunner(newScript(limited), RunnerOptions{Clock: clk, Rand: func() float64 { return 0.5 }})
	r.Start()
	defer r.Stop()
	clk.nextTimer(t).fire()
	if tm := clk.nextTimer(t); tm.d != 10*time.Minute {
		t.Errorf("retry after %v, want the server's 10 min", tm.d)
	}
}

// TestRunner_Paused: a revoked device stops the schedule; Now (after a new enrolment) resumes it.
func TestRunner_Paused(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	s := newScript(errRevoked(), nil)
	st := newStatuses()
	r := NewRunner(s, RunnerOptions{Clock: clk, OnStatus: st.on})
	r.Start()
	defer r.Stop()
	clk.nextTimer(t).fire()
	got := st.until(t, func(s RunnerStatus) bool { return !s.Running && s.Paused })
	if got.NextAttemptAt != nil {
		t.Errorf("paused with a next attempt: %+v", got)
	}
	clk.noTimer(t)
	rep, err := r.RunNow(context.Background())
	if err != nil || rep.Pushed != 2 {
		t.Fatalf("run now: %+v %v", rep, err)
	}
	if tm := clk.nextTimer(t); tm.d != DefaultInterval {
		t.Errorf("resumed with %v", tm.d)
	}
}

// TestRunner_Coalescing: requests made while a sync runs make exactly one more sync, which every
// waiting caller shares; never two syncs at once.
func TestRunner_Coalescing(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	s := newScript()
	s.gate = make(chan struct{})
	var progress []Progress
	var reports int
	var mu sync.Mutex
	r := NewRunner(s, RunnerOptions{Clock: clk,
		OnProgress: func(p Progress) { mu.Lock(); progress = append(progress, p); mu.Unlock() },
		OnReport:   func(Report, error) { mu.Lock(); reports++; mu.Unlock() },
	})
	r.Start()
	defer r.Stop()
	clk.nextTimer(t).fire()
	if n := <-s.started; n != 1 {
		t.Fatalf("sync %d", n)
	}
	if st := r.Status(); !st.Running || st.Progress == nil || st.Progress.Total != 2 {
		t.Errorf("status while running: %+v", st)
	}
	// Three clicks and two callers waiting while sync 1 runs.
	var wg sync.WaitGroup
	results := make([]Report, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep, err := r.RunNow(context.Background())
			if err != nil {
				t.Error(err)
			}
			results[i] = rep
		}()
	}
	r.Now()
	r.Now()
	r.Now()
	waitFor(t, func() bool { r.mu.Lock(); defer r.mu.Unlock(); return r.next != nil && r.next.callers == 2 })
	s.gate <- struct{}{} // sync 1 ends
	if n := <-s.started; n != 2 {
		t.Fatalf("sync %d", n)
	}
	s.gate <- struct{}{} // sync 2 ends
	wg.Wait()
	for i, rep := range results {
		if rep.Pushed != 2 {
			t.Errorf("caller %d got the report of sync %d, want 2", i, rep.Pushed)
		}
	}
	// The timers armed after sync 1 and sync 2: the loop is back waiting, and no request for a
	// third sync is pending.
	for range 2 {
		if tm := clk.nextTimer(t); tm.d != DefaultInterval {
			t.Errorf("timer %v", tm.d)
		}
	}
	if len(r.trigger) != 0 {
		t.Error("a third sync is pending: the requests were not coalesced")
	}
	if s.callCount() != 2 || s.maxRun != 1 {
		t.Errorf("%d syncs, %d at once", s.callCount(), s.maxRun)
	}
	mu.Lock()
	defer mu.Unlock()
	if reports != 2 || len(progress) != 2 {
		t.Errorf("%d reports, %d progress", reports, len(progress))
	}
}

// waitFor polls a condition the test cannot be told about (a hang guard, not a timing
// assertion).
func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition never met")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestRunner_Stop: Stop cancels the sync running and releases the callers waiting.
func TestRunner_Stop(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	s := newScript()
	s.gate = make(chan struct{})
	st := newStatuses()
	r := NewRunner(s, RunnerOptions{Clock: clk, OnStatus: st.on})
	r.Start()
	clk.nextTimer(t).fire()
	<-s.started
	done := make(chan error, 1)
	go func() {
		_, err := r.RunNow(context.Background())
		done <- err
	}()
	waitFor(t, func() bool { r.mu.Lock(); defer r.mu.Unlock(); return r.next != nil })
	r.Stop()
	if err := <-done; !errors.Is(err, ErrStopped) {
		t.Errorf("waiting caller: %v", err)
	}
	st.until(t, func(s RunnerStatus) bool { return s.Stopped && !s.Running })
	if _, err := r.RunNow(context.Background()); !errors.Is(err, ErrStopped) {
		t.Errorf("after stop: %v", err)
	}
	r.Now()  // does nothing
	r.Stop() // twice is fine
	if s.callCount() != 1 {
		t.Errorf("%d syncs", s.callCount())
	}
}

// TestRunner_Exclusive: an enrolment cancels the sync running and no sync starts until it is
// done.
func TestRunner_Exclusive(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	s := newScript()
	s.gate = make(chan struct{})
	r := NewRunner(s, RunnerOptions{Clock: clk})
	r.Start()
	defer r.Stop()
	clk.nextTimer(t).fire()
	<-s.started
	inside := make(chan struct{})
	release := make(chan struct{})
	go func() {
		_ = r.Exclusive(func() error {
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside // the sync running was cancelled to let it in
	s.mu.Lock()
	running := s.running
	s.mu.Unlock()
	if running != 0 {
		t.Fatal("a sync runs during Exclusive")
	}
	r.Now()
	select {
	case n := <-s.started:
		t.Fatalf("sync %d started during Exclusive", n)
	default:
	}
	close(release)
	if n := <-s.started; n != 2 {
		t.Errorf("sync %d after Exclusive", n)
	}
	s.gate <- struct{}{}
}
