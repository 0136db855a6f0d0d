package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// serverFields counts the sync_field rows of the directory's records and the grids.
func serverFields(t testing.TB, db *DB) int {
	t.Helper()
	return count(t, db, "sync_field", "kind IN ('structure', 'service', 'grid')")
}

// TestDB_ApplyPull_DirectoryBookkeeping checks what the desk keeps of the server's records: their
// version and tombstone in sync_record, and their values in sync_field only while they wait to
// be written (their parent missing, or a value the desk refuses).
func TestDB_ApplyPull_DirectoryBookkeeping(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	mustEnrol(t, db, "site-a")
	srv := newRemote("serveur", clock.Now)
	batch := demoBatch(4)
	recs := dirRecords(t, srv, batch)
	nst, nsv := len(batch.Structures), len(batch.Services)
	structures, services := recs[:nst], recs[nst:]
	for i := range recs {
		recs[i].Version = int64(i + 1)
	}

	mustApply(t, db, int64(len(recs)), true, services...)
	if n := count(t, db, "sync_record", "kind = 'service' AND pending = 1"); n != nsv {
		t.Fatalf("%d services waiting, want %d", n, nsv)
	}
	if n := serverFields(t, db); n != nsv {
		t.Fatalf("%d fields kept for the waiting services, want %d", n, nsv)
	}

	mustApply(t, db, int64(len(recs)), false, structures...)
	if n := count(t, db, "sync_record", "kind IN ('structure', 'service') AND pending = 0 AND seen = 1 AND deleted IS NULL"); n != len(recs) {
		t.Fatalf("%d directory records known, want %d", n, len(recs))
	}
	if n := count(t, db, "sync_record", fmt.Sprintf("kind = 'service' AND version > %d", nst)); n != nsv {
		t.Fatalf("%d services with their version, want %d", n, nsv)
	}
	if n := serverFields(t, db); n != 0 {
		t.Fatalf("%d fields kept once everything is written", n)
	}

	t.Run("a value the desk refuses is kept, then replaced", func(t *testing.T) {
		bad := services[0]
		bad.Version = 100
		bad.Fields = map[string]domain.FieldValue{"data": {V: json.RawMessage(`{"nom": 12}`), HLC: srv.clock.Now()}}
		mustApply(t, db, 100, false, bad)
		if p := pendingOf(t, db, domain.KindService, bad.UUID); p != unappliable {
			t.Fatalf("pending = %d, want %d", p, unappliable)
		}
		if n := serverFields(t, db); n != 1 {
			t.Fatalf("%d fields kept, want the refused one", n)
		}
		good := services[0]
		good.Version = 101
		mustApply(t, db, 101, false, good)
		if p := pendingOf(t, db, domain.KindService, good.UUID); p != applied {
			t.Fatalf("pending = %d after a valid state", p)
		}
		if n := serverFields(t, db); n != 0 {
			t.Fatalf("%d fields kept after a valid state", n)
		}
	})

	t.Run("a tombstone", func(t *testing.T) {
		mustApply(t, db, 102, false, srv.tomb(102, domain.KindService, services[1].UUID))
		if n := count(t, db, "sync_record", "kind = 'service' AND deleted IS NOT NULL AND version = 102"); n != 1 {
			t.Fatalf("%d service tombstones, want 1", n)
		}
		if n := serverFields(t, db); n != 0 {
			t.Fatalf("%d fields kept for a tombstone", n)
		}
	})

	t.Run("nothing queued", func(t *testing.T) {
		wantMuts(t, outbox(t, db))
	})
}

