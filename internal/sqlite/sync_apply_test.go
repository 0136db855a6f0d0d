package sqlite

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/demo"
	"github.com/edas92/passerelle/internal/domain"
)

// openTestAt opens a fresh database on a given clock: desks of one test share it, so that the
// times they derive from HLCs compare.
func openTestAt(t testing.TB, clock *testClock) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "passerelle.db"), Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	mustSaveGrid(t, db, testGrid(1))
	return db
}

// workOf is a usager's file as the public reads show it, without the times a desk sets for
// itself (creation and update of its rows).
type workOf struct {
	Usager     domain.Usager
	Interviews []domain.Interview
	Answers    map[string][]domain.Answer
	History    map[string][]domain.AnswerChange
	Selections map[string][]domain.Selection
	Referrals  []domain.Referral
}

func readWork(t testing.TB, db *DB, usager string) workOf {
	t.Helper()
	w, err := snapshotWork(db, usager)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// snapshotWork reads a usager's file through the public reads.
func snapshotWork(db *DB, usager string) (workOf, error) {
	ctx := context.Background()
	w := workOf{Answers: map[string][]domain.Answer{}, History: map[string][]domain.AnswerChange{},
		Selections: map[string][]domain.Selection{}}
	u, err := db.Usager(ctx, usager)
	if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		return w, err
	}
	u.CreatedAt, u.UpdatedAt = time.Time{}, time.Time{}
	w.Usager = u
	ivs, err := db.InterviewsOf(ctx, usager)
	if err != nil {
		return w, err
	}
	for _, iv := range ivs {
		if w.Answers[iv.UUID], err = db.Answers(ctx, iv.UUID, true); err != nil {
			return w, err
		}
		if w.History[iv.UUID], err = db.AnswerHistory(ctx, iv.UUID, true); err != nil {
			return w, err
		}
		if w.Selections[iv.UUID], err = db.Selections(ctx, iv.UUID); err != nil {
			return w, err
		}
		iv.CreatedAt, iv.UpdatedAt = time.Time{}, time.Time{}
		w.Interviews = append(w.Interviews, iv)
	}
	rs, err := db.ReferralsOf(ctx, usager)
	if err != nil {
		return w, err
	}
	for _, r := range rs {
		r.UpdatedAt = time.Time{}
		w.Referrals = append(w.Referrals, r)
	}
	return w, nil
}

// wantSameWork fails the test unless two desks show the same file.
func wantSameWork(t testing.TB, a, b *DB, usager string) {
	t.Helper()
	wa, wb := readWork(t, a, usager), readWork(t, b, usager)
	if !reflect.DeepEqual(wa, wb) {
		t.Fatalf("desks differ on file %s:\n  %+v\n  %+v", usager, wa, wb)
	}
}

