// Package memdesk is an in-memory domain.DeskSyncStore for the tests of the layers above the
// desk's storage (the sync client, the app, the command line): a hand-written fake, kept as
// close to the contract as a map can be. The desk's real store is internal/sqlite; nothing but
// tests should use this one.
package memdesk

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/hlc"
	"github.com/edas92/passerelle/internal/syncmerge"
)

type key struct{ kind, uuid string }

// Store is the fake desk store. The zero value is not usable: call New.
type Store struct {
	mu         sync.Mutex
	now        func() time.Time
	enrolment  *domain.DeskEnrolment
	revoked    bool
	cursor     int64
	since      int64
	outbox     []domain.Mutation
	nextID     int64
	records    map[key]domain.SyncRecord
	rejections []domain.SyncRejection
	lastSync   *time.Time
	lastErr    string
	lastErrAt  *time.Time
	resyncing  bool
	seen       map[key]bool // during a resync: the records the server still holds
	clock      *hlc.Clock

	// FailApply, when set, is returned by ApplyPull instead of applying the page (a failing
	// disk); tests set it between syncs.
	FailApply error
	// Calls counts the calls of each method, by name.
	Calls map[string]int
}

// New returns an empty, unenrolled desk. now may be nil (time.Now).
func New(now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{now: now, records: map[key]domain.SyncRecord{}, nextID: 1, Calls: map[string]int{},
		clock: hlc.New("poste-local", now, "")}
}

func (s *Store) call(name string) { s.Calls[name]++ }

// CallCount returns how often a method was called.
func (s *Store) CallCount(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Calls[name]
}

// Change records a local change as the desk's use cases do: the record and its outbox
// mutation together. fields are marshalled to JSON. It returns the mutation queued.
func (s *Store) Change(kind, uuid, op string, fields map[string]any) domain.Mutation {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := domain.Mutation{ID: s.nextID, Kind: kind, UUID: uuid, Op: op, HLC: s.clock.Now()}
	s.nextID++
	k := key{kind, uuid}
	rec, ok := s.records[k]
	if !ok {
		rec = domain.SyncRecord{Kind: kind, UUID: uuid, Fields: map[string]domain.FieldValue{}}
	}
	if op == domain.MutDelete {
		rec.Deleted, rec.DeletedAt, rec.Fields = true, m.HLC, map[string]domain.FieldValue{}
	} else if len(fields) > 0 {
		m.Fields = map[string]json.RawMessage{}
		for name, v := range fields {
			b, err := json.Marshal(v)
			if err != nil {
				panic(err)
			}
			m.Fields[name] = b
			if !rec.Deleted {
				rec.Fields[name] = domain.FieldValue{V: b, HLC: m.HLC}
			}
		}
	}
	if kind != domain.KindSuggestion {
		s.records[k] = rec
	}
	s.outbox = append(s.outbox, m)
	return m
}

// Forget drops the outbox through id without telling the server: a desk that lost changes
// (restored from an old backup), for the gap tests.
func (s *Store) Forget(through int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outbox = slices.DeleteFunc(s.outbox, func(m domain.Mutation) bool { return m.ID <= through })
}

// Record returns a record as the desk holds it.
func (s *Store) Record(kind, uuid string) (domain.SyncRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.records[key{kind, uuid}]
	return r, ok
}

// Count returns the number of live records of a kind.
func (s *Store) Count(kind string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, r := range s.records {
		if k.kind == kind && !r.Deleted {
			n++
		}
	}
	return n
}

// SyncState implements domain.DeskSyncStore.
func (s *Store) SyncState(ctx context.Context) (domain.DeskSyncState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.call("SyncState")
	st := domain.DeskSyncState{Revoked: s.revoked, Cursor: s.cursor, PullSince: s.since, Pending: len(s.outbox),
		Rejected: len(s.rejections), LastSyncAt: s.lastSync, LastError: s.lastErr, LastErrorAt: s.lastErrAt}
	if e := s.enrolment; e != nil {
		st.Enrolled, st.ServerURL, st.DeviceID, st.SiteID, st.SiteName = true, e.ServerURL, e.DeviceID, e.SiteID, e.SiteName
	}
	return st, nil
}

// SyncToken implements domain.DeskSyncStore.
func (s *Store) SyncToken(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.call("SyncToken")
	if s.enrolment == nil {
		return "", nil
	}
	return s.enrolment.Token, nil
}

