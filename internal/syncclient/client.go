// Package syncclient is the desk's side of the sync protocol (docs/sync-protocol.md): enrolment
// at the central server, one sync (push the outbox, then pull what changed) over a
// domain.DeskSyncStore, and the background Runner that syncs every few minutes while the
// server answers and backs off when it does not. It imports the domain only; the desktop app
// and the command line wire it to the desk's store.
//
// The device token travels only in the Authorization header: it is never in a URL, a log line,
// an error or a Report.
package syncclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// Sync phases, as Progress reports them.
const (
	PhasePush = "push" // sending the outbox: Done and Total count mutations
	PhasePull = "pull" // receiving changes: Done and Total count server versions
)

// Progress is where a sync stands. In the pull phase Total is an estimate: the server version
// the push answered minus the cursor the pull started from (each record counts once, however
// often it changed, so the bar may end with a jump; it ends exactly at Total).
type Progress struct {
	Phase string `json:"phase"`
	Done  int64  `json:"done"`
	Total int64  `json:"total"` // 0 when unknown
}

// Report says what one sync moved and how it ended.
type Report struct {
	StartedAt  time.Time              `json:"started_at"`
	DurationMS int64                  `json:"duration_ms"`
	Pushed     int                    `json:"pushed"`   // local changes the server confirmed (applied now, or before when its answer was lost)
	Rejected   []domain.SyncRejection `json:"rejected"` // local changes it refused in this sync, with its reasons
	Pulled     int                    `json:"pulled"`   // records received
	Directory  int                    `json:"directory"`
	Grids      int                    `json:"grids"`
	Work       int                    `json:"work"`    // usagers, interviews, answers, selections, referrals
	Removed    int                    `json:"removed"` // of the records received, the deletions
	Resynced   bool                   `json:"resynced"`
	Cursor     int64                  `json:"cursor"`  // the server version pulled through
	Pending    int                    `json:"pending"` // local changes still waiting after the sync
	Error      string                 `json:"error"`   // why the sync stopped (French), "" when it went through
	ErrorCode  string                 `json:"error_code"`
}

// ClientOptions tune a Client. The zero value is fine.
type ClientOptions struct {
	HTTPClient *http.Client // nil: a client with DefaultTimeout; redirects are never followed
	Logger     *slog.Logger // nil: discard. Lines name the phase and counts, never the token
	Now        func() time.Time
	// Sleep waits d or until ctx is done; nil waits for real. Tests inject one that moves a
	// fake clock (429 Retry-After).
	Sleep func(ctx context.Context, d time.Duration) error
	// BatchSize and PageSize: mutations per push (MaxMutations) and records per pull page
	// (PullPageSize); tests make them small.
	BatchSize int
	PageSize  int
	MaxBody   int // bytes of a push body (MaxBody)
}

// Client runs syncs of one desk: its store says where to sync, with which token, from which
// cursor, and keeps what each sync brings. It is safe for concurrent use, but two syncs of one
// desk should not overlap (the Runner sees to it).
type Client struct {
	store domain.DeskSyncStore
	hc    *http.Client
	log   *slog.Logger
	opt   ClientOptions
}

// New returns a client over the desk's store.
func New(store domain.DeskSyncStore, opt ClientOptions) *Client {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Sleep == nil {
		opt.Sleep = sleepCtx
	}
	if opt.BatchSize <= 0 || opt.BatchSize > MaxMutations {
		opt.BatchSize = MaxMutations
	}
	if opt.PageSize <= 0 || opt.PageSize > PullPageSize {
		opt.PageSize = PullPageSize
	}
	if opt.MaxBody <= 0 || opt.MaxBody > MaxBody {
		opt.MaxBody = MaxBody
	}
	return &Client{store: store, hc: newHTTPClient(opt.HTTPClient), log: opt.Logger, opt: opt}
}