// TestDB_ApplyPull_Work sends a usager's whole file from desk A to desk B through the server's
// merge, children before their parent, then A's later changes, then the file's erasure; B shows
// what A shows each time and sends nothing back.
func TestDB_ApplyPull_Work(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: t0}
	a, b := openTestAt(t, clock), openTestAt(t, clock)
	ctx := context.Background()
	srv := newMemServer()
	mustEnrol(t, a, srv.site)
	mustEnrol(t, b, srv.site)

	u := mustUsager(t, a, "Camille")
	clock.Advance(time.Minute)
	iv := mustInterview(t, a, u)
	for _, an := range []domain.Answer{
		{InterviewUUID: iv, QuestionID: "liens-auto", Value: num(3), WorkerRating: domain.Ptr(2)},
		{InterviewUUID: iv, QuestionID: "liens-sorties", Value: choices("marche", "cafe")},
		{InterviewUUID: iv, QuestionID: "sante-auto", Value: num(4), Sensitive: true},
	} {
		mustAnswer(t, a, an)
	}
	service := domain.NewUUID()
	if err := a.SetSelection(ctx, domain.Selection{InterviewUUID: iv, ServiceUUID: service, Why: "Proche", Domain: "liens"}, true); err != nil {
		t.Fatal(err)
	}
	sheet := domain.NewUUID()
	r1, r2 := newReferral(sheet, u, iv, 1), newReferral(sheet, u, iv, 2)
	mustReferrals(t, a, r1, r2)
	mustStatus(t, a, r1.UUID, domain.ReferralGiven)
	srv.push(t, a)

	t.Run("children before their parent", func(t *testing.T) {
		all := srv.changes(0)
		var first, second []domain.SyncRecord
		for _, r := range all {
			if r.Kind == domain.KindUsager {
				second = append(second, r)
			} else {
				first = append(first, r)
			}
		}
		res := mustApply(t, b, srv.version-1, true, first...)
		if res.Records != len(first) || res.Work != len(first) {
			t.Errorf("first page = %+v, want %d records", res, len(first))
		}
		if _, err := b.Interview(ctx, iv); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("interview written before its usager: %v", err)
		}
		for _, k := range []mark{{"interview", iv}, {"answer", iv + ":liens-auto"}, {"referral", r1.UUID}} {
			if p := pendingOf(t, b, k.kind, k.uuid); p != waitingParent {
				t.Errorf("%s %s pending = %d, want %d", k.kind, k.uuid, p, waitingParent)
			}
		}
		mustApply(t, b, srv.version, false, second...)
		wantSameWork(t, a, b, u)
		if n := count(t, b, "sync_record", "pending <> 0"); n != 0 {
			t.Errorf("%d records still pending", n)
		}
		wantMuts(t, outbox(t, b))
		if st, _ := b.SyncState(ctx); st.Cursor != srv.version {
			t.Errorf("cursor = %d, want %d", st.Cursor, srv.version)
		}
	})

	t.Run("later changes", func(t *testing.T) {
		clock.Advance(time.Hour)
		v, err := a.Usager(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		v.Commune, v.Notes = "92075", "A déménagé."
		if err := a.UpdateUsager(ctx, v); err != nil {
			t.Fatal(err)
		}
		mustAnswer(t, a, domain.Answer{InterviewUUID: iv, QuestionID: "liens-auto", Value: num(5), WorkerRating: domain.Ptr(2)})
		mustAnswer(t, a, domain.Answer{InterviewUUID: iv, QuestionID: "liens-sorties"}) // cleared
		if err := a.SetSelection(ctx, domain.Selection{InterviewUUID: iv, ServiceUUID: service}, false); err != nil {
			t.Fatal(err)
		}
		if _, err := a.CompleteInterview(ctx, iv); err != nil {
			t.Fatal(err)
		}
		mustAnswer(t, a, domain.Answer{InterviewUUID: iv, QuestionID: "sante-auto", Value: num(2), Sensitive: true}) // a correction
		if _, err := a.SetReferralStatus(ctx, r1.UUID, domain.ReferralChange{Status: domain.ReferralNotTaken, Reason: "autre",
			ReasonText: "Horaires impossibles", Note: "À revoir"}); err != nil {
			t.Fatal(err)
		}
		srv.push(t, a)
		res := srv.pullAll(t, b)
		if res.Work == 0 || res.Directory != 0 {
			t.Errorf("applied = %+v", res)
		}
		wantSameWork(t, a, b, u)
		wantMuts(t, outbox(t, b))
		if h := readWork(t, b, u).History[iv]; len(h) != 1 || h[0].QuestionID != "sante-auto" {
			t.Errorf("history on B = %+v, want the corrected health answer", h)
		}
	})

	t.Run("erased", func(t *testing.T) {
		clock.Advance(time.Hour)
		if err := a.DeleteUsager(ctx, u); err != nil {
			t.Fatal(err)
		}
		srv.push(t, a)
		res := srv.pullAll(t, b)
		if res.Removed == 0 {
			t.Errorf("applied = %+v, want removals", res)
		}
		if _, err := b.Usager(ctx, u); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("erased file still readable on B: %v", err)
		}
		if got, err := b.Interview(ctx, iv); err != nil || got.DeletedAt == nil {
			t.Fatalf("interview on B = %+v, %v; want a tombstone", got, err)
		}
		for _, table := range []string{"answer", "answer_sensitive", "answer_history", "selection"} {
			if n := count(t, b, table, ""); n != 0 {
				t.Errorf("%d rows left in %s", n, table)
			}
		}
		got, err := b.Referral(ctx, r1.UUID)
		if err != nil || got.UsagerUUID != "" || got.Message != "" || got.History[len(got.History)-1].ReasonText != "" {
			t.Fatalf("referral on B = %+v, %v; want it detached from the person", got, err)
		}
		want, _ := a.Referral(ctx, r1.UUID)
		got.UpdatedAt, want.UpdatedAt = time.Time{}, time.Time{}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("referral on B = %+v\nwant %+v", got, want)
		}
		wantMuts(t, outbox(t, b))
	})
}

