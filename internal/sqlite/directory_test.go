package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

func TestDB_ApplyImport_Counts(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	base := batchOf(domain.OriginImport, 3, 5)

	changed := batchOf(domain.OriginImport, 3, 5)
	changed.Services[2].Telephone = domain.Ptr("06 00 00 00 00")

	extraChanged := batchOf(domain.OriginImport, 3, 5)
	extraChanged.Structures[1].Extra["x_note"] = json.RawMessage(`"autre texte"`)

	asDemo := batchOf(domain.OriginDemo, 3, 5)

	// Each step runs on the database the previous ones left.
	steps := []struct {
		name    string
		batch   domain.ImportBatch
		want    domain.ImportCounts
		logged  []string // change-log rows the step adds, as "kind op uuid"
		clockBy time.Duration
	}{
		{"new records", base, domain.ImportCounts{Imported: 8}, nil, 0},
		{"same batch again", base, domain.ImportCounts{Unchanged: 8}, []string{}, time.Hour},
		{"one service field changed", changed, domain.ImportCounts{Updated: 1, Unchanged: 7},
			[]string{"service upsert " + svUUID(changed.Services[2])}, time.Hour},
		{"one extra field changed", extraChanged, domain.ImportCounts{Updated: 2, Unchanged: 6},
			[]string{"structure upsert " + stUUID(extraChanged.Structures[1]), "service upsert " + svUUID(changed.Services[2])}, time.Hour},
		{"other origin", asDemo, domain.ImportCounts{Updated: 8}, nil, time.Hour},
		{"empty batch", domain.ImportBatch{Origin: domain.OriginImport}, domain.ImportCounts{}, []string{}, 0},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			clock.Advance(step.clockBy)
			before := len(changes(t, db))
			got, err := db.ApplyImport(ctx, step.batch, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got != step.want {
				t.Errorf("counts = %+v, want %+v", got, step.want)
			}
			added := changes(t, db)[before:]
			if step.logged == nil {
				if n := got.Imported + got.Updated; len(added) != n {
					t.Errorf("%d change-log rows added, want %d", len(added), n)
				}
				return
			}
			var rows []string
			for _, c := range added {
				rows = append(rows, c.Kind+" "+c.Op+" "+c.UUID)
				if !c.ChangedAt.Equal(stored(clock.Now())) {
					t.Errorf("change %d at %v, want %v", c.Seq, c.ChangedAt, stored(clock.Now()))
				}
			}
			if len(rows) != len(step.logged) || (len(rows) > 0 && !reflect.DeepEqual(rows, step.logged)) {
				t.Errorf("change-log rows added = %q, want %q", rows, step.logged)
			}
		})
	}
}

func TestDB_ApplyImport_KeepsCreatedAt(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	b := batchOf(domain.OriginImport, 1, 1)
	mustImport(t, db, b)

	clock.Advance(48 * time.Hour)
	b.Services[0].Nom = "Nouveau nom"
	b.Structures[0].Nom = "Nouvelle structure"
	if c := mustImport(t, db, b); c.Updated != 2 {
		t.Fatalf("counts = %+v, want 2 updated", c)
	}
	sv, err := db.Service(ctx, svUUID(b.Services[0]))
	if err != nil {
		t.Fatal(err)
	}
	st, err := db.Structure(ctx, stUUID(b.Structures[0]))
	if err != nil {
		t.Fatal(err)
	}
	for name, m := range map[string]domain.Meta{"service": sv.Meta, "structure": st.Meta} {
		if !m.CreatedAt.Equal(stored(t0)) || !m.UpdatedAt.Equal(stored(clock.Now())) {
			t.Errorf("%s: created %v updated %v, want created %v updated %v",
				name, m.CreatedAt, m.UpdatedAt, stored(t0), stored(clock.Now()))
		}
	}
	if sv.Nom != "Nouveau nom" || st.Nom != "Nouvelle structure" {
		t.Errorf("update not written: %q, %q", sv.Nom, st.Nom)
	}
}

