package sqlite

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/edas92/passerelle/internal/domain"
)

// The directory's part of a pull, written a page at a time. A first sync brings 100,000 services
// and their structures: asking SQLite about each record (is its row here, where is its
// structure, what does sync_record know of it) and writing its bookkeeping one statement at a
// time was most of the time it took. The lookups are made once per page (dirPage), and the
// sync_record rows are written at the end of the page by multi-row statements (recordQueue).
//
// Directory records and grids are the server's alone and are never pushed: the desk keeps no
// per-field state for them (sync_field) once they are written into their tables, only their
// server version and tombstone in sync_record, which a full resync needs to find the records the
// server no longer holds.

// isServerKind reports whether a kind is the server's alone: the directory and the grids.
func isServerKind(kind string) bool {
	return kind == domain.KindStructure || kind == domain.KindService || kind == domain.KindGrid
}

// dirRow is what a pull needs to know of a stored structure or service: found is false when
// the desk has no row.
type dirRow struct {
	found     bool
	diID      string
	hash      string
	origin    string
	structure string // services: its structure's uuid
	deleted   bool
}

// parentRow is a stored structure found by its data·inclusion identifier.
type parentRow struct {
	found   bool
	uuid    string
	deleted bool
}

// dirPage holds what the desk stores of a page's directory records, read in one query per
// table, and kept up to date as the page writes them. A record it did not read (one that waited
// for its parent, a resync's removal) is read on its own.
type dirPage struct {
	s       *syncTx
	rows    map[mark]dirRow
	synced  map[mark]int // sync_record.pending of the page's server records the desk knows
	parents map[string]parentRow
	// wanted are the identifiers of the structures the page's services name, read together when
	// the first service is written: after the page's structures, which come first.
	wanted []string
}

// load reads the stored rows and sync records of the page's server records, and notes the
// structures their services need.
func (d *dirPage) load(items []pullItem) error {
	byKind := map[string][]string{}
	wanted := map[string]bool{}
	for i := range items {
		it := &items[i]
		if !isServerKind(it.kind) {
			continue
		}
		byKind[it.kind] = append(byKind[it.kind], it.uuid)
		if it.dir != nil && it.dir.sv != nil {
			// Services share structures: each identifier is asked for once. (The identifier as
			// it is, which applyService tries next, nearly never serves: it is read alone.)
			if di := domain.QualifiedID(it.dir.sv.Source, it.dir.sv.StructureID); !wanted[di] {
				wanted[di] = true
				d.wanted = append(d.wanted, di)
			}
		}
	}
	d.rows = map[mark]dirRow{}
	d.synced = map[mark]int{}
	for kind, uuids := range byKind {
		// In key order, the lookups walk the indexes from one end to the other.
		slices.Sort(uuids)
		list, err := json.Marshal(uuids)
		if err != nil {
			return err
		}
		if err := d.s.query(`SELECT r.uuid, r.pending FROM json_each(?) AS j
			CROSS JOIN sync_record AS r ON r.kind = ? AND r.uuid = j.value`, []any{list, kind}, func(r scanner) error {
			var (
				uuid    string
				pending int
			)
			if err := r.Scan(&uuid, &pending); err != nil {
				return err
			}
			d.synced[mark{kind, uuid}] = pending
			return nil
		}); err != nil {
			return fmt.Errorf("read sync records: %w", err)
		}
		var q string
		switch kind {
		case domain.KindStructure:
			q = `SELECT t.uuid, t.di_id, t.hash, t.origin, '', t.deleted_at IS NOT NULL FROM json_each(?) AS j
				CROSS JOIN structure AS t ON t.uuid = j.value`
		case domain.KindService:
			q = `SELECT t.uuid, t.di_id, t.hash, t.origin, t.structure_uuid, t.deleted_at IS NOT NULL FROM json_each(?) AS j
				CROSS JOIN service AS t ON t.uuid = j.value`
		default:
			continue
		}
		for _, uuid := range uuids {
			d.rows[mark{kind, uuid}] = dirRow{}
		}
		if err := d.s.query(q, []any{list}, func(r scanner) error {
			var (
				uuid string
				row  = dirRow{found: true}
			)
			if err := r.Scan(&uuid, &row.diID, &row.hash, &row.origin, &row.structure, &row.deleted); err != nil {
				return err
			}
			d.rows[mark{kind, uuid}] = row
			return nil
		}); err != nil {
			return fmt.Errorf("read %s rows: %w", kind, err)
		}
	}
	return nil
}

// row returns the stored row of a structure or service.
func (d *dirPage) row(kind, uuid string) (dirRow, error) {
	if r, ok := d.rows[mark{kind, uuid}]; ok {
		return r, nil
	}
	query := `SELECT di_id, hash, origin, '', deleted_at IS NOT NULL FROM structure WHERE uuid = ?`
	if kind == domain.KindService {
		query = `SELECT di_id, hash, origin, structure_uuid, deleted_at IS NOT NULL FROM service WHERE uuid = ?`
	}
	r := dirRow{found: true}
	err := d.s.queryRow(query, uuid).Scan(&r.diID, &r.hash, &r.origin, &r.structure, &r.deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return dirRow{}, nil
	} else if err != nil {
		return dirRow{}, fmt.Errorf("read %s: %w", kind, err)
	}
	return r, nil
}