// TestDB_ApplyPull_LocalChange checks that a local change not yet pushed survives a pull: the
// field with the higher HLC stays, and stays queued as it was; a colleague's newer value wins
// over an older local one.
func TestDB_ApplyPull_LocalChange(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: t0}
	a, b := openTestAt(t, clock), openTestAt(t, clock)
	ctx := context.Background()
	srv := newMemServer()
	mustEnrol(t, a, srv.site)
	mustEnrol(t, b, srv.site)
	u := mustUsager(t, a, "Camille")
	for _, m := range outbox(t, a) {
		if m.Known != 0 {
			t.Fatalf("a file created here goes with known %d, want 0: the server never had it", m.Known)
		}
	}
	srv.push(t, a)
	srv.pullAll(t, b)

	edit := func(db *DB, f func(*domain.Usager)) {
		t.Helper()
		v, err := db.Usager(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		f(&v)
		if err := db.UpdateUsager(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	// A changes the commune and the notes first; B changes the commune later, offline.
	clock.Advance(time.Minute)
	edit(a, func(v *domain.Usager) { v.Commune, v.Notes = "92040", "Vu par A" })
	clock.Advance(time.Minute)
	edit(b, func(v *domain.Usager) { v.Commune = "92075" })
	queued := outbox(t, b)
	wantMuts(t, queued, up("usager", "commune"))

	srv.push(t, a)
	srv.pullAll(t, b)
	got, _ := b.Usager(ctx, u)
	if got.Commune != "92075" || got.Notes != "Vu par A" {
		t.Fatalf("B after the pull: commune %q notes %q; want its own commune and A's notes", got.Commune, got.Notes)
	}
	// The change stays queued as it was; only what B knows of the record moved on (known: the
	// server version of A's write, which B has just received).
	after := outbox(t, b)
	if len(after) != 1 || len(queued) != 1 || after[0].Known <= queued[0].Known || queued[0].Known == 0 {
		t.Fatalf("known before and after the pull: %+v, %+v; want it raised by the pull", queued, after)
	}
	after[0].Known = queued[0].Known
	if !reflect.DeepEqual(after, queued) {
		t.Fatalf("B's outbox changed by the pull:\n  %+v\nwant\n  %+v", after, queued)
	}

	// B pushes: its later commune wins everywhere.
	srv.push(t, b)
	srv.pullAll(t, a)
	srv.pullAll(t, b)
	wantSameWork(t, a, b, u)
	if got, _ := a.Usager(ctx, u); got.Commune != "92075" {
		t.Fatalf("A's commune = %q, want B's later one", got.Commune)
	}

	// Now the other way: B's local change is older than A's.
	clock.Advance(time.Minute)
	edit(b, func(v *domain.Usager) { v.Household = "seul" })
	clock.Advance(time.Minute)
	edit(a, func(v *domain.Usager) { v.Household = "couple" })
	srv.push(t, a)
	srv.pullAll(t, b)
	if got, _ := b.Usager(ctx, u); got.Household != "couple" {
		t.Fatalf("B's household = %q, want A's newer one", got.Household)
	}
	wantMuts(t, outbox(t, b), up("usager", "household")) // still queued: the server drops it by its HLC
	srv.push(t, b)
	srv.pullAll(t, a)
	srv.pullAll(t, b)
	wantSameWork(t, a, b, u)
}

// TestDB_ApplyPull_Conflicts checks two different answers given offline to one question: both
// are kept and shown on both desks, until a person answers again, which settles it everywhere.
func TestDB_ApplyPull_Conflicts(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: t0}
	a, b := openTestAt(t, clock), openTestAt(t, clock)
	ctx := context.Background()
	srv := newMemServer()
	mustEnrol(t, a, srv.site)
	mustEnrol(t, b, srv.site)
	u := mustUsager(t, a, "Camille")
	iv := mustInterview(t, a, u)
	srv.push(t, a)
	srv.pullAll(t, b)

	clock.Advance(time.Minute)
	mustAnswer(t, a, domain.Answer{InterviewUUID: iv, QuestionID: "liens-auto", Value: num(2), WorkerRating: domain.Ptr(3)})
	clock.Advance(time.Minute)
	mustAnswer(t, b, domain.Answer{InterviewUUID: iv, QuestionID: "liens-auto", Value: num(4)})
	srv.push(t, a)
	srv.push(t, b)
	srv.pullAll(t, a)
	srv.pullAll(t, b)

	for name, db := range map[string]*DB{"A": a, "B": b} {
		t.Run("both kept on "+name, func(t *testing.T) {
			cs, err := db.AnswerConflicts(ctx, iv)
			if err != nil {
				t.Fatal(err)
			}
			// B answered last: its answer is the value, A's the conflict.
			if len(cs) != 1 || cs[0].QuestionID != "liens-auto" || cs[0].Value.Number == nil || *cs[0].Value.Number != 2 ||
				cs[0].WorkerRating == nil || *cs[0].WorkerRating != 3 || !cs[0].AnsweredAt.Equal(stored(t0.Add(time.Minute))) {
				t.Fatalf("conflicts = %+v", cs)
			}
			as, _ := db.Answers(ctx, iv, false)
			if len(as) != 1 || *as[0].Value.Number != 4 {
				t.Fatalf("answers = %+v, want B's 4", as)
			}
		})
	}
	wantSameWork(t, a, b, u)

	t.Run("settled by answering again", func(t *testing.T) {
		clock.Advance(time.Minute)
		// A keeps the answer shown (B's): the same value, sent to settle.
		mustAnswer(t, a, domain.Answer{InterviewUUID: iv, QuestionID: "liens-auto", Value: num(4)})
		muts := outbox(t, a)
		wantMuts(t, muts, up("usager", "last_contact_at"), up("answer", "value"))
		if muts[1].Base == "" {
			t.Fatal("the settling answer has no base")
		}
		if cs, _ := a.AnswerConflicts(ctx, iv); len(cs) != 0 {
			t.Fatalf("conflicts on A after settling = %+v", cs)
		}
		srv.push(t, a)
		srv.pullAll(t, a)
		srv.pullAll(t, b)
		for _, db := range []*DB{a, b} {
			if cs, err := db.AnswerConflicts(ctx, iv); err != nil || len(cs) != 0 {
				t.Fatalf("conflicts after settling = %+v, %v", cs, err)
			}
		}
		wantSameWork(t, a, b, u)
	})
	t.Run("unknown interview", func(t *testing.T) {
		_, err := a.AnswerConflicts(ctx, domain.NewUUID())
		wantCode(t, err, domain.ENOTFOUND)
	})
}

// demoBatch returns a valid directory of n services (the demo generator's): what the server
// publishes has passed the import's validation.
func demoBatch(n int) domain.ImportBatch {
	sts, svs := demo.Generate(n, 92)
	return domain.ImportBatch{Origin: domain.OriginImport, Structures: sts, Services: svs}
}

// dirRecords returns the server records of a directory batch (field data, data·inclusion JSON).
func dirRecords(t testing.TB, r *remote, b domain.ImportBatch) []domain.SyncRecord {
	t.Helper()
	var out []domain.SyncRecord
	for _, st := range b.Structures {
		data, err := encodeDI(datainclusion.EncodeStructures, st)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, domain.SyncRecord{Kind: domain.KindStructure, UUID: stUUID(st),
			Fields: map[string]domain.FieldValue{"data": {V: data, HLC: r.clock.Now()}}})
	}
	for _, sv := range b.Services {
		data, err := encodeDI(datainclusion.EncodeServices, sv)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, domain.SyncRecord{Kind: domain.KindService, UUID: svUUID(sv),
			Fields: map[string]domain.FieldValue{"data": {V: data, HLC: r.clock.Now()}}})
	}
	return out
}