func TestDB_ApplyImport_RestoresDeleted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("deleted service comes back", func(t *testing.T) {
		t.Parallel()
		db, clock := openTest(t)
		b := batchOf(domain.OriginImport, 2, 3)
		mustImport(t, db, b)
		u := svUUID(b.Services[1])
		if err := db.SetServiceDeleted(ctx, u, true); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Hour)
		before := len(changes(t, db))
		if c := mustImport(t, db, b); c != (domain.ImportCounts{Updated: 1, Unchanged: 4}) {
			t.Errorf("counts = %+v, want 1 updated, 4 unchanged", c)
		}
		sv, err := db.Service(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if sv.DeletedAt != nil {
			t.Errorf("service still deleted at %v", *sv.DeletedAt)
		}
		if added := changes(t, db)[before:]; len(added) != 1 || added[0].UUID != u || added[0].Op != domain.OpUpsert {
			t.Errorf("change log added %+v, want one upsert of %s", added, u)
		}
	})

	t.Run("deleted origin comes back", func(t *testing.T) {
		t.Parallel()
		db, _ := openTest(t)
		b := batchOf(domain.OriginDemo, 2, 3)
		mustImport(t, db, b)
		if n, err := db.DeleteOrigin(ctx, domain.OriginDemo); err != nil || n != 3 {
			t.Fatalf("DeleteOrigin = %d, %v; want 3", n, err)
		}
		if c := mustImport(t, db, b); c != (domain.ImportCounts{Updated: 5}) {
			t.Errorf("counts = %+v, want 5 updated", c)
		}
		sts, svs, err := db.LoadDirectory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(sts) != 2 || len(svs) != 3 {
			t.Errorf("LoadDirectory: %d structures, %d services; want 2, 3", len(sts), len(svs))
		}
	})

	t.Run("service comes back without its deleted structure", func(t *testing.T) {
		t.Parallel()
		db, _ := openTest(t)
		b := batchOf(domain.OriginDemo, 1, 1)
		mustImport(t, db, b)
		if _, err := db.DeleteOrigin(ctx, domain.OriginDemo); err != nil {
			t.Fatal(err)
		}
		// The structure is stored but deleted; the service needs it live again.
		c := mustImport(t, db, domain.ImportBatch{Origin: domain.OriginDemo, Services: b.Services})
		if c != (domain.ImportCounts{Updated: 2}) {
			t.Errorf("counts = %+v, want 2 updated (service and its structure)", c)
		}
		st, err := db.Structure(ctx, stUUID(b.Structures[0]))
		if err != nil {
			t.Fatal(err)
		}
		if st.DeletedAt != nil {
			t.Error("the structure of a live service stayed deleted")
		}
	})
}

func TestDB_ApplyImport_StructureLookup(t *testing.T) {
	t.Parallel()
	st := bareStructure(1) // source "src", id "st1": identifier src--st1
	tests := []struct {
		name        string
		source, ref string
		stored      bool // the structure is stored by an earlier import rather than in the batch
	}{
		{"local id, in batch", "src", "st1", false},
		{"qualified id, in batch", "src", "src--st1", false},
		{"local id, stored", "src", "st1", true},
		{"qualified id, stored", "src", "src--st1", true},
		{"other source, full id", "autre", "src--st1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db, _ := openTest(t)
			b := domain.ImportBatch{Origin: domain.OriginImport, Structures: []domain.Structure{st}}
			if tt.stored {
				mustImport(t, db, b)
				b.Structures = nil
			}
			sv := bareService(1, 1)
			sv.Source, sv.StructureID = tt.source, tt.ref
			b.Services = []domain.Service{sv}
			mustImport(t, db, b)
			var parent string
			if err := db.read.QueryRow(`SELECT structure_uuid FROM service WHERE uuid = ?`, svUUID(sv)).Scan(&parent); err != nil {
				t.Fatal(err)
			}
			if parent != stUUID(st) {
				t.Errorf("structure_uuid = %s, want %s", parent, stUUID(st))
			}
		})
	}
}