// Enrol implements domain.DeskSyncStore: ECONFLICT when the desk holds work of another site.
func (s *Store) Enrol(ctx context.Context, e domain.DeskEnrolment) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.call("Enrol")
	if s.enrolment != nil && s.enrolment.SiteID != e.SiteID {
		for k := range s.records {
			if syncmerge.SiteScoped(k.kind) {
				return domain.Errorf(domain.ECONFLICT, "Ce poste contient les dossiers d’une autre EDAS (%s) : il ne peut pas être inscrit pour %s.", s.enrolment.SiteName, e.SiteName)
			}
		}
	}
	s.enrolment = &e
	s.revoked, s.cursor, s.since, s.resyncing, s.seen = false, 0, 0, false, nil
	// Renumber the waiting changes from 1 for the new device.
	for i := range s.outbox {
		s.outbox[i].ID = int64(i + 1)
	}
	s.nextID = int64(len(s.outbox) + 1)
	s.clock = hlc.New(e.DeviceID, s.now, s.clock.Last())
	return nil
}

// WorkSite implements domain.DeskSyncStore: the enrolment's site while the desk holds a record
// of a site's work.
func (s *Store) WorkSite(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.call("WorkSite")
	if s.enrolment == nil {
		return "", nil
	}
	for k := range s.records {
		if syncmerge.SiteScoped(k.kind) {
			return s.enrolment.SiteID, nil
		}
	}
	return "", nil
}

// MarkRevoked implements domain.DeskSyncStore.
func (s *Store) MarkRevoked(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.call("MarkRevoked")
	s.revoked = true
	return nil
}

// Outbox implements domain.DeskSyncStore.
func (s *Store) Outbox(ctx context.Context, limit int) ([]domain.Mutation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.call("Outbox")
	n := min(limit, len(s.outbox))
	out := slices.Clone(s.outbox[:n])
	for i, m := range out {
		out[i].Known = s.records[key{m.Kind, m.UUID}].Version // 0 when never received
	}
	return out, nil
}

// Acknowledge implements domain.DeskSyncStore.
func (s *Store) Acknowledge(ctx context.Context, through int64, rejected []domain.MutationRejection) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.call("Acknowledge")
	byID := map[int64]domain.Mutation{}
	for _, m := range s.outbox {
		if m.ID <= through {
			byID[m.ID] = m
		}
	}
	for _, r := range rejected {
		if m, ok := byID[r.ID]; ok {
			s.rejections = append(s.rejections, domain.SyncRejection{Kind: m.Kind, UUID: m.UUID, Reason: r.Reason, At: s.now()})
		}
	}
	s.outbox = slices.DeleteFunc(s.outbox, func(m domain.Mutation) bool { return m.ID <= through })
	return nil
}

// ApplyPull implements domain.DeskSyncStore: the page and its cursor, or nothing.
func (s *Store) ApplyPull(ctx context.Context, page domain.PullResult) (domain.PullApplied, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.call("ApplyPull")
	if s.FailApply != nil {
		return domain.PullApplied{}, s.FailApply
	}
	if err := ctx.Err(); err != nil {
		return domain.PullApplied{}, err
	}
	var out domain.PullApplied
	for _, rec := range page.Changes {
		k := key{rec.Kind, rec.UUID}
		local, found := s.records[k]
		s.records[k] = syncmerge.MergeRemote(local, found, rec)
		if s.resyncing {
			s.seen[k] = true
		}
		out.Records++
		switch rec.Kind {
		case domain.KindStructure, domain.KindService:
			out.Directory++
		case domain.KindGrid:
			out.Grids++
		default:
			out.Work++
		}
		if rec.Deleted {
			out.Removed++
		}
	}
	s.cursor, s.since = page.Cursor, 0
	if page.More {
		s.since = page.Since
	}
	if s.resyncing && !page.More {
		waiting := map[key]bool{}
		for _, m := range s.outbox {
			waiting[key{m.Kind, m.UUID}] = true
		}
		for k := range s.records {
			if !s.seen[k] && !waiting[k] {
				delete(s.records, k)
				out.Removed++
			}
		}
		s.resyncing, s.seen = false, nil
	}
	return out, nil
}

// ResetCursor implements domain.DeskSyncStore.
func (s *Store) ResetCursor(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.call("ResetCursor")
	s.cursor, s.since, s.resyncing, s.seen = 0, 0, true, map[key]bool{}
	return nil
}

// RecordSync implements domain.DeskSyncStore.
func (s *Store) RecordSync(ctx context.Context, at time.Time, errMsg string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.call("RecordSync")
	if errMsg == "" {
		s.lastSync, s.lastErr, s.lastErrAt = &at, "", nil
	} else {
		s.lastErr, s.lastErrAt = errMsg, &at
	}
	return nil
}

// SyncRejections implements domain.DeskSyncStore: newest first.
func (s *Store) SyncRejections(ctx context.Context) ([]domain.SyncRejection, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.call("SyncRejections")
	out := slices.Clone(s.rejections)
	slices.Reverse(out)
	slices.SortStableFunc(out, func(a, b domain.SyncRejection) int { return cmp.Compare(b.At.UnixNano(), a.At.UnixNano()) })
	return out, nil
}

var _ domain.DeskSyncStore = (*Store)(nil)
