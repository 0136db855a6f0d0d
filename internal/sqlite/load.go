package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"sync"

	"github.com/edas92/passerelle/internal/domain"
)

// LoadDirectory returns every live structure and service, decoded, with Meta and Extra filled,
// from one snapshot of the database, in the order they were first stored.
//
// It runs at start-up over up to 100,000 services, and decoding JSON costs several times what
// reading the rows does: one goroutine reads while the others decode.
func (db *DB) LoadDirectory(ctx context.Context) ([]domain.Structure, []domain.Service, error) {
	var sts []domain.Structure
	var svs []domain.Service
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		var err error
		if sts, err = loadLive(ctx, tx, "structure", decodeStructure); err != nil {
			return fmt.Errorf("load structures: %w", err)
		}
		if svs, err = loadLive(ctx, tx, "service", decodeService); err != nil {
			return fmt.Errorf("load services: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("load directory: %w", err)
	}
	return sts, svs, nil
}

// loadChunk is how many records a decoding goroutine takes at a time: large enough that passing
// them costs nothing, small enough that the decoders start early and finish together.
const loadChunk = 256

// rawRecord is a row read but not yet decoded; data and extra point into its chunk's buffer.
type rawRecord struct {
	uuid, origin, created, updated string
	deleted                        sql.NullString
	data, extra                    []byte // extra is nil for NULL
}

type rawChunk struct {
	start int // index of the first record in the result
	recs  []rawRecord
}

// loadLive reads every live record of table and decodes them in parallel, keeping their order.
func loadLive[T any](ctx context.Context, tx *sql.Tx, table string,
	decode func(m domain.Meta, data, extra []byte) (T, error)) ([]T, error) {
	// The count and the rows come from the same snapshot, so the result can be allocated once
	// and filled in place by the decoders.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE deleted_at IS NULL`).Scan(&n); err != nil {
		return nil, err
	}
	out := make([]T, n)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err })
		cancel()
	}
	chunks := make(chan rawChunk, runtime.GOMAXPROCS(0))
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range chunks {
				for i, r := range c.recs {
					m, err := r.meta()
					if err == nil {
						out[c.start+i], err = decode(m, r.data, r.extra)
					}
					if err != nil {
						fail(fmt.Errorf("record %s: %w", r.uuid, err))
						break
					}
				}
			}
		}()
	}

	err := readRaw(ctx, tx, `SELECT `+recordColumns+` FROM `+table+` WHERE deleted_at IS NULL ORDER BY rowid`, n, chunks)
	close(chunks)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readRaw sends the rows of query, copied, in chunks; want is how many rows there must be.
func readRaw(ctx context.Context, tx *sql.Tx, query string, want int, chunks chan<- rawChunk) error {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		data, extra sql.RawBytes
		r           rawRecord
		c           = rawChunk{recs: make([]rawRecord, 0, loadChunk)}
		buf         []byte
		total       int
	)
	for rows.Next() {
		if err := rows.Scan(&r.uuid, &r.origin, &data, &extra, &r.created, &r.updated, &r.deleted); err != nil {
			return err
		}
		if total == want {
			return fmt.Errorf("more rows than counted (%d)", want)
		}
		// One buffer per chunk rather than two allocations per row; RawBytes are reused by Scan.
		if buf == nil {
			buf = make([]byte, 0, loadChunk*(len(data)+len(extra))*5/4)
		}
		at := len(buf)
		buf = append(buf, data...)
		r.data = buf[at:len(buf):len(buf)]
		r.extra = nil
		if extra != nil {
			at = len(buf)
			buf = append(buf, extra...)
			r.extra = buf[at:len(buf):len(buf)]
		}
		c.recs = append(c.recs, r)
		total++
		if len(c.recs) == loadChunk {
			select {
			case chunks <- c:
			case <-ctx.Done():
				return ctx.Err()
			}
			c = rawChunk{start: total, recs: make([]rawRecord, 0, loadChunk)}
			buf = nil
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(c.recs) > 0 {
		select {
		case chunks <- c:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if total != want {
		return fmt.Errorf("%d rows read, %d counted", total, want)
	}
	return nil
}

func (r *rawRecord) meta() (domain.Meta, error) {
	m := domain.Meta{UUID: r.uuid, Origin: domain.Origin(r.origin)}
	var err error
	if m.CreatedAt, err = parseTime(r.created); err != nil {
		return m, err
	}
	if m.UpdatedAt, err = parseTime(r.updated); err != nil {
		return m, err
	}
	m.DeletedAt, err = parseNullTime(r.deleted)
	return m, err
}