func TestDB_ApplyImport_Invalid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	missing := batchOf(domain.OriginImport, 2, 4)
	missing.Services[3].StructureID = "src--absente"
	noOrigin := batchOf("", 1, 1)
	noID := batchOf(domain.OriginImport, 1, 1)
	noID.Services[0].ID = ""
	sharedID := batchOf(domain.OriginImport, 2, 0)
	sharedID.Structures[1].ID = sharedID.Structures[0].ID
	sharedID.Structures[1].UUID = domain.NewUUID()

	tests := []struct {
		name    string
		batch   domain.ImportBatch
		mention string // the message names the faulty record
	}{
		{"service without structure", missing, "Aide alimentaire n°3"},
		{"no origin", noOrigin, "origine"},
		{"record without identifier", noID, "Aide alimentaire n°0"},
		{"two UUIDs for one identifier", sharedID, "src--st0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db, _ := openTest(t)
			_, err := db.ApplyImport(ctx, tt.batch, nil)
			wantCode(t, err, domain.EINVALID)
			if msg := domain.ErrorMessage(err); !strings.Contains(msg, tt.mention) {
				t.Errorf("message %q does not mention %q", msg, tt.mention)
			}
			for _, table := range []string{"structure", "service", "change_log"} {
				if n := count(t, db, table, ""); n != 0 {
					t.Errorf("%s has %d rows after a refused import", table, n)
				}
			}
		})
	}
}

// TestDB_ApplyImport_Atomic fails imports after some rows were written: neither the records nor
// their change-log rows may remain, and what was stored before stays as it was.
func TestDB_ApplyImport_Atomic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	badExtra := batchOf(domain.OriginImport, 50, 1500)
	badExtra.Services[1499].Extra = map[string]json.RawMessage{"x": json.RawMessage(`{`)}

	tests := []struct {
		name     string
		batch    domain.ImportBatch
		progress func(cancel context.CancelFunc) domain.ProgressFunc
	}{
		{"bad extra field on the last service", badExtra, nil},
		{"cancelled midway", batchOf(domain.OriginImport, 50, 1500), func(cancel context.CancelFunc) domain.ProgressFunc {
			return func(domain.ImportProgress) { cancel() }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db, _ := openTest(t)
			first := batchOf(domain.OriginDemo, 1, 1)
			mustImport(t, db, first)
			before := changes(t, db)

			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			var progress domain.ProgressFunc
			if tt.progress != nil {
				progress = tt.progress(cancel)
			}
			if _, err := db.ApplyImport(ctx, tt.batch, progress); err == nil {
				t.Fatal("ApplyImport succeeded")
			}
			if n := count(t, db, "service", ""); n != 1 {
				t.Errorf("%d services stored, want the 1 of the first import", n)
			}
			if n := count(t, db, "structure", ""); n != 1 {
				t.Errorf("%d structures stored, want the 1 of the first import", n)
			}
			if after := changes(t, db); !reflect.DeepEqual(after, before) {
				t.Errorf("change log has %d rows, want the %d of the first import", len(after), len(before))
			}
			sv, err := db.Service(context.Background(), svUUID(first.Services[0]))
			if err != nil || sv.Origin != domain.OriginDemo {
				t.Errorf("first import’s service = %+v, %v", sv.Meta, err)
			}
		})
	}
}

func TestDB_ApplyImport_Progress(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	var got []domain.ImportProgress
	b := batchOf(domain.OriginImport, 500, 2000)
	if _, err := db.ApplyImport(context.Background(), b, func(p domain.ImportProgress) { got = append(got, p) }); err != nil {
		t.Fatal(err)
	}
	want := []domain.ImportProgress{
		{Phase: PhaseSaving, Done: 1000, Total: 2500},
		{Phase: PhaseSaving, Done: 2000, Total: 2500},
		{Phase: PhaseSaving, Done: 2500, Total: 2500},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("progress = %+v, want %+v", got, want)
	}
}

