package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/edas92/passerelle/internal/domain"
)

// Note returns the worker's note on a service; a note with an empty body and a zero UpdatedAt
// when there is none (or the service is unknown).
func (db *DB) Note(ctx context.Context, serviceUUID string) (domain.Note, error) {
	note := domain.Note{ServiceUUID: serviceUUID}
	var at string
	err := db.read.QueryRowContext(ctx, `SELECT body, updated_at FROM service_note WHERE service_uuid = ?`, serviceUUID).
		Scan(&note.Body, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return note, nil
	} else if err != nil {
		return domain.Note{}, fmt.Errorf("read note: %w", err)
	}
	if note.UpdatedAt, err = parseTime(at); err != nil {
		return domain.Note{}, fmt.Errorf("read note: %w", err)
	}
	return note, nil
}

// SetNote saves the worker's note on a service, deleted or not, and returns it. A body of blanks
// only removes the note (and returns an empty one). ENOTFOUND when the service is unknown.
func (db *DB) SetNote(ctx context.Context, serviceUUID, body string) (domain.Note, error) {
	note := domain.Note{ServiceUUID: serviceUUID}
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM service WHERE uuid = ?`, serviceUUID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return domain.Errorf(domain.ENOTFOUND, "Aucun service de l’annuaire n’a l’identifiant %s.", serviceUUID)
		}
		at := db.clock()
		now := formatTime(at)
		if strings.TrimSpace(body) == "" {
			res, err := tx.ExecContext(ctx, `DELETE FROM service_note WHERE service_uuid = ?`, serviceUUID)
			if err != nil {
				return err
			}
			// Removing a note that does not exist changes nothing, so there is nothing to sync.
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err
			}
			return logChange(ctx, tx, domain.KindNote, serviceUUID, domain.OpDelete, now)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO service_note (service_uuid, body, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (service_uuid) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
			serviceUUID, body, now); err != nil {
			return err
		}
		note.Body, note.UpdatedAt = body, at
		return logChange(ctx, tx, domain.KindNote, serviceUUID, domain.OpUpsert, now)
	})
	if err != nil {
		return domain.Note{}, fmt.Errorf("save note: %w", err)
	}
	return note, nil
}
