package domain

import (
	"context"
	"encoding/json"
	"time"
)

// The sync protocol between desks and the central server (docs/sync-protocol.md).

// Kinds that only flow down from the server, and the kind that only flows up.
const (
	KindSuggestion = "suggestion"
)

// Mutation operations.
const (
	MutUpsert = "upsert"
	MutDelete = "delete"
)

// Mutation is one local change of a desk, pushed to the server. Its ID is the device's mutation
// id: strictly increasing from 1, without gaps.
type Mutation struct {
	ID     int64                      `json:"id"`
	Kind   string                     `json:"kind"`
	UUID   string                     `json:"uuid"`
	Op     string                     `json:"op"` // MutUpsert or MutDelete
	HLC    string                     `json:"hlc"`
	Fields map[string]json.RawMessage `json:"fields,omitempty"` // the fields this change wrote
	Base   string                     `json:"base,omitempty"`   // answers: the HLC of the answer it replaced
	// Known is the server version of the record when the desk last received it, 0 when it never
	// did (the desk created it). The server refuses an upsert of a record it does not hold that
	// the desk knew: the record was deleted and its tombstone dropped since, and deletes win.
	Known int64 `json:"known,omitempty"`
}

// MutationRejection is a mutation the server could not apply, with its reason (French).
type MutationRejection struct {
	ID     int64  `json:"id"`
	Reason string `json:"reason"`
}

// PushResult is the server's answer to a push.
type PushResult struct {
	AppliedThrough int64               `json:"applied_through"` // every id up to this one is applied (or rejected)
	Rejected       []MutationRejection `json:"rejected"`
	Version        int64               `json:"version"` // the server's version after the push
}

// FieldValue is a field of a synced record with the HLC of its last write.
type FieldValue struct {
	V   json.RawMessage `json:"v"`
	HLC string          `json:"hlc"`
}

// AnswerConflict is an answer kept beside the winning one: two people answered the same
// question differently without seeing each other.
type AnswerConflict struct {
	Value  json.RawMessage `json:"value"`
	HLC    string          `json:"hlc"`
	Device string          `json:"device"`
}

// SyncRecord is the state of one synced record.
type SyncRecord struct {
	Version   int64                 `json:"version"` // the server version of its last write
	Kind      string                `json:"kind"`
	UUID      string                `json:"uuid"`
	Site      string                `json:"-"`       // "" for the directory and grids (every site)
	Deleted   bool                  `json:"deleted"` // a tombstone: fields are empty
	DeletedAt string                `json:"-"`       // HLC of the delete
	Fields    map[string]FieldValue `json:"fields"`
	Conflicts []AnswerConflict      `json:"conflicts,omitempty"`
}

// RecordKey names a synced record.
type RecordKey struct {
	Kind string
	UUID string
}

// PullResult is one page of a pull.
type PullResult struct {
	Changes []SyncRecord `json:"changes"`
	Cursor  int64        `json:"cursor"`
	More    bool         `json:"more"`
	// Since is set with More: the server version the pull began at, sent back with the cursor
	// for the next page (docs/sync-protocol.md, « Pull »).
	Since int64 `json:"since,omitempty"`
}

// EncodedPage is a page of a pull as the server sends it: each change already encoded as the
// JSON object of its SyncRecord. The server streams it to the desk without decoding the stored
// fields and encoding them again, which is most of the cost of a pull.
type EncodedPage struct {
	Changes []json.RawMessage
	Cursor  int64
	More    bool
	Since   int64 // as in PullResult
}

// Site is an EDAS on the server.
type Site struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Device is an enrolled desk.
type Device struct {
	ID           string     `json:"id"`
	SiteID       string     `json:"site_id"`
	Name         string     `json:"name"`
	CreatedAt    time.Time  `json:"created_at"`
	RevokedAt    *time.Time `json:"revoked_at"`
	LastSeenAt   *time.Time `json:"last_seen_at"`
	LastMutation int64      `json:"last_mutation"` // the highest mutation id applied
}

// Enrolment is a single-use code printed for a site.
type Enrolment struct {
	SiteID    string    `json:"site_id"`
	ExpiresAt time.Time `json:"expires_at"`
}