// Sync runs one sync: it pushes the outbox in batches until it is empty, then pulls pages until
// the desk has everything up to the server's version, applying each page with its cursor in
// one transaction of the store. progress (may be nil) is called as it goes. It records the
// outcome in the store (RecordSync) unless ctx was cancelled, and returns what moved — also
// when it failed part way: a sync stopped by the network keeps what it applied, and the next
// one goes on from there.
//
// Errors (domain codes, French messages): unauthorized (not enrolled, or the server does not
// know the token), revoked (the device was revoked: marked so in the store, and no request is
// sent until the desk is enrolled again), forbidden, gap (the server expects changes this desk
// no longer has), too_large, rate_limited (see RetryAfter), unavailable (EUNAVAILABLE: no
// network, the server failing, an answer cut or not the protocol's), internal (the desk's
// store).
func (c *Client) Sync(ctx context.Context, progress func(Progress)) (Report, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	start := c.opt.Now()
	rep := Report{StartedAt: start, Rejected: []domain.SyncRejection{}}
	err := c.sync(ctx, &rep, progress)
	rep.DurationMS = c.opt.Now().Sub(start).Milliseconds()
	if err != nil {
		rep.Error, rep.ErrorCode = domain.ErrorMessage(err), domain.ErrorCode(err)
	}
	// A cancelled sync (the window closing, a new enrolment) is no failure to show; a desk
	// never enrolled has nothing to record.
	if ctx.Err() == nil && !errors.Is(err, errNotEnrolledSentinel) {
		if rerr := c.store.RecordSync(context.WithoutCancel(ctx), c.opt.Now(), rep.Error); rerr != nil && err == nil {
			err = wrapStore("record sync", rerr)
			rep.Error, rep.ErrorCode = domain.ErrorMessage(err), domain.ErrorCode(err)
		}
	}
	if st, serr := c.store.SyncState(context.WithoutCancel(ctx)); serr == nil {
		rep.Pending = st.Pending
	}
	if err != nil {
		c.log.Warn("sync failed", "code", rep.ErrorCode, "pushed", rep.Pushed, "pulled", rep.Pulled, "err", err)
	} else {
		c.log.Info("sync done", "pushed", rep.Pushed, "rejected", len(rep.Rejected), "pulled", rep.Pulled,
			"directory", rep.Directory, "work", rep.Work, "resynced", rep.Resynced, "duration_ms", rep.DurationMS)
	}
	return rep, err
}

// errNotEnrolledSentinel marks the error of a desk that is not enrolled (nothing to record).
var errNotEnrolledSentinel = errors.New("not enrolled")

func (c *Client) sync(ctx context.Context, rep *Report, progress func(Progress)) error {
	st, err := c.store.SyncState(ctx)
	if err != nil {
		return wrapStore("sync state", err)
	}
	if !st.Enrolled {
		return errors.Join(errNotEnrolled(), errNotEnrolledSentinel)
	}
	if st.Revoked {
		return errRevoked()
	}
	token, err := c.store.SyncToken(ctx)
	if err != nil {
		return wrapStore("sync token", err)
	}
	if token == "" {
		return errors.Join(errNotEnrolled(), errNotEnrolledSentinel)
	}
	base, err := ParseServerURL(st.ServerURL)
	if err != nil {
		return err
	}
	rep.Cursor = st.Cursor
	t := &transport{hc: c.hc, base: base, token: token, sleep: c.opt.Sleep}
	version, err := c.push(ctx, t, st.Pending, rep, progress)
	switch domain.ErrorCode(err) {
	case "":
	case domain.EGAP, domain.ETOOLARGE, domain.EINVALID:
		// The outbox is stuck on a change the server cannot take (or a batch it cannot read),
		// and only a person can fix that; the desk still receives the directory and its
		// colleagues' work meanwhile (a pull keeps every change not yet sent).
		perr := c.pull(ctx, t, st.Cursor, st.PullSince, 0, rep, progress)
		if errorCodeOf(perr) == domain.EREVOKED {
			return c.refused(ctx, perr)
		}
		return errors.Join(err, perr)
	default:
		return c.refused(ctx, err)
	}
	if err := c.pull(ctx, t, st.Cursor, st.PullSince, version, rep, progress); err != nil {
		return c.refused(ctx, err)
	}
	// A pull can queue changes of its own: a file erased on another desk takes with it the
	// interviews this desk had started on it, and the server must hear of their erasure too.
	// They go now rather than at the next sync, so that two syncs of every desk are enough for
	// all of them to agree (and so do the changes the worker made during the sync).
	after, err := c.store.SyncState(ctx)
	if err != nil {
		return wrapStore("sync state", err)
	}
	if after.Pending > 0 {
		if _, err := c.push(ctx, t, after.Pending, rep, progress); err != nil {
			return c.refused(ctx, err)
		}
	}
	return nil
}