// TestDB_ApplyPull_PagesTogether checks pages applied as one (the client applies together the
// pages it already has): a record they hold twice is written in its later state, whatever its
// kind, and none of them is refused as a duplicate.
func TestDB_ApplyPull_PagesTogether(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustEnrol(t, db, "site-a")
	srv := newRemote("serveur", clock.Now)
	batch := demoBatch(3)
	nst := len(batch.Structures)
	edition := func(i int, name string) domain.SyncRecord {
		sv := batch.Services[i]
		sv.Nom = name
		rec := dirRecords(t, srv, domain.ImportBatch{Services: []domain.Service{sv}})[0]
		return rec
	}
	recs := dirRecords(t, srv, batch)
	u := domain.NewUUID()
	usager := func(version int64, name string) domain.SyncRecord {
		return srv.rec(version, domain.KindUsager, u, map[string]any{"display_name": name, "last_contact_at": formatTime(t0)})
	}
	sv0, sv1 := svUUID(batch.Services[0]), svUUID(batch.Services[1])

	// Page 1: the directory, a file; page 2: a new name for a service and for the file, the
	// removal of another service.
	page := append(recs, usager(int64(len(recs)+1), "Première"))
	page = append(page, edition(0, "Épicerie renommée"), usager(int64(len(recs)+3), "Seconde"),
		srv.tomb(int64(len(recs)+4), domain.KindService, sv1))
	res := mustApply(t, db, int64(len(page)), false, page...)
	if res.Records != len(page) {
		t.Errorf("records = %d, want %d", res.Records, len(page))
	}
	if n := count(t, db, "sync_record", "pending <> 0"); n != 0 {
		t.Fatalf("%d records kept aside", n)
	}
	if got, err := db.Service(ctx, sv0); err != nil || got.Nom != "Épicerie renommée" {
		t.Errorf("service = %q, %v; want its later name", got.Nom, err)
	}
	// Its current state is a tombstone: never on the desk, it is not written at all.
	if got, err := db.Service(ctx, sv1); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("removed service = %+v, %v", got.Meta, err)
	}
	if got, err := db.Usager(ctx, u); err != nil || got.DisplayName != "Seconde" {
		t.Errorf("usager = %q, %v; want its later name", got.DisplayName, err)
	}
	if n, _ := db.CountServices(ctx); n != len(batch.Services)-1 {
		t.Errorf("%d services, want %d", n, len(batch.Services)-1)
	}
	if n := count(t, db, "structure", "deleted_at IS NULL"); n != nst {
		t.Errorf("%d structures, want %d", n, nst)
	}

	t.Run("removed, then published again", func(t *testing.T) {
		v := int64(len(page))
		mustApply(t, db, v+2, false, srv.tomb(v+1, domain.KindService, sv0), edition(0, "De retour"))
		if got, err := db.Service(ctx, sv0); err != nil || got.DeletedAt != nil || got.Nom != "De retour" {
			t.Errorf("service = %q deleted %v, %v", got.Nom, got.DeletedAt, err)
		}
	})
	t.Run("nothing queued", func(t *testing.T) {
		wantMuts(t, outbox(t, db))
	})
}

// TestDB_ApplyPull_LargePage checks a page large enough to be decoded on several cores: every
// record lands in its own row, and the one the desk refuses is that one.
func TestDB_ApplyPull_LargePage(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustEnrol(t, db, "site-a")
	srv := newRemote("serveur", clock.Now)
	batch := demoBatch(3 * decodeChunk)
	recs := dirRecords(t, srv, batch)
	if len(recs) < 2*decodeChunk {
		t.Fatalf("%d records: too few for two chunks", len(recs))
	}
	// A refused service in the last chunk.
	bad := len(recs) - 3
	recs[bad].Fields = map[string]domain.FieldValue{"data": {V: json.RawMessage(`{"nom": 12}`), HLC: srv.clock.Now()}}
	res := mustApply(t, db, int64(len(recs)), false, recs...)
	if res.Directory != len(recs)-1 {
		t.Fatalf("applied = %+v, want %d records written", res, len(recs)-1)
	}
	if p := pendingOf(t, db, domain.KindService, recs[bad].UUID); p != unappliable {
		t.Fatalf("refused service: pending = %d", p)
	}
	if n := count(t, db, "sync_record", ""); n != len(recs) {
		t.Fatalf("%d sync records, want %d", n, len(recs))
	}
	badUUID := recs[bad].UUID
	for _, sv := range batch.Services {
		got, err := db.Service(ctx, svUUID(sv))
		if svUUID(sv) == badUUID {
			if domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("refused service written: %v", err)
			}
			continue
		}
		if err != nil || got.Nom != sv.Nom || got.ID != sv.ID {
			t.Fatalf("service %s = %q (%s), %v; want %q", svUUID(sv), got.Nom, got.ID, err, sv.Nom)
		}
	}
}

// TestDB_ApplyPull_ReviveStructure checks a live service pulled for a structure the server had
// removed: the structure is restored, as an import restores it.
func TestDB_ApplyPull_ReviveStructure(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustEnrol(t, db, "site-a")
	srv := newRemote("serveur", clock.Now)
	batch := demoBatch(1)
	batch.Services = batch.Services[:1]
	recs := dirRecords(t, srv, domain.ImportBatch{Structures: batch.Structures})
	st := stUUID(batch.Structures[0])
	mustApply(t, db, 1, false, recs...)
	mustApply(t, db, 2, false, srv.tomb(2, domain.KindStructure, st))
	if got, err := db.Structure(ctx, st); err != nil || got.DeletedAt == nil {
		t.Fatalf("structure after its removal = %+v, %v", got.Meta, err)
	}
	sv := dirRecords(t, srv, domain.ImportBatch{Services: batch.Services})
	res := mustApply(t, db, 3, false, sv...)
	if res.Directory != 2 {
		t.Errorf("applied = %+v, want the service and its structure", res)
	}
	if got, err := db.Structure(ctx, st); err != nil || got.DeletedAt != nil {
		t.Fatalf("structure = %+v, %v; want it restored", got.Meta, err)
	}
	if got, err := db.Service(ctx, svUUID(batch.Services[0])); err != nil || got.DeletedAt != nil {
		t.Fatalf("service = %+v, %v", got.Meta, err)
	}
}
