package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// TombstoneHorizon serves the tombstone housekeeping of passerelle-server, which must drop the
// tombstones older than a retention without sending a desk that synced within it back to a
// full resync. Versions carry no time, so each call records the server's current version as of
// now (a version mark, kept in the file: it survives restarts) and returns the version the
// server had at now−age: the version of the latest mark recorded at or before that time, 0 when
// no mark is that old yet. Every write of a lower version happened more than age ago, and a desk
// that pulled through within age holds a cursor at or above it (its last page's cursor is the
// server's version of the time), so DropTombstones may take it. Its precision is the interval
// between calls: the horizon lags the exact one by at most that.
//
// No mark is recorded when now is not after the latest mark (the clock went back): the marks
// must stay in the order of the versions. Marks older than the one returned are forgotten, so
// they number at most age divided by the interval between calls. EINVALID for an age of zero or
// less.
func (s *ServerDB) TombstoneHorizon(ctx context.Context, now time.Time, age time.Duration) (int64, error) {
	if age <= 0 {
		return 0, fmt.Errorf("tombstone horizon: %w", domain.Errorf(domain.EINVALID, "La durée de conservation des suppressions doit être positive (%s).", age))
	}
	now = storedTime(now)
	cutoff := formatTime(now.Add(-age))
	var horizon int64
	err := s.db.inWrite(ctx, func(tx *sql.Tx) error {
		var last sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT max(at) FROM version_mark`).Scan(&last); err != nil {
			return err
		}
		// Text order is time order: formatTime writes fixed-width UTC.
		if !last.Valid || formatTime(now) > last.String {
			if _, err := tx.ExecContext(ctx, `INSERT INTO version_mark (at, version)
				SELECT ?, version FROM meta WHERE id = 1`, formatTime(now)); err != nil {
				return err
			}
		}
		var at string
		err := tx.QueryRowContext(ctx, `SELECT at, version FROM version_mark WHERE at <= ?
			ORDER BY at DESC LIMIT 1`, cutoff).Scan(&at, &horizon)
		if errors.Is(err, sql.ErrNoRows) {
			horizon = 0
			return nil
		} else if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM version_mark WHERE at < ?`, at)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("tombstone horizon: %w", err)
	}
	return horizon, nil
}
