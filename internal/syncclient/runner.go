package syncclient

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// Defaults of RunnerOptions.
const (
	DefaultInterval   = 5 * time.Minute  // between syncs while the server answers
	DefaultMinBackoff = 30 * time.Second // ceiling of the first retry after a failure
	DefaultMaxBackoff = 30 * time.Minute // ceiling of every later retry
	minDelay          = time.Second      // full jitter may draw 0: never retry in a tight loop
)

// Clock is the time the Runner reads and waits on; tests inject a fake one so that a backoff
// schedule of minutes runs in no time.
type Clock interface {
	Now() time.Time
	NewTimer(d time.Duration) Timer
}

// Timer is a Clock's timer.
type Timer interface {
	C() <-chan time.Time
	Stop() bool
}

// RealClock is the wall clock.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// NewTimer returns a time.Timer.
func (RealClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

type realTimer struct{ t *time.Timer }

func (t realTimer) C() <-chan time.Time { return t.t.C }
func (t realTimer) Stop() bool          { return t.t.Stop() }

// Syncer runs one sync; *Client is one.
type Syncer interface {
	Sync(ctx context.Context, progress func(Progress)) (Report, error)
}

// RunnerOptions tune a Runner. The zero value gives the defaults.
type RunnerOptions struct {
	Interval   time.Duration  // between syncs while the server answers (DefaultInterval)
	MinBackoff time.Duration  // ceiling of the first retry after a failure (DefaultMinBackoff)
	MaxBackoff time.Duration  // ceiling of the retries (DefaultMaxBackoff)
	FirstDelay time.Duration  // from Start to the first sync (0: at once)
	Clock      Clock          // nil: RealClock
	Rand       func() float64 // uniform in [0, 1); nil: math/rand/v2
	Logger     *slog.Logger

	// Callbacks, called from the runner's goroutine, one at a time. OnStatus receives a
	// snapshot on every change of the runner's state; OnProgress the progress of a sync;
	// OnReport the outcome of every sync, before the status that says it is over.
	OnStatus   func(RunnerStatus)
	OnProgress func(Progress)
	OnReport   func(Report, error)
}

// RunnerStatus is a snapshot of the runner.
type RunnerStatus struct {
	Running       bool       `json:"running"`
	Progress      *Progress  `json:"progress"`        // of the sync running, nil otherwise
	NextAttemptAt *time.Time `json:"next_attempt_at"` // the next automatic sync; nil when none is planned
	Failures      int        `json:"failures"`        // failed syncs in a row
	// Paused: the server refused the device (revoked, unknown) or the desk is not enrolled;
	// no automatic sync until Now is called (after an enrolment).
	Paused  bool `json:"paused"`
	Stopped bool `json:"stopped"`
}

// ErrStopped is the error of RunNow on a stopped runner.
var ErrStopped = domain.Errorf(EUNAVAILABLE, "La synchronisation est arrêtée (fermeture de l’application).")

// Runner syncs in the background: at Start (after FirstDelay), then every Interval while the
// server answers; after a failure it retries with exponential backoff and full jitter (a delay
// drawn uniformly below MinBackoff·2^(n−1), capped at MaxBackoff, and never before a
// Retry-After the server gave); after a permanent refusal (Permanent) it waits for Now. One sync
// runs at a time, in the runner's own goroutine: nothing waits on it but RunNow's caller.
type Runner struct {
	syncer Syncer
	opt    RunnerOptions
	clock  Clock
	log    *slog.Logger

	trigger chan struct{} // one pending request for an immediate sync, coalesced
	runMu   sync.Mutex    // held by a sync, and by Exclusive

	mu        sync.Mutex
	started   bool
	stopped   bool
	st        RunnerStatus
	next      *waiters           // RunNow callers served by the next sync
	cancelRun context.CancelFunc // of the sync running
	exclusive int                // Exclusive callers waiting or running
	ctx       context.Context
	cancel    context.CancelFunc
	done      chan struct{}
}

// waiters are the RunNow callers of one sync.
type waiters struct {
	done    chan struct{}
	callers int
	rep     Report
	err     error
}

// NewRunner returns a runner over a syncer. It does nothing until Start.
func NewRunner(s Syncer, opt RunnerOptions) *Runner {
	if opt.Interval <= 0 {
		opt.Interval = DefaultInterval
	}
	if opt.MinBackoff <= 0 {
		opt.MinBackoff = DefaultMinBackoff
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = DefaultMaxBackoff
	}
	opt.MaxBackoff = max(opt.MaxBackoff, opt.MinBackoff)
	if opt.Clock == nil {
		opt.Clock = RealClock{}
	}
	if opt.Rand == nil {
		opt.Rand = rand.Float64
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Runner{syncer: s, opt: opt, clock: opt.Clock, log: opt.Logger,
		trigger: make(chan struct{}, 1), ctx: ctx, cancel: cancel, done: make(chan struct{})}
}

// Start starts the background loop; a second call does nothing.
func (r *Runner) Start() {
	r.mu.Lock()
	if r.started || r.stopped {
		r.mu.Unlock()
		return
	}
	r.started = true
	r.mu.Unlock()
	go r.loop()
}

// Stop cancels the sync running, if any, and waits for the loop to end. RunNow callers still
// waiting get ErrStopped. A second call does nothing.
func (r *Runner) Stop() {
	r.mu.Lock()
	started := r.started
	r.stopped = true
	r.mu.Unlock()
	r.cancel()
	if started {
		<-r.done
	} else {
		r.finish()
	}
}

// Now asks for a sync at once, also when the runner is paused. Calls made while a sync runs are
// coalesced into one more sync right after it (the worker's last change may have missed the one
// running). It never blocks.
func (r *Runner) Now() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.request()
}

// request asks the loop for a sync; the caller holds r.mu.
func (r *Runner) request() {
	if r.stopped {
		return
	}
	select {
	case r.trigger <- struct{}{}:
	default: // one is already pending
	}
}

// RunNow asks for a sync at once (as Now) and waits for it: the callers of one sync share its
// report and error. It returns ctx's error when ctx ends first, and ErrStopped once the runner
// is stopped. Before Start, it waits for Start.
func (r *Runner) RunNow(ctx context.Context) (Report, error) {
	r.mu.Lock()
	if r.stopped {
		r.mu.Unlock()
		return Report{}, ErrStopped
	}
	if r.next == nil {
		r.next = &waiters{done: make(chan struct{})}
	}
	w := r.next
	w.callers++
	r.request()
	r.mu.Unlock()
	select {
	case <-w.done:
		return w.rep, w.err
	case <-ctx.Done():
		return Report{}, ctx.Err()
	}
}

// Exclusive runs fn while no sync runs: a sync running is cancelled (its pages are applied
// whole or not at all, and what it pushed is sent again next time, as a no-op) and none starts
// until fn returns. An enrolment needs it: a sync of the old device must not acknowledge the
// mutations the store has just numbered for the new one.
func (r *Runner) Exclusive(fn func() error) error {
	r.mu.Lock()
	r.exclusive++
	if r.cancelRun != nil {
		r.cancelRun()
	}
	r.mu.Unlock()
	r.runMu.Lock()
	defer func() {
		// Counted out before the sync waiting on runMu gets it, or it would cancel itself.
		r.mu.Lock()
		r.exclusive--
		r.mu.Unlock()
		r.runMu.Unlock()
	}()
	return fn()
}

// Status returns a snapshot of the runner.
func (r *Runner) Status() RunnerStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.snapshot()
}

