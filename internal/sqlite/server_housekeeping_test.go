package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

func TestServerDB_TombstoneHorizon(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const day = 24 * time.Hour
	const keep = 90 * day
	path := filepath.Join(t.TempDir(), "server.db")
	s, err := OpenServer(path, ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()
	site, err := s.AddSite(ctx, "EDAS Nanterre")
	if err != nil {
		t.Fatal(err)
	}
	// put writes a usager (or its tombstone) and returns its version.
	put := func(uuid string, deleted bool) int64 {
		t.Helper()
		var v int64
		err := s.InTx(ctx, func(tx domain.ServerTx) error {
			var err error
			v, err = tx.PutRecord(ctx, domain.SyncRecord{Kind: "usager", UUID: uuid, Site: site.ID, Deleted: deleted, DeletedAt: "x"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	horizon := func(now time.Time) int64 {
		t.Helper()
		h, err := s.TombstoneHorizon(ctx, now, keep)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}

	// Day 0: a tombstone (version 2) and a live record; the first mark knows nothing older.
	put("u1", false)
	tomb := put("u1", true)
	if h := horizon(t0); h != 0 {
		t.Errorf("horizon on the first day = %d, want 0", h)
	}
	// Day 10: more writes; a desk pulls through and keeps the server's version as its cursor.
	put("u2", false)
	if h := horizon(t0.Add(10 * day)); h != 0 {
		t.Errorf("horizon on day 10 = %d, want 0", h)
	}
	deskCursor, err := s.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	put("u3", false)

	// Reopening keeps the marks: a server restarted every night still reaches its retention.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = OpenServer(path, ServerOptions{}); err != nil {
		t.Fatal(err)
	}

	// Day 95: the day-0 mark is older than 90 days, the day-10 one is not.
	h := horizon(t0.Add(95 * day))
	if h != tomb {
		t.Fatalf("horizon on day 95 = %d, want the version of day 0 (%d)", h, tomb)
	}
	// The clock going back records no mark, and the answer does not move forward.
	if h := horizon(t0.Add(50 * day)); h != 0 {
		t.Errorf("horizon with the clock back on day 50 = %d, want 0 (no mark is 90 days older)", h)
	}
	if n := count(t, s.db, "version_mark", "1"); n != 3 {
		t.Errorf("%d marks kept, want 3 (days 0, 10, 95)", n)
	}
	// Day 101: the day-10 mark is the horizon; the day-0 one is forgotten.
	if h = horizon(t0.Add(101 * day)); h != deskCursor {
		t.Fatalf("horizon on day 101 = %d, want the version of day 10 (%d)", h, deskCursor)
	}
	if n := count(t, s.db, "version_mark", "1"); n != 3 {
		t.Errorf("%d marks kept after day 101, want 3 (days 10, 95, 101)", n)
	}

	// Dropping at the horizon: the desk that synced on day 10 pulls on; a cursor of day 0 must
	// resync, and the tombstone of day 0 is gone.
	if err := s.DropTombstones(ctx, h); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pull(ctx, site.ID, deskCursor, 0, 100); err != nil {
		t.Errorf("pull of a desk synced within the retention: %v", err)
	}
	if _, err := s.Pull(ctx, site.ID, tomb-1, 0, 100); domain.ErrorCode(err) != domain.ERESYNC {
		t.Errorf("pull of a cursor older than the retention: %v, want %s", err, domain.ERESYNC)
	}
	if n := count(t, s.db, "record", "deleted = 1"); n != 0 {
		t.Errorf("%d tombstones left, want 0", n)
	}

	t.Run("invalid age", func(t *testing.T) {
		_, err := s.TombstoneHorizon(ctx, t0, 0)
		wantCode(t, err, domain.EINVALID)
	})
}