// CuratorSuggestion is a proposal or a correction sent by a desk, for the directory's curators.
type CuratorSuggestion struct {
	UUID      string          `json:"uuid"`
	SiteID    string          `json:"site_id"`
	DeviceID  string          `json:"device_id"`
	Type      string          `json:"type"` // "proposition" or "correction"
	Service   json.RawMessage `json:"service"`
	Message   string          `json:"message"`
	Status    string          `json:"status"` // "nouvelle", "acceptee", "refusee"
	CreatedAt time.Time       `json:"created_at"`
}

// ServerTx is what the server does inside one transaction of its store.
type ServerTx interface {
	// Record returns a record's state; found is false when the server never saw it.
	Record(ctx context.Context, kind, uuid string) (rec SyncRecord, found bool, err error)
	// Records returns the states of the records of keys the server holds (tombstones too), in
	// no particular order: a push reads all its records at once.
	Records(ctx context.Context, keys []RecordKey) ([]SyncRecord, error)
	// PutRecord stores a record's new state and gives it the next server version, which it
	// returns.
	PutRecord(ctx context.Context, rec SyncRecord) (int64, error)
	// Device returns a device (with its last applied mutation id). ENOTFOUND.
	Device(ctx context.Context, id string) (Device, error)
	// SetLastMutation records the highest mutation id applied for a device.
	SetLastMutation(ctx context.Context, deviceID string, id int64) error
	// TouchDevice records when a device was last seen, with the transaction's writes. ENOTFOUND.
	TouchDevice(ctx context.Context, id string, at time.Time) error
	// AddSuggestion stores a suggestion from a desk (idempotent on its UUID).
	AddSuggestion(ctx context.Context, s CuratorSuggestion) error
}

// ServerStore keeps the central server's data. Every method is one transaction; InTx runs
// several steps in one.
type ServerStore interface {
	InTx(ctx context.Context, fn func(tx ServerTx) error) error

	AddSite(ctx context.Context, name string) (Site, error)
	Sites(ctx context.Context) ([]Site, error)

	// AddEnrolment stores the hash of a new single-use code for a site. ENOTFOUND (site).
	AddEnrolment(ctx context.Context, siteID, codeHash string, expires time.Time) error
	// Enrol uses a code (by its hash) once and creates the device with the hash of its token.
	// siteID, when not "", is the site the desk holds files of: a code of another site is then
	// refused and stays unused. ENOTFOUND for an unknown code, ECONFLICT for a code already used
	// or expired, or of another site than siteID.
	Enrol(ctx context.Context, codeHash, tokenHash, deviceName string, now time.Time, siteID string) (Device, error)
	// DeviceByToken finds a device by the hash of its token (revoked ones too). ENOTFOUND.
	DeviceByToken(ctx context.Context, tokenHash string) (Device, error)
	// TouchDevice records when a device was last seen.
	TouchDevice(ctx context.Context, id string, at time.Time) error
	Devices(ctx context.Context) ([]Device, error)
	// RevokeDevice refuses a device from now on. ENOTFOUND.
	RevokeDevice(ctx context.Context, id string, at time.Time) error

	// Pull returns the records of a site's scope (the site's, and the global ones) whose version
	// is above cursor, in version order, at most limit. since is 0 on a pull's first page and the
	// previous page's Since on the next ones. ERESYNC when the pull began before the oldest
	// tombstone kept (the desk must pull again from 0): a resync's later pages are served.
	Pull(ctx context.Context, siteID string, cursor, since int64, limit int) (PullResult, error)
	// PullEncoded is Pull with each record encoded as JSON (json.Marshal of the SyncRecord Pull
	// returns, up to spacing and the order of fields). Same errors.
	PullEncoded(ctx context.Context, siteID string, cursor, since int64, limit int) (EncodedPage, error)
	// DropTombstones forgets the tombstones deleted before a version (housekeeping) and
	// remembers it as the floor below which a cursor is too old.
	DropTombstones(ctx context.Context, beforeVersion int64) error
	// Version returns the server's current version.
	Version(ctx context.Context) (int64, error)

	Suggestions(ctx context.Context, status string) ([]CuratorSuggestion, error)
	SetSuggestionStatus(ctx context.Context, uuid, status string) (CuratorSuggestion, error)
}

// The desk's side of the protocol.

// DeskEnrolment is what a desk keeps of its enrolment: the server it syncs with, the device it
// is there, and the site (EDAS) it belongs to. Token is the device token: secret, it travels only
// in the Authorization header and is never printed.
type DeskEnrolment struct {
	ServerURL string `json:"server_url"`
	Token     string `json:"-"`
	DeviceID  string `json:"device_id"`
	SiteID    string `json:"site_id"`
	SiteName  string `json:"site_name"`
}