// snapshot copies the status; the caller holds r.mu.
func (r *Runner) snapshot() RunnerStatus {
	st := r.st
	if st.Progress != nil {
		p := *st.Progress
		st.Progress = &p
	}
	if st.NextAttemptAt != nil {
		t := *st.NextAttemptAt
		st.NextAttemptAt = &t
	}
	return st
}

// update changes the status under the lock and reports the new one.
func (r *Runner) update(change func(st *RunnerStatus)) {
	r.mu.Lock()
	change(&r.st)
	st := r.snapshot()
	r.mu.Unlock()
	if r.opt.OnStatus != nil {
		r.opt.OnStatus(st)
	}
}

func (r *Runner) loop() {
	defer close(r.done)
	defer r.finish()
	var timer Timer
	arm := func(d time.Duration, st *RunnerStatus) {
		timer = r.clock.NewTimer(d)
		at := r.clock.Now().Add(d)
		st.NextAttemptAt = &at
	}
	r.update(func(st *RunnerStatus) { arm(r.opt.FirstDelay, st) })
	for {
		var timerC <-chan time.Time
		if timer != nil {
			timerC = timer.C()
		}
		select {
		case <-r.ctx.Done():
			if timer != nil {
				timer.Stop()
			}
			return
		case <-r.trigger:
		case <-timerC:
		}
		if timer != nil {
			timer.Stop()
			timer = nil
		}
		w, rep, cancelled, err := r.runOnce()
		if r.ctx.Err() != nil {
			r.release(w, rep, ErrStopped)
			return
		}
		r.update(func(st *RunnerStatus) {
			st.Running, st.Progress, st.NextAttemptAt, st.Paused = false, nil, nil, false
			switch {
			case cancelled:
				arm(r.opt.Interval, st) // cancelled by Exclusive, which asks again when it must
			case err == nil:
				st.Failures = 0
				arm(r.opt.Interval, st)
			case Permanent(err):
				st.Failures = 0
				st.Paused = true
			default:
				st.Failures++
				d := r.backoff(st.Failures)
				if ra, ok := RetryAfter(err); ok && ra > d {
					d = ra
				}
				arm(d, st)
			}
		})
		// Released once the status says the sync is over: a caller that asks for the status
		// next sees it so.
		r.release(w, rep, err)
	}
}