// wrote records the row a write left.
func (d *dirPage) wrote(kind, uuid string, r dirRow) {
	if kind == domain.KindStructure {
		// The identifiers the row answered to and answers to now are read again if needed.
		if old, ok := d.rows[mark{kind, uuid}]; ok && old.found {
			delete(d.parents, old.diID)
		} else if !ok {
			d.parents = nil // not known: forget every structure found by identifier
		}
		if d.parents != nil {
			delete(d.parents, r.diID)
		}
	}
	d.rows[mark{kind, uuid}] = r
}

// structureByDI finds a stored structure by its data·inclusion identifier. The first call reads
// every structure the page's services name.
func (d *dirPage) structureByDI(di string) (parentRow, error) {
	if d.parents == nil {
		d.parents = make(map[string]parentRow, len(d.wanted))
		if len(d.wanted) > 0 {
			slices.Sort(d.wanted)
			list, err := json.Marshal(d.wanted)
			if err != nil {
				return parentRow{}, err
			}
			for _, w := range d.wanted {
				d.parents[w] = parentRow{}
			}
			d.wanted = nil
			if err := d.s.query(`SELECT t.di_id, t.uuid, t.deleted_at IS NOT NULL FROM json_each(?) AS j
				CROSS JOIN structure AS t ON t.di_id = j.value`, []any{list}, func(r scanner) error {
				var (
					di string
					p  = parentRow{found: true}
				)
				if err := r.Scan(&di, &p.uuid, &p.deleted); err != nil {
					return err
				}
				d.parents[di] = p
				return nil
			}); err != nil {
				return parentRow{}, fmt.Errorf("find structures: %w", err)
			}
		}
	}
	if p, ok := d.parents[di]; ok {
		return p, nil
	}
	p := parentRow{found: true}
	err := d.s.queryRow(`SELECT uuid, deleted_at IS NOT NULL FROM structure WHERE di_id = ?`, di).Scan(&p.uuid, &p.deleted)
	if errors.Is(err, sql.ErrNoRows) {
		p = parentRow{}
	} else if err != nil {
		return parentRow{}, fmt.Errorf("find structure: %w", err)
	}
	d.parents[di] = p
	return p, nil
}

// recordRow is the sync_record row of a server record.
type recordRow struct {
	kind, uuid string
	deleted    sql.NullString // the tombstone's HLC
	version    int64
	pending    int
}

// recordQueue keeps the sync_record rows of a page's server records and writes them at its end,
// in key order: random uuids inserted in order touch the table's pages one after the other (about
// half a second less on a first sync of 150,000 records than in the order of the page).
type recordQueue struct {
	rows  []recordRow
	texts map[int]string
}

func (q *recordQueue) add(r recordRow) { q.rows = append(q.rows, r) }

// maxBatchRows is the most rows one statement writes (5 parameters a row: SQLite allows 32,766).
const maxBatchRows = 128

// flush writes the queued rows, maxBatchRows a statement and the rest in statements of 64, 32,
// … rows: a few statements prepared once each, whatever the size of a page. A record's version
// never goes back.
func (q *recordQueue) flush(s *syncTx) error {
	slices.SortStableFunc(q.rows, func(x, y recordRow) int {
		if c := strings.Compare(x.kind, y.kind); c != 0 {
			return c
		}
		return strings.Compare(x.uuid, y.uuid)
	})
	args := make([]any, 0, 5*min(len(q.rows), maxBatchRows))
	rows := q.rows
	for n := maxBatchRows; len(rows) > 0; n /= 2 {
		for len(rows) >= n {
			args = args[:0]
			for _, r := range rows[:n] {
				args = append(args, r.kind, r.uuid, r.deleted, r.version, r.pending)
			}
			if _, err := s.exec(q.text(n), args...); err != nil {
				return err
			}
			rows = rows[n:]
		}
	}
	q.rows = q.rows[:0]
	return nil
}

// text is the statement that writes n rows.
func (q *recordQueue) text(n int) string {
	if t, ok := q.texts[n]; ok {
		return t
	}
	if q.texts == nil {
		q.texts = map[int]string{}
	}
	const row = `(?, ?, ?, ?, ?, 1)`
	t := `INSERT INTO sync_record (kind, uuid, deleted, version, pending, seen) VALUES ` + row +
		strings.Repeat(", "+row, n-1) + `
		ON CONFLICT (kind, uuid) DO UPDATE SET deleted = excluded.deleted, version = max(version, excluded.version),
		conflicts = NULL, pending = excluded.pending, seen = 1`
	q.texts[n] = t
	return t
}