// DeskSyncState is the sync status of a desk, as the settings screen and `passerelle sync`
// show it.
type DeskSyncState struct {
	Enrolled    bool       `json:"enrolled"`
	ServerURL   string     `json:"server_url"`
	DeviceID    string     `json:"device_id"`
	SiteID      string     `json:"site_id"`
	SiteName    string     `json:"site_name"`
	Revoked     bool       `json:"revoked"` // the server refused the device: sync stops
	Cursor      int64      `json:"cursor"`  // the server version pulled through
	PullSince   int64      `json:"-"`       // with a cursor in the middle of a pull: the Since of its last page
	Pending     int        `json:"pending"` // local changes waiting in the outbox
	Rejected    int        `json:"rejected"`
	LastSyncAt  *time.Time `json:"last_sync_at"`  // the last sync that went through
	LastError   string     `json:"last_error"`    // why the last attempt failed (French), "" after a success
	LastErrorAt *time.Time `json:"last_error_at"` // when it failed
}

// SyncRejection is a local change the server refused, kept for the worker to see.
type SyncRejection struct {
	Kind   string    `json:"kind"`
	UUID   string    `json:"uuid"`
	Reason string    `json:"reason"` // the server's reason (French)
	At     time.Time `json:"at"`
}

// PullApplied counts what one pulled page changed on the desk.
type PullApplied struct {
	Records   int `json:"records"`   // records of the page
	Directory int `json:"directory"` // structures and services written or removed
	Grids     int `json:"grids"`
	Work      int `json:"work"`    // usagers, interviews, answers, selections, referrals and their events
	Removed   int `json:"removed"` // of those, the ones removed (tombstones)
}

// DeskSyncStore is the desk's sync state, kept in its database with the data it syncs. Local
// changes reach the outbox in the same transaction as the change itself; the store numbers
// them for the enrolled device.
type DeskSyncStore interface {
	// SyncState returns the desk's enrolment and sync status.
	SyncState(ctx context.Context) (DeskSyncState, error)
	// SyncToken returns the device token, "" when the desk is not enrolled.
	SyncToken(ctx context.Context) (string, error)
	// WorkSite returns the site (EDAS) whose work — usager files, interviews, referrals — the desk
	// holds from an earlier enrolment, "" when it holds none: it may then be enrolled for any.
	WorkSite(ctx context.Context) (string, error)
	// Enrol records a new enrolment: the cursor starts at 0, the pending outbox is numbered from
	// 1 for the new device, and every local record of the desk's work not yet sent is queued.
	// ECONFLICT when the desk holds work of another site than e.SiteID.
	Enrol(ctx context.Context, e DeskEnrolment) error
	// MarkRevoked records that the server refused the device.
	MarkRevoked(ctx context.Context) error
	// Outbox returns up to limit mutations waiting, in id order, numbered for the device.
	Outbox(ctx context.Context, limit int) ([]Mutation, error)
	// Acknowledge forgets the mutations through id (the server applied or rejected them) and
	// keeps the rejected ones for the worker.
	Acknowledge(ctx context.Context, through int64, rejected []MutationRejection) error
	// ApplyPull merges one pulled page into the desk (per field, the newer HLC wins; a local
	// change not yet pushed is kept) and stores its cursor, in one transaction.
	ApplyPull(ctx context.Context, page PullResult) (PullApplied, error)
	// ResetCursor starts a full resync: the next pull starts from 0; when it has been pulled
	// through (a page with More false), the synced records the server no longer holds are
	// removed, except those with a change waiting in the outbox.
	ResetCursor(ctx context.Context) error
	// RecordSync records the outcome of a sync attempt: errMsg "" for a success.
	RecordSync(ctx context.Context, at time.Time, errMsg string) error
	// SyncRejections returns the refused changes kept for the worker, newest first.
	SyncRejections(ctx context.Context) ([]SyncRejection, error)
}

// ConflictingAnswer is an answer a colleague gave to the same question of an interview without
// seeing the one on screen: both are kept until a person settles the question by answering it
// again (with either value or a new one).
type ConflictingAnswer struct {
	QuestionID   string      `json:"question_id"`
	Value        AnswerValue `json:"value"`
	WorkerRating *int        `json:"worker_rating"`
	Device       string      `json:"device"` // the desk that gave it
	AnsweredAt   time.Time   `json:"answered_at"`
}
