package domain

import (
	"context"
	"time"
)

// ImportBatch is a set of validated directory records to write in one transaction.
type ImportBatch struct {
	Origin     Origin
	Structures []Structure
	Services   []Service
}

// ImportCounts says what an import did to the stored directory, counting structures and services.
type ImportCounts struct {
	Imported  int `json:"imported"`  // new records
	Updated   int `json:"updated"`   // records that existed and changed
	Unchanged int `json:"unchanged"` // records that existed, identical
}

// Rejection is one record of an import file refused with its reason (French).
type Rejection struct {
	File     string `json:"file"`
	Position int    `json:"position"` // 0-based index in a JSON array; line number in a CSV file; -1 for the whole file
	ID       string `json:"id"`       // the record's identifier when it could be read
	Reason   string `json:"reason"`
}

// ImportReport is the outcome of an import: what was written and what was refused.
type ImportReport struct {
	ImportCounts
	Rejected []Rejection `json:"rejected"`
}

// ImportProgress is reported while a long import runs.
type ImportProgress struct {
	Phase string `json:"phase"` // "lecture", "enregistrement", "indexation"
	Done  int    `json:"done"`
	Total int    `json:"total"` // 0 when unknown
}

// ProgressFunc receives progress reports; it may be nil.
type ProgressFunc func(ImportProgress)

// Report calls f when it is set.
func (f ProgressFunc) Report(p ImportProgress) {
	if f != nil {
		f(p)
	}
}

// Change is one row of the change log, written in the same transaction as the change itself so a
// later sync never misses a write.
type Change struct {
	Seq       int64     `json:"seq"`
	Kind      string    `json:"kind"` // KindStructure, KindService, KindNote
	UUID      string    `json:"uuid"`
	Op        string    `json:"op"` // OpUpsert or OpDelete
	ChangedAt time.Time `json:"changed_at"`
}

// Change log operations.
const (
	OpUpsert = "upsert"
	OpDelete = "delete"
)

// DirectoryStore keeps the directory durably. Every method is one transaction; every write also
// appends its change-log rows in that transaction.
type DirectoryStore interface {
	// ApplyImport inserts or updates the batch's records, matched on UUID; a record identical to
	// the stored one is left untouched. A deleted record that comes back is restored. progress
	// is called as records are written. Returns EINVALID when a service's structure is neither
	// in the batch nor stored.
	ApplyImport(ctx context.Context, batch ImportBatch, progress ProgressFunc) (ImportCounts, error)

	// LoadDirectory returns every live structure and service, for the search index.
	LoadDirectory(ctx context.Context) ([]Structure, []Service, error)

	// Structure returns a structure by UUID, deleted or not. ENOTFOUND when unknown.
	Structure(ctx context.Context, uuid string) (Structure, error)
	// Service returns a service by UUID, deleted or not. ENOTFOUND when unknown.
	Service(ctx context.Context, uuid string) (Service, error)

	// CountServices returns the number of live services.
	CountServices(ctx context.Context) (int, error)
	// CountServicesOfOrigin returns the number of live services of one origin.
	CountServicesOfOrigin(ctx context.Context, origin Origin) (int, error)

	// CreateProposal stores an initiative proposed on this desk: a new structure (when
	// st.UUID is not yet stored) and its service, both with OriginProposal.
	CreateProposal(ctx context.Context, st Structure, sv Service) error

	// SetServiceDeleted soft-deletes (deleted=true) or restores a service. ENOTFOUND when
	// unknown.
	SetServiceDeleted(ctx context.Context, uuid string, deleted bool) error

	// DeleteOrigin soft-deletes every live record of an origin (used to remove the demo
	// directory) and returns how many services it deleted.
	DeleteOrigin(ctx context.Context, origin Origin) (int, error)

	// Note returns the worker's note on a service; an empty note when there is none.
	Note(ctx context.Context, serviceUUID string) (Note, error)
	// SetNote saves the worker's note on a service (an empty body removes it). ENOTFOUND when
	// the service is unknown.
	SetNote(ctx context.Context, serviceUUID, body string) (Note, error)

	// Changes returns the change-log rows after seq, oldest first, at most limit.
	Changes(ctx context.Context, afterSeq int64, limit int) ([]Change, error)
}