// release gives the callers of a sync its outcome.
func (r *Runner) release(w *waiters, rep Report, err error) {
	if w != nil {
		w.rep, w.err = rep, err
		close(w.done)
	}
}

// runOnce runs one sync for the waiters registered so far, and returns them with its report,
// whether it was cancelled (by Exclusive or Stop), and its error.
func (r *Runner) runOnce() (w *waiters, rep Report, cancelled bool, err error) {
	r.runMu.Lock()
	r.mu.Lock()
	w = r.next
	r.next = nil
	// Every request made so far is served by this sync, which starts after it: only those
	// made from now on call for another.
	select {
	case <-r.trigger:
	default:
	}
	ctx, cancel := context.WithCancel(r.ctx)
	r.cancelRun = cancel
	if r.exclusive > 0 {
		cancel() // an enrolment waits: give way at once
	}
	r.mu.Unlock()
	r.update(func(st *RunnerStatus) {
		st.Running, st.NextAttemptAt, st.Progress = true, nil, &Progress{Phase: PhasePush}
	})
	rep, err = r.syncer.Sync(ctx, func(p Progress) {
		r.mu.Lock()
		r.st.Progress = &p
		r.mu.Unlock()
		if r.opt.OnProgress != nil {
			r.opt.OnProgress(p)
		}
	})
	cancelled = ctx.Err() != nil
	r.mu.Lock()
	r.cancelRun = nil
	r.mu.Unlock()
	cancel()
	r.runMu.Unlock()
	if cancelled && err == nil {
		err = domain.Errorf(EUNAVAILABLE, msgCancelled)
	}
	if err != nil && !cancelled {
		r.log.Warn("background sync failed", "code", domain.ErrorCode(err), "err", err)
	}
	if r.opt.OnReport != nil {
		r.opt.OnReport(rep, err)
	}
	return w, rep, cancelled, err
}

// finish releases the RunNow callers still waiting once the runner stops.
func (r *Runner) finish() {
	r.mu.Lock()
	w := r.next
	r.next = nil
	r.st.Running, r.st.Progress, r.st.NextAttemptAt, r.st.Stopped = false, nil, nil, true
	st := r.snapshot()
	r.mu.Unlock()
	if w != nil {
		w.err = ErrStopped
		close(w.done)
	}
	if r.opt.OnStatus != nil {
		r.opt.OnStatus(st)
	}
}

// backoff draws the delay before retry n (n ≥ 1): full jitter, uniform below
// min(MaxBackoff, MinBackoff·2^(n−1)), and never under a second.
func (r *Runner) backoff(n int) time.Duration {
	ceiling := r.opt.MinBackoff
	for i := 1; i < n && ceiling < r.opt.MaxBackoff; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, r.opt.MaxBackoff)
	d := time.Duration(r.opt.Rand() * float64(ceiling))
	return max(d, min(minDelay, ceiling))
}
