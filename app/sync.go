package app

import (
	"context"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/edas92/passerelle/internal/directory"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/syncclient"
)

// Sync events (frontend/src/api/events.ts).
const (
	EventSyncStatus    = "sync:status"    // payload: SyncStatus, on every change of the sync's state
	EventSyncProgress  = "sync:progress"  // payload: syncclient.Progress, while a sync runs (≤ 10 a second)
	EventSyncCompleted = "sync:completed" // payload: syncclient.Report, after every sync, failed or not
)

// SyncOptions configure the sync of the desk with the central server.
type SyncOptions struct {
	// Store is the desk's sync state; nil when this desk has no sync (every method then answers
	// EINVALID).
	Store      domain.DeskSyncStore
	HTTPClient *http.Client             // nil: a client with syncclient.DefaultTimeout
	Runner     syncclient.RunnerOptions // schedule and backoff; callbacks are the app's
	Client     syncclient.ClientOptions // HTTPClient and Logger are set from here and Options
	Hostname   func() (string, error)   // the device name sent at enrolment; nil: os.Hostname
}

// Sync is the sync of the desk with the central server (Paramètres → Synchronisation, and the
// status everyone can read): enrolment, the background sync and « Synchroniser maintenant ». The
// background sync runs in its own goroutine; no method waits on it but SyncNow.
type Sync struct {
	core     *core
	dir      *directory.Directory
	store    domain.DeskSyncStore
	runner   *syncclient.Runner
	enroll   syncclient.EnrollOptions
	hostname func() (string, error)

	mu         sync.Mutex
	lastReport *syncclient.Report
	lastEmit   time.Time // of the last progress event
	lastPhase  string
}

// SyncStatus is what the sync screen shows: the desk's enrolment and sync state (last successful
// sync, changes waiting, the last failure and why, in French), the background sync's state, the
// changes the server refused and the report of the last sync.
type SyncStatus struct {
	domain.DeskSyncState
	Running       bool                   `json:"running"`
	Progress      *syncclient.Progress   `json:"progress"`        // of the sync running; nil otherwise
	NextAttemptAt *time.Time             `json:"next_attempt_at"` // the next background sync; nil when none is planned
	Paused        bool                   `json:"paused"`          // waiting for an enrolment (not enrolled, revoked, unknown to the server)
	Failures      int                    `json:"failures"`        // failed syncs in a row
	Rejections    []domain.SyncRejection `json:"rejections"`      // changes the server refused, newest first
	LastReport    *syncclient.Report     `json:"last_report"`     // of the last sync since the app started; nil before
}

// newSync builds the sync area; the background runner starts with start.
func newSync(c *core, dir *directory.Directory, opt SyncOptions) *Sync {
	s := &Sync{core: c, dir: dir, store: opt.Store, hostname: opt.Hostname,
		enroll: syncclient.EnrollOptions{HTTPClient: opt.HTTPClient}}
	if s.hostname == nil {
		s.hostname = os.Hostname
	}
	if s.store == nil {
		return s
	}
	copt := opt.Client
	copt.HTTPClient = opt.HTTPClient
	if copt.Logger == nil {
		copt.Logger = c.log
	}
	ropt := opt.Runner
	if ropt.Logger == nil {
		ropt.Logger = c.log
	}
	ropt.OnStatus = func(syncclient.RunnerStatus) { s.emitStatus() }
	ropt.OnProgress = s.emitProgress
	ropt.OnReport = s.completed
	s.runner = syncclient.NewRunner(syncclient.New(opt.Store, copt), ropt)
	return s
}

// errNoSync is the answer of every method on a desk built without sync.
func errNoSync() error {
	return domain.Errorf(domain.EINVALID, "La synchronisation n’est pas disponible sur ce poste.")
}

// Status returns the sync's state. Errors: invalid (no sync on this desk), internal.
func (s *Sync) Status() (SyncStatus, error) {
	if s.store == nil {
		return SyncStatus{}, errNoSync()
	}
	return s.status(s.core.context())
}

func (s *Sync) status(ctx context.Context) (SyncStatus, error) {
	state, err := s.store.SyncState(ctx)
	if err != nil {
		return SyncStatus{}, err
	}
	rejections, err := s.store.SyncRejections(ctx)
	if err != nil {
		return SyncStatus{}, err
	}
	if rejections == nil {
		rejections = []domain.SyncRejection{}
	}
	rs := s.runner.Status()
	st := SyncStatus{DeskSyncState: state, Running: rs.Running, Progress: rs.Progress,
		NextAttemptAt: rs.NextAttemptAt, Paused: rs.Paused, Failures: rs.Failures, Rejections: rejections}
	s.mu.Lock()
	if s.lastReport != nil {
		r := *s.lastReport
		st.LastReport = &r
	}
	s.mu.Unlock()
	return st, nil
}