// TestDB_ApplyPull_Directory checks the directory coming down: services before their structure,
// a record removed (the worker's note stays), then published again; nothing is queued.
func TestDB_ApplyPull_Directory(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustEnrol(t, db, "site-a")
	srv := newRemote("serveur", clock.Now)
	batch := demoBatch(4)
	recs := dirRecords(t, srv, batch)
	nst, nsv := len(batch.Structures), len(batch.Services)
	structures, services := recs[:nst], recs[nst:]

	res := mustApply(t, db, 4, true, services...)
	if res.Directory != 0 || res.Records != nsv {
		t.Fatalf("services alone = %+v", res)
	}
	if n, _ := db.CountServices(ctx); n != 0 {
		t.Fatalf("%d services written before their structure", n)
	}
	res = mustApply(t, db, 6, false, structures...)
	if res.Directory != nst+nsv {
		t.Fatalf("structures = %+v, want %d records written", res, nst+nsv)
	}
	sts, svs, err := db.LoadDirectory(ctx)
	if err != nil || len(sts) != nst || len(svs) != nsv {
		t.Fatalf("LoadDirectory = %d structures, %d services, %v", len(sts), len(svs), err)
	}
	want := batch.Services[0]
	got, err := db.Service(ctx, svUUID(want))
	if err != nil {
		t.Fatal(err)
	}
	got.Meta, want.Meta = domain.Meta{}, domain.Meta{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("service = %+v\nwant %+v", got, want)
	}
	if o, _ := db.Service(ctx, svUUID(want)); o.Origin != domain.OriginImport {
		t.Errorf("origin = %q", o.Origin)
	}
	if _, err := db.SetNote(ctx, svUUID(want), "Appeler avant."); err != nil {
		t.Fatal(err)
	}

	t.Run("the same again", func(t *testing.T) {
		if res := mustApply(t, db, 10, false, services[0]); res.Directory != 0 {
			t.Fatalf("an unchanged record = %+v", res)
		}
	})
	t.Run("removed", func(t *testing.T) {
		res := mustApply(t, db, 11, false, domain.SyncRecord{Kind: domain.KindService, UUID: svUUID(want), Deleted: true,
			DeletedAt: srv.clock.Now(), Fields: map[string]domain.FieldValue{}})
		if res.Directory != 1 || res.Removed != 1 {
			t.Fatalf("removal = %+v", res)
		}
		if n, _ := db.CountServices(ctx); n != nsv-1 {
			t.Fatalf("%d services after a removal, want %d", n, nsv-1)
		}
		if note, _ := db.Note(ctx, svUUID(want)); note.Body != "Appeler avant." {
			t.Fatalf("note after removal = %+v", note)
		}
	})
	t.Run("published again", func(t *testing.T) {
		again := services[0]
		again.Fields = map[string]domain.FieldValue{"data": {V: again.Fields["data"].V, HLC: srv.clock.Now()}}
		if res := mustApply(t, db, 12, false, again); res.Directory != 1 {
			t.Fatalf("published again = %+v", res)
		}
		if n, _ := db.CountServices(ctx); n != nsv {
			t.Fatalf("%d services, want %d", n, nsv)
		}
	})
	t.Run("nothing queued", func(t *testing.T) {
		wantMuts(t, outbox(t, db))
	})
	t.Run("grid", func(t *testing.T) {
		g := testGrid(2)
		content, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		rec := domain.SyncRecord{Kind: domain.KindGrid, UUID: gridKey(g.ID, g.Version),
			Fields: map[string]domain.FieldValue{"content": {V: content, HLC: srv.clock.Now()}}}
		if res := mustApply(t, db, 13, false, rec); res.Grids != 1 {
			t.Fatalf("grid = %+v", res)
		}
		if got, err := db.LatestGrid(ctx, testGridID); err != nil || got.Version != 2 {
			t.Fatalf("LatestGrid = %+v, %v", got, err)
		}
		if res := mustApply(t, db, 14, false, rec); res.Grids != 0 {
			t.Fatalf("the same grid again = %+v", res)
		}
	})
}

