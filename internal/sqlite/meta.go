package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// GetMeta returns the desk's setting stored under key (such as its device id), "" when unset.
// Settings are local to the desk: they are not logged for sync.
func (db *DB) GetMeta(ctx context.Context, key string) (string, error) {
	var value string
	err := db.read.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return value, nil
}

// SetMeta stores value under key, replacing the previous value.
func (db *DB) SetMeta(ctx context.Context, key, value string) error {
	if _, err := db.write.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("save setting %s: %w", key, err)
	}
	return nil
}