// refused turns the server's refusal of the device into the desk's state: a revoked device is
// marked so, and told in words the worker can act on.
func (c *Client) refused(ctx context.Context, err error) error {
	if errorCodeOf(err) != domain.EREVOKED {
		return err
	}
	if merr := c.store.MarkRevoked(context.WithoutCancel(ctx)); merr != nil {
		return errors.Join(errRevoked(), wrapStore("mark revoked", merr))
	}
	return errRevoked()
}

// push sends the outbox until it is empty and returns the server's version after the last
// push. An empty outbox is still one (empty) push: the server's version sizes the pull's
// progress bar, and the token is checked before any page is pulled.
func (c *Client) push(ctx context.Context, t *transport, pending int, rep *Report, progress func(Progress)) (int64, error) {
	batch := c.opt.BatchSize
	version := int64(-1)
	var done int64
	for {
		muts, err := c.store.Outbox(ctx, batch)
		if err != nil {
			return 0, wrapStore("outbox", err)
		}
		if len(muts) == 0 && version >= 0 {
			return version, nil
		}
		body, n, err := encodeBatch(muts, c.opt.MaxBody)
		if err != nil {
			return 0, err
		}
		muts = muts[:n]
		progress(Progress{Phase: PhasePush, Done: done, Total: max(int64(pending), done+int64(n))})
		var res domain.PushResult
		err = t.do(ctx, http.MethodPost, "/api/v1/push", nil, body, &res)
		switch code := errorCodeOf(err); {
		case err == nil:
		case code == domain.EGAP && n > 0:
			if err := c.gap(ctx, err, muts); err != nil {
				return 0, err
			}
			continue
		case code == domain.ETOOLARGE && n > 1:
			// A server with lower limits than the protocol's: halve the batch and go on.
			batch = max(n/2, 1)
			continue
		default:
			return 0, err
		}
		if n > 0 && res.AppliedThrough < muts[0].ID {
			// The server answered 200 and applied nothing: sending the batch again would loop.
			return 0, fail(EUNAVAILABLE, fmt.Errorf("push of %d–%d applied through %d", muts[0].ID, muts[n-1].ID, res.AppliedThrough),
				"Le serveur a accepté l’envoi sans appliquer les modifications : synchronisation arrêtée.")
		}
		if n > 0 {
			if err := c.store.Acknowledge(ctx, res.AppliedThrough, res.Rejected); err != nil {
				return 0, wrapStore("acknowledge", err)
			}
			rejected := rejections(muts, res.Rejected, c.opt.Now())
			rep.Rejected = append(rep.Rejected, rejected...)
			applied := 0
			for _, m := range muts {
				if m.ID <= res.AppliedThrough {
					applied++
				}
			}
			rep.Pushed += applied - len(rejected)
			done += int64(applied)
			progress(Progress{Phase: PhasePush, Done: done, Total: max(int64(pending), done)})
		}
		version = max(res.Version, 0)
	}
}