// TestDB_ApplyPull_Resync checks the end of a full resync: the synced records the server no
// longer sent are removed (a file erased long ago is erased here too), except those with a change
// waiting; records never synced are not touched.
func TestDB_ApplyPull_Resync(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: t0}
	a, b := openTestAt(t, clock), openTestAt(t, clock)
	ctx := context.Background()
	srv := newMemServer()
	mustEnrol(t, a, srv.site)
	mustEnrol(t, b, srv.site)
	kept := mustUsager(t, a, "Reste")
	gone := mustUsager(t, a, "Parti")
	iv := mustInterview(t, a, gone)
	mustAnswer(t, a, domain.Answer{InterviewUUID: iv, QuestionID: "liens-auto", Value: num(3)})
	edited := mustUsager(t, a, "Modifié")
	srv.push(t, a)
	batch := demoBatch(2)
	dir := dirRecords(t, newRemote("serveur", clock.Now), batch)
	for _, r := range dir {
		srv.put(r)
	}
	srv.pullAll(t, b)
	// B changes a file offline; a file of its own was never synced (written before sync, by SQL).
	v, _ := b.Usager(ctx, edited)
	v.Notes = "Changé hors ligne"
	if err := b.UpdateUsager(ctx, v); err != nil {
		t.Fatal(err)
	}
	local := domain.NewUUID()
	now := formatTime(b.clock())
	if _, err := b.write.Exec(`INSERT INTO usager (uuid, display_name, display_key, last_contact_at, created_at, updated_at)
		VALUES (?, 'Local', 'local', ?, ?, ?)`, local, now, now, now); err != nil {
		t.Fatal(err)
	}

	// The server lost everything but the kept file (its tombstones were dropped).
	var left []domain.SyncRecord
	for _, r := range srv.changes(0) {
		if r.UUID == kept {
			left = append(left, r)
		}
	}
	if err := b.ResetCursor(ctx); err != nil {
		t.Fatal(err)
	}
	mustApply(t, b, 100, true, left...)
	if _, err := b.Usager(ctx, gone); err != nil {
		t.Fatalf("removed before the resync ended: %v", err)
	}
	res := mustApply(t, b, 100, false)
	if nd := len(dir); res.Removed != 3+nd || res.Directory != nd {
		t.Errorf("end of resync = %+v, want the file, its interview and answer, and %d directory records removed", res, nd)
	}
	if _, err := b.Usager(ctx, gone); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("file the server dropped still on B: %v", err)
	}
	if n := count(t, b, "answer", ""); n != 0 {
		t.Errorf("%d answers left", n)
	}
	for _, u := range []string{kept, edited, local} {
		if _, err := b.Usager(ctx, u); err != nil {
			t.Errorf("file %s: %v", u, err)
		}
	}
	if n, _ := b.CountServices(ctx); n != 0 {
		t.Errorf("%d services the server dropped still on B", n)
	}
	if st, _ := b.SyncState(ctx); st.Cursor != 100 {
		t.Errorf("cursor = %d", st.Cursor)
	}
	// The resync is over: a later page removes nothing.
	if res := mustApply(t, b, 101, false); res.Removed != 0 {
		t.Errorf("after the resync = %+v", res)
	}
}