// TestDB_RoundTrip stores records and reads them back whole: every field, null or not, Extra and
// Meta.
func TestDB_RoundTrip(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	ctx := context.Background()
	b := domain.ImportBatch{
		Origin:     domain.OriginImport,
		Structures: []domain.Structure{fullStructure(1), bareStructure(2)},
		Services:   []domain.Service{fullService(1, 1), bareService(2, 2), fullService(3, 1)},
	}
	b.Services[2].Extra = map[string]json.RawMessage{} // an empty map is stored as no extra fields
	mustImport(t, db, b)

	meta := func(uuid string) domain.Meta {
		return domain.Meta{UUID: uuid, Origin: domain.OriginImport, CreatedAt: stored(t0), UpdatedAt: stored(t0)}
	}
	var wantSts []domain.Structure
	for _, st := range b.Structures {
		st.Meta = meta(stUUID(st))
		wantSts = append(wantSts, st)
	}
	var wantSvs []domain.Service
	for _, sv := range b.Services {
		sv.Meta = meta(svUUID(sv))
		if len(sv.Extra) == 0 {
			sv.Extra = nil
		}
		wantSvs = append(wantSvs, sv)
	}

	sts, svs, err := db.LoadDirectory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sts, wantSts) {
		t.Errorf("LoadDirectory structures:\n got %+v\nwant %+v", sts, wantSts)
	}
	if !reflect.DeepEqual(svs, wantSvs) {
		t.Errorf("LoadDirectory services:\n got %+v\nwant %+v", svs, wantSvs)
	}
	for _, want := range wantSts {
		got, err := db.Structure(ctx, want.UUID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Structure(%s):\n got %+v\nwant %+v", want.ID, got, want)
		}
	}
	for _, want := range wantSvs {
		got, err := db.Service(ctx, want.UUID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Service(%s):\n got %+v\nwant %+v", want.ID, got, want)
		}
	}

	// The stored JSON speaks data·inclusion, so that SQL (and a later sync) can read it.
	var nom, extra string
	if err := db.read.QueryRow(`SELECT json_extract(data, '$.nom'), extra FROM structure WHERE uuid = ?`,
		stUUID(b.Structures[0])).Scan(&nom, &extra); err != nil {
		t.Fatal(err)
	}
	if nom != b.Structures[0].Nom || !strings.Contains(extra, `"x_obj":{"a":[1,2.5,null]}`) {
		t.Errorf("stored nom %q, extra %s", nom, extra)
	}
}

func TestDB_NotFound(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	ctx := context.Background()
	mustImport(t, db, batchOf(domain.OriginImport, 1, 1))
	const unknown = "00000000-0000-0000-0000-000000000000"
	tests := []struct {
		name string
		call func() error
	}{
		{"Structure", func() error { _, err := db.Structure(ctx, unknown); return err }},
		{"Service", func() error { _, err := db.Service(ctx, unknown); return err }},
		{"a structure UUID is not a service", func() error { _, err := db.Service(ctx, stUUID(fullStructure(0))); return err }},
		{"SetServiceDeleted", func() error { return db.SetServiceDeleted(ctx, unknown, true) }},
		{"SetServiceDeleted restore", func() error { return db.SetServiceDeleted(ctx, unknown, false) }},
		{"SetNote", func() error { _, err := db.SetNote(ctx, unknown, "note"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			wantCode(t, err, domain.ENOTFOUND)
			if msg := domain.ErrorMessage(err); !strings.HasPrefix(msg, "Aucun") {
				t.Errorf("message %q is not the French not-found message", msg)
			}
		})
	}
}

func TestDB_SetServiceDeleted(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	b := batchOf(domain.OriginImport, 2, 3)
	mustImport(t, db, b)
	u := svUUID(b.Services[0])

	steps := []struct {
		name        string
		deleted     bool
		wantLogged  string // the op of the change-log row added; "" for none
		wantLive    int
		wantDeleted bool
	}{
		{"delete", true, domain.OpDelete, 2, true},
		{"delete again changes nothing", true, "", 2, true},
		{"restore", false, domain.OpUpsert, 3, false},
		{"restore again changes nothing", false, "", 3, false},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			clock.Advance(time.Minute)
			before := len(changes(t, db))
			if err := db.SetServiceDeleted(ctx, u, step.deleted); err != nil {
				t.Fatal(err)
			}
			added := changes(t, db)[before:]
			switch {
			case step.wantLogged == "" && len(added) != 0:
				t.Errorf("change log added %+v, want nothing", added)
			case step.wantLogged != "" && (len(added) != 1 || added[0].Op != step.wantLogged || added[0].UUID != u ||
				added[0].Kind != domain.KindService):
				t.Errorf("change log added %+v, want one %s of service %s", added, step.wantLogged, u)
			}
			if n, err := db.CountServices(ctx); err != nil || n != step.wantLive {
				t.Errorf("CountServices = %d, %v; want %d", n, err, step.wantLive)
			}
			_, svs, err := db.LoadDirectory(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(svs) != step.wantLive {
				t.Errorf("LoadDirectory: %d services, want %d", len(svs), step.wantLive)
			}
			sv, err := db.Service(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			if (sv.DeletedAt != nil) != step.wantDeleted {
				t.Errorf("DeletedAt = %v, want deleted %v", sv.DeletedAt, step.wantDeleted)
			}
			if step.wantLogged != "" && !sv.UpdatedAt.Equal(stored(clock.Now())) {
				t.Errorf("UpdatedAt = %v, want %v", sv.UpdatedAt, stored(clock.Now()))
			}
			if step.wantDeleted && step.wantLogged != "" && !sv.DeletedAt.Equal(stored(clock.Now())) {
				t.Errorf("DeletedAt = %v, want %v", sv.DeletedAt, stored(clock.Now()))
			}
		})
	}
}

func TestDB_DeleteOrigin(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()

	demo := batchOf(domain.OriginDemo, 2, 3) // structures st0 (services 0, 2) and st1 (service 1)
	mustImport(t, db, demo)
	imported := domain.ImportBatch{Origin: domain.OriginImport,
		Structures: []domain.Structure{bareStructure(7)}, Services: []domain.Service{bareService(7, 7)}}
	mustImport(t, db, imported)
	// A worker proposed a service of the demo structure st0: st0 must stay for it.
	proposal := bareService(9, 0)
	proposal.Source, proposal.ID, proposal.StructureID = domain.LocalSource, domain.LocalID(domain.NewUUID()), "src--st0"
	if err := db.CreateProposal(ctx, demo.Structures[0], proposal); err != nil {
		t.Fatal(err)
	}

	clock.Advance(time.Hour)
	before := len(changes(t, db))
	n, err := db.DeleteOrigin(ctx, domain.OriginDemo)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("DeleteOrigin deleted %d services, want 3", n)
	}
	var logged []string
	for _, c := range changes(t, db)[before:] {
		logged = append(logged, c.Kind+" "+c.Op+" "+c.UUID)
	}
	wantLogged := []string{
		"service delete " + svUUID(demo.Services[0]),
		"service delete " + svUUID(demo.Services[1]),
		"service delete " + svUUID(demo.Services[2]),
		"structure delete " + stUUID(demo.Structures[1]),
	}
	if !reflect.DeepEqual(logged, wantLogged) {
		t.Errorf("change log added %q, want %q", logged, wantLogged)
	}

	sts, svs, err := db.LoadDirectory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, st := range sts {
		names = append(names, st.ID)
	}
	for _, sv := range svs {
		names = append(names, sv.ID)
	}
	if want := []string{"src--st0", "st7", "sv7", proposal.ID}; !reflect.DeepEqual(names, want) {
		t.Errorf("live records = %q, want %q", names, want)
	}
	st1, err := db.Structure(ctx, stUUID(demo.Structures[1]))
	if err != nil {
		t.Fatal(err)
	}
	if st1.DeletedAt == nil || !st1.DeletedAt.Equal(stored(clock.Now())) {
		t.Errorf("demo structure st1 deleted at %v, want %v", st1.DeletedAt, stored(clock.Now()))
	}

	if n, err := db.DeleteOrigin(ctx, domain.OriginDemo); err != nil || n != 0 {
		t.Errorf("second DeleteOrigin = %d, %v; want 0", n, err)
	}
}