// gap handles a batch the server refused for a gap in the mutation ids. When the server
// expects an id of this batch or a later one, it already has the ones before (their answer was
// lost): they are acknowledged and the next batch starts at the expected one. When it expects
// an id before the batch, the desk no longer has what it asks for: nothing can fix that by
// sending again, so the sync stops.
func (c *Client) gap(ctx context.Context, err error, muts []domain.Mutation) error {
	var f *failure
	errors.As(err, &f)
	expected := f.expected
	if expected > muts[0].ID {
		if aerr := c.store.Acknowledge(ctx, expected-1, nil); aerr != nil {
			return wrapStore("acknowledge", aerr)
		}
		return nil
	}
	return fail(domain.EGAP, err,
		"Le serveur attend la modification n° %d de ce poste, qui ne l’a plus (il l’a déjà envoyée, ou le serveur a été restauré depuis une sauvegarde) : synchronisation arrêtée. Signalez-le à l’administrateur ; les modifications n° %d et suivantes restent sur ce poste.",
		max(expected, 1), muts[0].ID)
}

// rejections are the refused mutations of a batch, with the record each was about.
func rejections(muts []domain.Mutation, refused []domain.MutationRejection, at time.Time) []domain.SyncRejection {
	if len(refused) == 0 {
		return nil
	}
	byID := make(map[int64]domain.Mutation, len(muts))
	for _, m := range muts {
		byID[m.ID] = m
	}
	out := make([]domain.SyncRejection, 0, len(refused))
	for _, r := range refused {
		m, ok := byID[r.ID]
		if !ok {
			continue // not of this batch: the server reported it to an earlier push
		}
		out = append(out, domain.SyncRejection{Kind: m.Kind, UUID: m.UUID, Reason: r.Reason, At: at})
	}
	return out
}

// encodeBatch writes the push body of the longest prefix of muts within maxBody bytes and
// returns it with the prefix's length. ETOOLARGE when the first mutation alone is over the
// limit: the server could never take it.
func encodeBatch(muts []domain.Mutation, maxBody int) ([]byte, int, error) {
	const head, tail = `{"mutations":[`, `]}`
	buf := make([]byte, 0, 4096)
	buf = append(buf, head...)
	n := 0
	for _, m := range muts {
		b, err := json.Marshal(m)
		if err != nil {
			return nil, 0, fmt.Errorf("encode mutation %d: %w", m.ID, err)
		}
		sep := 0
		if n > 0 {
			sep = 1
		}
		if len(buf)+sep+len(b)+len(tail) > maxBody {
			if n == 0 {
				return nil, 0, domain.Errorf(domain.ETOOLARGE, "La modification n° %d (%s) est trop volumineuse pour être envoyée au serveur (plus de %d Mio) : la synchronisation est bloquée sur elle. Signalez-le à l’administrateur.", m.ID, m.Kind, maxBody>>20)
			}
			break
		}
		if sep > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, b...)
		n++
	}
	return append(buf, tail...), n, nil
}