// TestDB_ApplyPull_Atomic checks that a page is applied wholly or not at all, with its cursor.
func TestDB_ApplyPull_Atomic(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustEnrol(t, db, "site-a")
	r := newRemote("poste-a", clock.Now)
	u1, u2 := domain.NewUUID(), domain.NewUUID()
	fields := func(name string) map[string]any {
		return map[string]any{"display_name": name, "last_contact_at": formatTime(t0)}
	}
	if _, err := db.write.Exec(`CREATE TRIGGER test_refuse BEFORE INSERT ON sync_record WHEN NEW.uuid = '` + u2 + `'
		BEGIN SELECT RAISE(ABORT, 'refused'); END`); err != nil {
		t.Fatal(err)
	}
	_, err := db.ApplyPull(ctx, domain.PullResult{Changes: []domain.SyncRecord{
		r.rec(1, "usager", u1, fields("Un")), r.rec(2, "usager", u2, fields("Deux"))}, Cursor: 2})
	if err == nil {
		t.Fatal("ApplyPull succeeded")
	}
	if _, err := db.Usager(ctx, u1); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("half a page applied: %v", err)
	}
	if st, _ := db.SyncState(ctx); st.Cursor != 0 {
		t.Fatalf("cursor moved to %d", st.Cursor)
	}
	if n := count(t, db, "sync_record", ""); n != 0 {
		t.Fatalf("%d sync records after a failed page", n)
	}
}