func TestDB_CreateProposal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	newStructure := func() domain.Structure {
		u := domain.NewUUID()
		st := bareStructure(0)
		st.UUID, st.ID, st.Source, st.Nom = u, domain.LocalID(u), domain.LocalSource, "Tiers-lieu proposé"
		return st
	}
	newService := func(st domain.Structure) domain.Service {
		u := domain.NewUUID()
		sv := fullService(0, 0)
		sv.UUID, sv.ID, sv.Source, sv.StructureID = u, domain.LocalID(u), domain.LocalSource, st.ID
		return sv
	}

	t.Run("new structure and service", func(t *testing.T) {
		t.Parallel()
		db, _ := openTest(t)
		st := newStructure()
		sv := newService(st)
		if err := db.CreateProposal(ctx, st, sv); err != nil {
			t.Fatal(err)
		}
		gotSt, err := db.Structure(ctx, st.UUID)
		if err != nil {
			t.Fatal(err)
		}
		gotSv, err := db.Service(ctx, sv.UUID)
		if err != nil {
			t.Fatal(err)
		}
		meta := func(uuid string) domain.Meta {
			return domain.Meta{UUID: uuid, Origin: domain.OriginProposal, CreatedAt: stored(t0), UpdatedAt: stored(t0)}
		}
		st.Meta, sv.Meta = meta(st.UUID), meta(sv.UUID)
		if !reflect.DeepEqual(gotSt, st) || !reflect.DeepEqual(gotSv, sv) {
			t.Errorf("stored proposal:\n got %+v\n     %+v\nwant %+v\n     %+v", gotSt, gotSv, st, sv)
		}
		var logged []string
		for _, c := range changes(t, db) {
			logged = append(logged, c.Kind+" "+c.Op+" "+c.UUID)
		}
		if want := []string{"structure upsert " + st.UUID, "service upsert " + sv.UUID}; !reflect.DeepEqual(logged, want) {
			t.Errorf("change log = %q, want %q", logged, want)
		}
		// The identifier gives the UUID back, as domain.RecordUUID promises for desk records.
		if u := domain.RecordUUID(domain.KindService, sv.Source, sv.ID); u != sv.UUID {
			t.Errorf("RecordUUID of the proposal = %s, want %s", u, sv.UUID)
		}
	})

	t.Run("second service of a stored structure", func(t *testing.T) {
		t.Parallel()
		db, clock := openTest(t)
		st := newStructure()
		if err := db.CreateProposal(ctx, st, newService(st)); err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Hour)
		before := len(changes(t, db))
		changedSt := st
		changedSt.Nom = "Ne doit pas remplacer la structure enregistrée"
		sv := newService(st)
		if err := db.CreateProposal(ctx, changedSt, sv); err != nil {
			t.Fatal(err)
		}
		if added := changes(t, db)[before:]; len(added) != 1 || added[0].UUID != sv.UUID {
			t.Errorf("change log added %+v, want only the new service", added)
		}
		got, err := db.Structure(ctx, st.UUID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Nom != st.Nom || !got.UpdatedAt.Equal(stored(t0)) {
			t.Errorf("stored structure changed: %q updated %v", got.Nom, got.UpdatedAt)
		}
	})

	t.Run("service of an imported structure", func(t *testing.T) {
		t.Parallel()
		db, _ := openTest(t)
		b := batchOf(domain.OriginImport, 1, 0)
		mustImport(t, db, b)
		sv := newService(b.Structures[0])
		if err := db.CreateProposal(ctx, b.Structures[0], sv); err != nil {
			t.Fatal(err)
		}
		st, err := db.Structure(ctx, stUUID(b.Structures[0]))
		if err != nil {
			t.Fatal(err)
		}
		if st.Origin != domain.OriginImport {
			t.Errorf("imported structure’s origin became %q", st.Origin)
		}
		if n, _ := db.CountServices(ctx); n != 1 {
			t.Errorf("CountServices = %d, want 1", n)
		}
	})

	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		db, _ := openTest(t)
		st := newStructure()
		sv := newService(st)
		if err := db.CreateProposal(ctx, st, sv); err != nil {
			t.Fatal(err)
		}
		before := changes(t, db)
		other := newStructure()
		wrongParent := newService(st)
		sameID := newService(st)
		sameID.UUID = domain.NewUUID()
		sameID.ID = sv.ID
		tests := []struct {
			name   string
			st     domain.Structure
			sv     domain.Service
			mentio string
		}{
			{"service already stored", st, sv, sv.Nom},
			{"same identifier", st, sameID, sv.Nom},
			{"service of another structure", other, wrongParent, st.ID},
			{"no identifier", domain.Structure{Nom: "Sans id"}, domain.Service{Nom: "Sans id"}, "identifier"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := db.CreateProposal(ctx, tt.st, tt.sv)
				wantCode(t, err, domain.EINVALID)
				if msg := domain.ErrorMessage(err); !strings.Contains(msg, tt.mentio) {
					t.Errorf("message %q does not mention %q", msg, tt.mentio)
				}
			})
		}
		if after := changes(t, db); !reflect.DeepEqual(after, before) {
			t.Errorf("refused proposals logged %d rows", len(after)-len(before))
		}
		if n := count(t, db, "structure", ""); n != 1 {
			t.Errorf("%d structures stored, want 1 (a refused proposal left its structure)", n)
		}
	})
}