// Enroll enrols this desk at a sync server with the single-use code an administrator printed
// (`passerelle-server enroll --site ID`), under the computer's name, then starts a first sync
// in the background. A desk already enrolled (revoked, or moving to another server) is enrolled
// anew; a sync running is stopped first. Returns the new status.
//
// Errors: invalid (address or code malformed, plain http to another machine, not a Passerelle
// server), not_found (unknown code), conflict (code used or expired; or this desk holds usager
// files of another EDAS than the code's, in which case the server refuses the code and it stays
// unused), rate_limited, unavailable (the server cannot be reached), internal.
func (s *Sync) Enroll(serverURL, code string) (SyncStatus, error) {
	if s.store == nil {
		return SyncStatus{}, errNoSync()
	}
	ctx := s.core.context()
	name, err := s.hostname()
	if err != nil {
		name = ""
	}
	opt := s.enroll
	if opt.WorkSite, err = s.store.WorkSite(ctx); err != nil {
		return SyncStatus{}, err
	}
	enr, err := syncclient.Enroll(ctx, serverURL, code, name, opt)
	if err != nil {
		return SyncStatus{}, err
	}
	if err := s.runner.Exclusive(func() error { return s.store.Enrol(ctx, enr) }); err != nil {
		return SyncStatus{}, err
	}
	s.core.log.Info("desk enrolled", "server", enr.ServerURL, "device", enr.DeviceID, "site", enr.SiteID)
	// The fictitious demo directory made sense on a desk alone; the département's directory is
	// on its way, and the two mixed would send a person to an initiative that does not exist.
	if s.dir != nil {
		if err := s.core.waitLoaded(ctx); err == nil {
			if n, err := s.dir.RemoveDemo(ctx); err != nil {
				s.core.log.Warn("remove demo directory at enrolment", "err", err)
			} else if n > 0 {
				s.core.log.Info("demo directory removed at enrolment", "services", n)
				s.core.emit(EventDirectoryChanged, nil)
			}
		}
	}
	s.runner.Now()
	st, err := s.status(ctx)
	if err != nil {
		return SyncStatus{}, err
	}
	s.core.emit(EventSyncStatus, st)
	return st, nil
}

// SyncNow runs a sync at once (« Synchroniser maintenant ») and returns what it moved; when a
// sync is running, it waits for it and runs one more (the worker's last change may have missed
// the one running). The report of a failed sync also comes with EventSyncCompleted and in
// Status().last_report.
//
// Errors: invalid (no sync on this desk), unauthorized (not enrolled, or unknown to the
// server), revoked, forbidden, gap, too_large, rate_limited, unavailable (no network, the
// server failing, the application closing), internal.
func (s *Sync) SyncNow() (syncclient.Report, error) {
	if s.store == nil {
		return syncclient.Report{}, errNoSync()
	}
	return s.runner.RunNow(s.core.context())
}

// start starts the background sync; the desktop calls it once the window is drawn.
func (s *Sync) start() {
	if s.runner != nil {
		s.runner.Start()
	}
}

// stop stops the background sync (a sync running is cancelled: what it applied is kept, what it
// pushed is sent again next time) and waits for it.
func (s *Sync) stop() {
	if s.runner != nil {
		s.runner.Stop()
	}
}

// emitStatus sends the status to the window.
func (s *Sync) emitStatus() {
	st, err := s.status(s.core.context())
	if err != nil {
		s.core.log.Error("sync status", "err", err)
		return
	}
	s.core.emit(EventSyncStatus, st)
}

// emitProgress sends a sync's progress, at most ten times a second within a phase (a first sync
// of 100,000 services is a hundred pages; the window need not redraw more), and always its end.
func (s *Sync) emitProgress(p syncclient.Progress) {
	s.mu.Lock()
	now := time.Now()
	skip := p.Phase == s.lastPhase && now.Sub(s.lastEmit) < 100*time.Millisecond && p.Done < p.Total
	if !skip {
		s.lastEmit, s.lastPhase = now, p.Phase
	}
	s.mu.Unlock()
	if !skip {
		s.core.emit(EventSyncProgress, p)
	}
}

// completed runs after every sync, in the runner's goroutine: when the directory changed, the
// search index is rebuilt from the store before the window is told to search again.
func (s *Sync) completed(rep syncclient.Report, err error) {
	s.mu.Lock()
	s.lastReport = &rep
	s.mu.Unlock()
	if rep.Directory > 0 {
		ctx := s.core.context()
		if lerr := s.core.waitLoaded(ctx); lerr != nil {
			s.core.log.Error("sync: directory not loaded", "err", lerr)
		} else if lerr := s.dir.Load(ctx); lerr != nil {
			s.core.log.Error("sync: reload directory", "err", lerr)
		} else {
			s.core.emit(EventDirectoryChanged)
		}
	}
	s.core.emit(EventSyncCompleted, rep)
}