// TestDB_ApplyPull_Unappliable checks that a record the desk's tables refuse is kept aside
// without blocking the page, and sends nothing back.
func TestDB_ApplyPull_Unappliable(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	mustSaveGrid(t, db, testGrid(1))
	mustEnrol(t, db, "site-a")
	r := newRemote("poste-a", clock.Now)
	u, iv := domain.NewUUID(), domain.NewUUID()
	res := mustApply(t, db, 3, false,
		r.rec(1, "usager", u, map[string]any{"display_name": "Un", "last_contact_at": formatTime(t0)}),
		r.rec(2, "interview", iv, map[string]any{"usager_uuid": u, "grid_id": testGridID, "grid_version": 1,
			"status": "inconnu", "started_at": formatTime(t0)}),
		r.rec(3, "usager", domain.NewUUID(), map[string]any{"display_name": 12}))
	if res.Records != 3 {
		t.Fatalf("applied = %+v", res)
	}
	if _, err := db.Usager(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	if p := pendingOf(t, db, "interview", iv); p != unappliable {
		t.Fatalf("interview with an unknown status: pending = %d", p)
	}
	wantMuts(t, outbox(t, db))
	// The same record fixed by a later write is written.
	mustApply(t, db, 4, false, r.rec(4, "interview", iv, map[string]any{"usager_uuid": u, "grid_id": testGridID,
		"grid_version": 1, "status": domain.InterviewInProgress, "started_at": formatTime(t0)}))
	if _, err := db.Interview(context.Background(), iv); err != nil {
		t.Fatal(err)
	}
	wantMuts(t, outbox(t, db))
}

// TestDB_ApplyPull_Anonymised checks the retention sweep of one desk reaching another: the file
// anonymised, its free-text and health answers gone, its referrals detached, nothing sent back.
func TestDB_ApplyPull_Anonymised(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: t0}
	a, b := openTestAt(t, clock), openTestAt(t, clock)
	ctx := context.Background()
	srv := newMemServer()
	mustEnrol(t, a, srv.site)
	mustEnrol(t, b, srv.site)
	u := mustUsager(t, a, "Dominique")
	iv := mustInterview(t, a, u)
	for _, an := range []domain.Answer{
		{InterviewUUID: iv, QuestionID: "liens-auto", Value: num(2)},
		{InterviewUUID: iv, QuestionID: "liens-mots", Value: text("Je ne vois plus personne.")},
		{InterviewUUID: iv, QuestionID: "sante-auto", Value: num(3), Sensitive: true},
	} {
		mustAnswer(t, a, an)
	}
	r := newReferral(domain.NewUUID(), u, iv, 1)
	mustReferrals(t, a, r)
	srv.push(t, a)
	srv.pullAll(t, b)
	wantSameWork(t, a, b, u)

	clock.Advance(3 * 365 * 24 * time.Hour)
	if n, err := a.AnonymiseBefore(ctx, clock.Now().AddDate(-2, 0, 0)); err != nil || n != 1 {
		t.Fatalf("AnonymiseBefore = %d, %v", n, err)
	}
	srv.push(t, a)
	srv.pullAll(t, b)
	wantSameWork(t, a, b, u)
	got, err := b.Usager(ctx, u)
	if err != nil || !got.Anonymised || got.DisplayName != domain.AnonymousName || got.Notes != "" {
		t.Fatalf("file on B = %+v, %v", got, err)
	}
	if as, _ := b.Answers(ctx, iv, true); len(as) != 1 || as[0].QuestionID != "liens-auto" {
		t.Fatalf("answers on B = %+v, want only the scale", as)
	}
	if ref, _ := b.Referral(ctx, r.UUID); ref.UsagerUUID != "" || ref.Message != "" {
		t.Fatalf("referral on B = %+v", ref)
	}
	wantMuts(t, outbox(t, b))
	// B's own retention sweep finds nothing left to do, and sends nothing.
	if n, err := b.AnonymiseBefore(ctx, clock.Now().AddDate(-2, 0, 0)); err != nil || n != 0 {
		t.Fatalf("AnonymiseBefore on B = %d, %v", n, err)
	}
	wantMuts(t, outbox(t, b))
}