// TestDB_ConcurrentReaders reads while an import writes: readers are never blocked (WAL) and see
// the directory before or after the import, never half of it.
func TestDB_ConcurrentReaders(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	ctx := context.Background()
	nSv := 3000
	if raceEnabled {
		nSv = 1200
	}
	b := batchOf(domain.OriginImport, 100, nSv)

	// Reads made from inside the write transaction (the progress callback runs there) must answer
	// at once, from the last committed state.
	var inside []int
	var insideErr error
	progress := func(p domain.ImportProgress) {
		n, err := db.CountServices(ctx)
		if err != nil {
			insideErr = err
		}
		inside = append(inside, n)
	}

	var wg sync.WaitGroup
	done := make(chan struct{})
	errs := make(chan error, 4)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				sts, svs, err := db.LoadDirectory(ctx)
				if err != nil {
					errs <- err
					return
				}
				if !(len(sts) == 0 && len(svs) == 0) && !(len(sts) == 100 && len(svs) == nSv) {
					errs <- errors.New("a reader saw a half-written import")
					return
				}
			}
		}()
	}
	_, err := db.ApplyImport(ctx, b, progress)
	close(done)
	wg.Wait()
	close(errs)
	if err != nil {
		t.Fatal(err)
	}
	for err := range errs {
		t.Error(err)
	}
	if insideErr != nil {
		t.Fatalf("read during the import: %v", insideErr)
	}
	if len(inside) == 0 {
		t.Fatal("no progress reported")
	}
	for _, n := range inside {
		if n != 0 {
			t.Errorf("a read during the import saw %d services, want 0 (not yet committed)", n)
		}
	}
	if n, _ := db.CountServices(ctx); n != nSv {
		t.Errorf("after the import, CountServices = %d, want %d", n, nSv)
	}
}

