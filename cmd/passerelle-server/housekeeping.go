package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/edas92/passerelle/internal/sqlite"
)

// housekeepingEvery is how often serve drops old tombstones. It is also the precision of the
// retention: a tombstone goes at most this much later than --tombstone-days.
const housekeepingEvery = time.Hour

// housekeeping drops the tombstones older than keep, at once and then every interval, until ctx
// ends. A failure is logged and tried again at the next round: the server keeps serving.
func housekeeping(ctx context.Context, db *sqlite.ServerDB, keep, every time.Duration, log *slog.Logger, now func() time.Time) {
	t := time.NewTicker(every)
	defer t.Stop()
	var last int64
	for {
		horizon, err := housekeep(ctx, db, keep, now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("housekeeping failed", "err", err)
		case horizon > last:
			log.Info("tombstones dropped", "before_version", horizon, "older_than", keep.String())
			last = horizon
		default:
			log.Debug("housekeeping done", "horizon", horizon)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// housekeep runs one round at now: it records the server's version (a mark) and drops the
// tombstones of the versions written before now−keep. It returns the version below which
// tombstones were dropped, 0 when none is old enough yet.
func housekeep(ctx context.Context, db *sqlite.ServerDB, keep time.Duration, now time.Time) (int64, error) {
	horizon, err := db.TombstoneHorizon(ctx, now, keep)
	if err != nil || horizon == 0 {
		return 0, err
	}
	if err := db.DropTombstones(ctx, horizon); err != nil {
		return 0, err
	}
	return horizon, nil
}