// pull receives pages from the cursor until the server has nothing more, applying each with its
// cursor. since is the Since of the page that gave the cursor, when its pull had more (0
// otherwise): the server serves the next pages of a pull by it (a resync's cursors may be below
// its tombstone floor). A cursor the server can no longer serve (410 resync) restarts the pull
// from 0 once.
//
// Pages are asked for ahead while the desk applies the ones it has: the server and the network
// work while the desk's database writes, which on a first sync of 100,000 services is most of the
// time. The pages that have arrived by then are applied together, up to about applyRecords
// records, in one transaction of the store with the last one's cursor: each page is still applied
// wholly or not at all with its cursor, and a commit costs the desk's database much the same for
// one page as for five (the store took about a quarter less time for a first sync so). Over
// a slow network pages are applied one by one, as they come.
func (c *Client) pull(ctx context.Context, t *transport, cursor, since, version int64, rep *Report, progress func(Progress)) error {
	start := cursor
	report := func() {
		progress(Progress{Phase: PhasePull, Done: cursor - start, Total: max(version, cursor) - start})
	}
	report()
	ahead := max(1, min(applyRecords/c.opt.PageSize, maxAhead))
	f := startFetcher(ctx, t, c.opt.PageSize, ahead, cursor, since)
	defer func() { f.stop() }()
	var held *fetched // a page received while gathering, for the next round
	for {
		var res fetched
		if held != nil {
			res, held = *held, nil
		} else {
			res = <-f.pages
		}
		page, err := res.page, res.err
		if errorCodeOf(err) == domain.ERESYNC && !rep.Resynced {
			c.log.Info("pull: full resync", "cursor", cursor)
			f.stop()
			if err := c.store.ResetCursor(ctx); err != nil {
				return wrapStore("reset cursor", err)
			}
			rep.Resynced, cursor, start = true, 0, 0
			report()
			f = startFetcher(ctx, t, c.opt.PageSize, ahead, 0, 0)
			continue
		}
		if err != nil {
			return err
		}
		if page.More && page.Cursor <= cursor {
			// A page that does not move the cursor would be asked for again and again.
			return fail(EUNAVAILABLE, fmt.Errorf("pull from %d answered cursor %d with more", cursor, page.Cursor),
				"Le serveur de synchronisation a répondu une page sans avancer : synchronisation arrêtée.")
		}
		// The pages already here go with this one; an error or a page that does not move on
		// waits for the next round, after what came before it is applied.
		cursors := []int64{page.Cursor}
	gather:
		for page.More && len(page.Changes) < applyRecords {
			select {
			case next := <-f.pages:
				if next.err != nil || (next.page.More && next.page.Cursor <= page.Cursor) {
					held = &next
					break gather
				}
				page.Changes = append(page.Changes, next.page.Changes...)
				page.Cursor, page.More, page.Since = next.page.Cursor, next.page.More, next.page.Since
				cursors = append(cursors, page.Cursor)
			default:
				break gather
			}
		}
		applied, err := c.store.ApplyPull(ctx, page)
		if err != nil {
			return wrapStore("apply pull", err)
		}
		rep.Pulled += applied.Records
		rep.Directory += applied.Directory
		rep.Grids += applied.Grids
		rep.Work += applied.Work
		rep.Removed += applied.Removed
		for _, pc := range cursors {
			// One step a page: the bar moves as the pages came, all of them now applied.
			cursor, rep.Cursor = pc, pc
			report()
		}
		if !page.More {
			return nil
		}
	}
}

// applyRecords is about how many records pull applies in one transaction at most (pages it
// already has are applied together until they hold this many), and maxAhead how many pages it
// asks for ahead at most.
const (
	applyRecords = 5000
	maxAhead     = 8
)

// fetched is a page asked for, or why it could not be had.
type fetched struct {
	page domain.PullResult
	err  error
}

// fetcher asks for pages one after the other in the background, from a cursor, and hands them
// over in order, up to ahead of them before one is taken. It stops after a page with More
// false, a page that does not move the cursor, or an error, each handed over like a page.
type fetcher struct {
	cancel context.CancelFunc
	done   chan struct{} // closed by stop: nothing more is taken
	pages  chan fetched
	wg     sync.WaitGroup
	once   sync.Once
}

func startFetcher(ctx context.Context, t *transport, limit, ahead int, cursor, since int64) *fetcher {
	ctx, cancel := context.WithCancel(ctx)
	f := &fetcher{cancel: cancel, done: make(chan struct{}), pages: make(chan fetched, ahead)}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		for {
			q := url.Values{"cursor": {strconv.FormatInt(cursor, 10)}, "limit": {strconv.Itoa(limit)}}
			if since > 0 {
				q.Set("since", strconv.FormatInt(since, 10))
			}
			var page domain.PullResult
			err := t.do(ctx, http.MethodGet, "/api/v1/pull", q, nil, &page)
			select {
			case f.pages <- fetched{page: page, err: err}:
			case <-f.done:
				return
			}
			if err != nil || !page.More || page.Cursor <= cursor {
				return
			}
			cursor, since = page.Cursor, page.Since
		}
	}()
	return f
}

// stop cancels a page still being fetched and waits for the fetcher: nothing runs after the pull
// ends. Stopping a stopped fetcher does nothing.
func (f *fetcher) stop() {
	f.once.Do(func() {
		f.cancel()
		close(f.done)
	})
	f.wg.Wait()
}