func TestDB_Changes(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	ctx := context.Background()
	mustImport(t, db, batchOf(domain.OriginImport, 2, 3)) // 5 rows, seq 1…5
	all := changes(t, db)
	if len(all) != 5 {
		t.Fatalf("%d change-log rows, want 5", len(all))
	}
	tests := []struct {
		name     string
		after    int64
		limit    int
		wantSeqs []int64
	}{
		{"first page", 0, 2, []int64{1, 2}},
		{"next page", 2, 2, []int64{3, 4}},
		{"last page", 4, 2, []int64{5}},
		{"past the end", 5, 2, nil},
		{"no limit", 3, 0, []int64{4, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cs, err := db.Changes(ctx, tt.after, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var seqs []int64
			for _, c := range cs {
				seqs = append(seqs, c.Seq)
			}
			if !reflect.DeepEqual(seqs, tt.wantSeqs) {
				t.Errorf("seqs = %v, want %v", seqs, tt.wantSeqs)
			}
		})
	}
	// Structures are written before services, so that a sync replaying the log in order never
	// meets a service before its structure.
	want := []string{domain.KindStructure, domain.KindStructure, domain.KindService, domain.KindService, domain.KindService}
	for i, c := range all {
		if c.Kind != want[i] || c.Op != domain.OpUpsert || !c.ChangedAt.Equal(stored(t0)) {
			t.Errorf("change %d = %+v, want %s upsert at %v", i, c, want[i], stored(t0))
		}
	}
}

// TestDB_FixedClock checks that every timestamp comes from Options.Now, in UTC to the millisecond.
func TestDB_FixedClock(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	ctx := context.Background()
	b := batchOf(domain.OriginImport, 1, 1)
	mustImport(t, db, b)
	var created, updated string
	if err := db.read.QueryRow(`SELECT created_at, updated_at FROM service`).Scan(&created, &updated); err != nil {
		t.Fatal(err)
	}
	if created != "2026-03-01T09:30:00.123Z" || updated != created {
		t.Errorf("stored created_at %q, updated_at %q; want 2026-03-01T09:30:00.123Z", created, updated)
	}
	sv, err := db.Service(ctx, svUUID(b.Services[0]))
	if err != nil {
		t.Fatal(err)
	}
	if sv.CreatedAt != stored(t0) || sv.CreatedAt.Location() != time.UTC {
		t.Errorf("CreatedAt = %v, want %v in UTC", sv.CreatedAt, stored(t0))
	}
}

func TestDB_LoadDirectory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// More records than several decoding chunks, so that they are decoded in parallel.
	nSv := 5*loadChunk + 17
	b := batchOf(domain.OriginImport, 40, nSv)

	t.Run("order and content", func(t *testing.T) {
		t.Parallel()
		db, _ := openTest(t)
		mustImport(t, db, b)
		sts, svs, err := db.LoadDirectory(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(sts) != len(b.Structures) || len(svs) != len(b.Services) {
			t.Fatalf("loaded %d structures, %d services; want %d, %d", len(sts), len(svs), len(b.Structures), len(b.Services))
		}
		for i, sv := range svs {
			want := b.Services[i]
			want.Meta = domain.Meta{UUID: svUUID(want), Origin: domain.OriginImport, CreatedAt: stored(t0), UpdatedAt: stored(t0)}
			if !reflect.DeepEqual(sv, want) {
				t.Fatalf("service %d:\n got %+v\nwant %+v", i, sv, want)
			}
		}
		for i, st := range sts {
			if st.ID != b.Structures[i].ID || st.UUID != stUUID(b.Structures[i]) {
				t.Fatalf("structure %d = %s (%s), want %s", i, st.ID, st.UUID, b.Structures[i].ID)
			}
		}
	})

	t.Run("empty directory", func(t *testing.T) {
		t.Parallel()
		db, _ := openTest(t)
		sts, svs, err := db.LoadDirectory(ctx)
		if err != nil || len(sts) != 0 || len(svs) != 0 {
			t.Errorf("LoadDirectory = %d, %d, %v; want nothing", len(sts), len(svs), err)
		}
	})

	t.Run("damaged record", func(t *testing.T) {
		t.Parallel()
		db, _ := openTest(t)
		mustImport(t, db, b)
		bad := svUUID(b.Services[3*loadChunk+5])
		if _, err := db.write.Exec(`UPDATE service SET data = '{"nom": ' WHERE uuid = ?`, bad); err != nil {
			t.Fatal(err)
		}
		_, _, err := db.LoadDirectory(ctx)
		if err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("LoadDirectory error = %v, want one naming %s", err, bad)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		t.Parallel()
		db, _ := openTest(t)
		mustImport(t, db, b)
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, _, err := db.LoadDirectory(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("LoadDirectory error = %v, want context.Canceled", err)
		}
	})
}

// TestDB_SetServiceDeleted_RestoresStructure: a restored service must not hang on a deleted
// structure.
func TestDB_SetServiceDeleted_RestoresStructure(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	ctx := context.Background()
	b := batchOf(domain.OriginDemo, 1, 2)
	mustImport(t, db, b)
	if _, err := db.DeleteOrigin(ctx, domain.OriginDemo); err != nil {
		t.Fatal(err)
	}
	before := len(changes(t, db))
	if err := db.SetServiceDeleted(ctx, svUUID(b.Services[1]), false); err != nil {
		t.Fatal(err)
	}
	var logged []string
	for _, c := range changes(t, db)[before:] {
		logged = append(logged, c.Kind+" "+c.Op+" "+c.UUID)
	}
	want := []string{"service upsert " + svUUID(b.Services[1]), "structure upsert " + stUUID(b.Structures[0])}
	if !reflect.DeepEqual(logged, want) {
		t.Errorf("change log added %q, want %q", logged, want)
	}
	sts, svs, err := db.LoadDirectory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) != 1 || len(svs) != 1 || svs[0].ID != b.Services[1].ID {
		t.Errorf("live: %d structures, %d services; want the structure and the restored service", len(sts), len(svs))
	}
}

// TestApplyImport_ChangeLogOrder: change-log rows are queued and written in multi-row batches;
// every written record still gets exactly one row, in the order of the writes, across batches.
func TestApplyImport_ChangeLogOrder(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	batch := batchOf(domain.OriginImport, 150, 301) // more than two batches of rows
	if _, err := db.ApplyImport(context.Background(), batch, nil); err != nil {
		t.Fatal(err)
	}
	got := changes(t, db)
	if len(got) != 451 {
		t.Fatalf("%d change-log rows, want 451", len(got))
	}
	for i, c := range got {
		var want string
		if i < 150 {
			want = batch.Structures[i].UUID
			if want == "" {
				want = domain.RecordUUID(domain.KindStructure, batch.Structures[i].Source, batch.Structures[i].ID)
			}
		} else {
			sv := batch.Services[i-150]
			want = sv.UUID
			if want == "" {
				want = domain.RecordUUID(domain.KindService, sv.Source, sv.ID)
			}
		}
		if c.UUID != want || (i > 0 && c.Seq != got[i-1].Seq+1) {
			t.Fatalf("row %d = %+v, want uuid %s in sequence", i, c, want)
		}
	}
}
