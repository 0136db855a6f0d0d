package sqlite

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/hlc"
)

// TestDB_Track walks a usager file through its life on one desk and checks, after each write,
// the mutations it queued: one per record changed, with only the changed fields, nothing for a
// write that changes nothing, deletes children first when a file is erased.
func TestDB_Track(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustSaveGrid(t, db, testGrid(1))

	u := newUsager("Camille")
	iv := domain.NewUUID()
	service := domain.NewUUID()
	sheet := domain.NewUUID()
	r1 := newReferral(sheet, u.UUID, iv, 1)
	r2 := newReferral(sheet, u.UUID, iv, 2)
	var answerHLC string

	// Each step runs on the database the previous ones left.
	steps := []struct {
		name  string
		write func() error
		want  []mutSummary
		check func(t *testing.T, muts []domain.Mutation)
	}{
		{"create usager", func() error { return db.CreateUsager(ctx, u) }, []mutSummary{up("usager", usagerFields)},
			func(t *testing.T, muts []domain.Mutation) {
				var name string
				var year int
				field(t, muts[0], "display_name", &name)
				field(t, muts[0], "birth_year", &year)
				if name != "Camille" || year != 1978 || muts[0].UUID != u.UUID || muts[0].Base != "" {
					t.Errorf("mutation = %+v", muts[0])
				}
			}},
		{"update one field", func() error {
			v := u
			v.Commune = "92075"
			return db.UpdateUsager(ctx, v)
		}, []mutSummary{up("usager", "commune")}, nil},
		{"same update again", func() error {
			v := u
			v.Commune = "92075"
			return db.UpdateUsager(ctx, v)
		}, nil, nil},
		{"start interview", func() error {
			clock.Advance(time.Minute)
			return db.StartInterview(ctx, domain.Interview{Meta: domain.Meta{UUID: iv}, UsagerUUID: u.UUID, GridID: testGridID, GridVersion: 1})
		}, []mutSummary{up("usager", "last_contact_at"), up("interview", interviewFields)}, nil},
		{"answer", func() error {
			_, err := db.SaveAnswer(ctx, domain.Answer{InterviewUUID: iv, QuestionID: "liens-auto", Value: num(3), WorkerRating: domain.Ptr(4)}, "")
			return err
		}, []mutSummary{up("interview", "current_domain"), up("answer", "value")},
			func(t *testing.T, muts []domain.Mutation) {
				a := muts[1]
				if a.UUID != iv+":liens-auto" || a.Base != "" {
					t.Errorf("answer mutation = %+v", a)
				}
				var v answerValue
				field(t, a, "value", &v)
				want := answerValue{Value: json.RawMessage(`{"number":3}`), WorkerRating: domain.Ptr(4)}
				if !reflect.DeepEqual(v, want) {
					t.Errorf("answer value = %+v, want %+v", v, want)
				}
				answerHLC = a.HLC
			}},
		{"same answer again", func() error {
			_, err := db.SaveAnswer(ctx, domain.Answer{InterviewUUID: iv, QuestionID: "liens-auto", Value: num(3), WorkerRating: domain.Ptr(4)}, "")
			return err
		}, nil, nil},
		{"changed answer", func() error {
			_, err := db.SaveAnswer(ctx, domain.Answer{InterviewUUID: iv, QuestionID: "liens-auto", Value: num(5), WorkerRating: domain.Ptr(4)}, "")
			return err
		}, []mutSummary{up("answer", "value")},
			func(t *testing.T, muts []domain.Mutation) {
				if muts[0].Base != answerHLC || hlc.Compare(muts[0].Base, muts[0].HLC) >= 0 {
					t.Errorf("base = %q, want the replaced answer's %q (before %q)", muts[0].Base, answerHLC, muts[0].HLC)
				}
				answerHLC = muts[0].HLC
			}},
		{"cleared answer", func() error {
			_, err := db.SaveAnswer(ctx, domain.Answer{InterviewUUID: iv, QuestionID: "liens-auto"}, "")
			return err
		}, []mutSummary{up("answer", "value")},
			func(t *testing.T, muts []domain.Mutation) {
				if string(muts[0].Fields["value"]) != "null" || muts[0].Base != answerHLC {
					t.Errorf("cleared answer = %s base %q, want null based on %q", muts[0].Fields["value"], muts[0].Base, answerHLC)
				}
			}},
		{"sensitive answer", func() error {
			_, err := db.SaveAnswer(ctx, domain.Answer{InterviewUUID: iv, QuestionID: "sante-suivi", Value: text(domain.Yes), Sensitive: true}, "")
			return err
		}, []mutSummary{up("interview", "current_domain"), up("answer", "value")},
			func(t *testing.T, muts []domain.Mutation) {
				var v answerValue
				field(t, muts[1], "value", &v)
				if !v.Sensitive || string(v.Value) != `{"text":"oui"}` {
					t.Errorf("sensitive answer value = %+v", v)
				}
			}},
		{"tick", func() error {
			return db.SetSelection(ctx, domain.Selection{InterviewUUID: iv, ServiceUUID: service, Why: "Près de chez vous", Domain: "liens"}, true)
		}, []mutSummary{up("selection", selectionFields)}, nil},
		{"untick", func() error {
			return db.SetSelection(ctx, domain.Selection{InterviewUUID: iv, ServiceUUID: service}, false)
		}, []mutSummary{up("selection", "selected")},
			func(t *testing.T, muts []domain.Mutation) {
				if muts[0].UUID != iv+":"+service || string(muts[0].Fields["selected"]) != "false" {
					t.Errorf("untick = %+v", muts[0])
				}
			}},
		{"untick again", func() error {
			return db.SetSelection(ctx, domain.Selection{InterviewUUID: iv, ServiceUUID: service}, false)
		}, nil, nil},
		{"complete", func() error {
			clock.Advance(time.Minute)
			_, err := db.CompleteInterview(ctx, iv)
			return err
		}, []mutSummary{up("usager", "last_contact_at"), up("interview", "completed_at,status")}, nil},
		{"next contact", func() error { return db.SetNextContact(ctx, iv, "2026-04-01") },
			[]mutSummary{up("interview", "next_contact")}, nil},
		{"referral sheet", func() error { return db.CreateReferrals(ctx, []domain.Referral{r1, r2}) },
			[]mutSummary{up("referral", referralFields), up("referral", referralFields),
				up("referral_event", eventFields), up("referral_event", eventFields)},
			func(t *testing.T, muts []domain.Mutation) {
				// The sheet's order: a colleague's desk receives them so.
				if muts[0].UUID != r1.UUID || muts[1].UUID != r2.UUID {
					t.Errorf("referrals queued as %s, %s; want %s, %s", muts[0].UUID, muts[1].UUID, r1.UUID, r2.UUID)
				}
				var of string
				field(t, muts[2], "referral_uuid", &of)
				if of != r1.UUID {
					t.Errorf("first step of %s, want %s", of, r1.UUID)
				}
			}},
		{"status", func() error {
			_, err := db.SetReferralStatus(ctx, r1.UUID, domain.ReferralChange{Status: domain.ReferralGiven, Note: "Remise en main propre"})
			return err
		}, []mutSummary{up("referral", "status"), up("referral_event", eventFields)}, nil},
		{"erase the file", func() error { return db.DeleteUsager(ctx, u.UUID) },
			[]mutSummary{up("referral", "interview_uuid,message,usager_uuid"), up("referral", "interview_uuid,message,usager_uuid"),
				up("referral_event", "note"),
				del("selection"), del("answer"), del("answer"), del("interview"), del("usager")}, nil},
		{"erase again", func() error { return db.DeleteUsager(ctx, u.UUID) }, nil, nil},
	}
	before := 0
	for _, st := range steps {
		if err := st.write(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		muts := outboxAfter(t, db, before)
		t.Run(st.name, func(t *testing.T) {
			wantMuts(t, muts, st.want...)
			if st.check != nil {
				st.check(t, muts)
			}
		})
		before += len(muts)
	}

	t.Run("ids and clocks follow each other", func(t *testing.T) {
		all := outbox(t, db)
		for i, m := range all {
			if m.ID != int64(i+1) {
				t.Fatalf("mutation %d has id %d", i, m.ID)
			}
			if i > 0 && hlc.Compare(all[i-1].HLC, m.HLC) >= 0 {
				t.Fatalf("HLC %s after %s", m.HLC, all[i-1].HLC)
			}
			if _, err := hlc.Parse(m.HLC); err != nil {
				t.Fatal(err)
			}
		}
	})
	t.Run("the change log is unchanged", func(t *testing.T) {
		// Tracking reads the change log; it writes none of its own.
		for _, c := range changes(t, db) {
			if c.Kind == "referral_event" || c.Kind == domain.KindSuggestion {
				t.Fatalf("change log row %+v", c)
			}
		}
	})
}

// TestDB_Track_Anonymise checks the retention sweep's mutations: the file's personal fields,
// its referrals losing the person (and the free texts of their history), and tombstones for the
// answers it deletes (they must never come back).
func TestDB_Track_Anonymise(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustSaveGrid(t, db, testGrid(1))
	u := mustUsager(t, db, "Dominique")
	iv := mustInterview(t, db, u)
	for _, a := range []domain.Answer{
		{InterviewUUID: iv, QuestionID: "liens-auto", Value: num(2)},
		{InterviewUUID: iv, QuestionID: "liens-mots", Value: text("Je ne vois plus personne.")},
		{InterviewUUID: iv, QuestionID: "sante-auto", Value: num(3), Sensitive: true},
	} {
		mustAnswer(t, db, a)
	}
	r := newReferral(domain.NewUUID(), u, iv, 1)
	mustReferrals(t, db, r)
	if _, err := db.SetReferralStatus(ctx, r.UUID, domain.ReferralChange{Status: domain.ReferralGiven, Note: "Avec sa fille"}); err != nil {
		t.Fatal(err)
	}
	before := len(outbox(t, db))

	clock.Advance(3 * 365 * 24 * time.Hour)
	n, err := db.AnonymiseBefore(ctx, clock.Now().AddDate(-2, 0, 0))
	if err != nil || n != 1 {
		t.Fatalf("AnonymiseBefore = %d, %v", n, err)
	}
	muts := outboxAfter(t, db, before)
	wantMuts(t, muts,
		up("usager", "anonymised,birth_year,contact,display_name,notes"),
		up("referral", "interview_uuid,message,usager_uuid"),
		up("referral_event", "note"),
		del("answer"), del("answer"))
	if muts[3].UUID != iv+":liens-mots" || muts[4].UUID != iv+":sante-auto" {
		t.Errorf("answers deleted: %s, %s", muts[3].UUID, muts[4].UUID)
	}
	if n, err := db.AnonymiseBefore(ctx, clock.Now().AddDate(-2, 0, 0)); err != nil || n != 0 {
		t.Fatalf("AnonymiseBefore again = %d, %v", n, err)
	}
	wantMuts(t, outboxAfter(t, db, before+len(muts)))
}

// TestDB_Track_Atomic checks that a change and its mutation commit together: when the outbox
// refuses the mutation, the change is not made either (and the other way round, a refused change
// queues nothing).
func TestDB_Track_Atomic(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	ctx := context.Background()

	t.Run("outbox fails", func(t *testing.T) {
		if _, err := db.write.Exec(`CREATE TRIGGER test_refuse BEFORE INSERT ON sync_outbox
			BEGIN SELECT RAISE(ABORT, 'outbox refused'); END`); err != nil {
			t.Fatal(err)
		}
		u := newUsager("Alix")
		if err := db.CreateUsager(ctx, u); err == nil {
			t.Fatal("CreateUsager succeeded with an outbox that refuses")
		}
		if n := count(t, db, "usager", ""); n != 0 {
			t.Errorf("%d usagers after a failed write", n)
		}
		for _, table := range []string{"change_log", "sync_dirty", "sync_record", "sync_field", "sync_outbox"} {
			if n := count(t, db, table, ""); n != 0 {
				t.Errorf("%s has %d rows after a failed write", table, n)
			}
		}
		if _, err := db.write.Exec(`DROP TRIGGER test_refuse`); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateUsager(ctx, u); err != nil {
			t.Fatal(err)
		}
		wantMuts(t, outbox(t, db), up("usager", usagerFields))
	})
	t.Run("change fails", func(t *testing.T) {
		before := len(outbox(t, db))
		if err := db.UpdateUsager(ctx, domain.Usager{Meta: domain.Meta{UUID: domain.NewUUID()}, DisplayName: "X"}); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("UpdateUsager of an unknown file = %v", err)
		}
		wantMuts(t, outboxAfter(t, db, before))
	})
}

// TestDB_Enrol covers the enrolment: the outbox numbered from 1 for the new device with the
// changes queued before, the records written before sync existed queued at enrolment, a desk of
// another site refused, acknowledgements and rejections.
func TestDB_Enrol(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustSaveGrid(t, db, testGrid(1))

	st, err := db.SyncState(ctx)
	if err != nil || st.Enrolled || st.Pending != 0 {
		t.Fatalf("SyncState before enrolment = %+v, %v", st, err)
	}
	if tok, err := db.SyncToken(ctx); err != nil || tok != "" {
		t.Fatalf("SyncToken before enrolment = %q, %v", tok, err)
	}

	// Queued before the enrolment, then acknowledged by nobody: they go at the enrolment.
	a := mustUsager(t, db, "Avant")
	// A file written before this desk had sync (no change log, as an older version wrote it).
	legacy := domain.NewUUID()
	now := formatTime(db.clock())
	if _, err := db.write.Exec(`INSERT INTO usager (uuid, display_name, display_key, last_contact_at, created_at, updated_at)
		VALUES (?, 'Ancien', 'ancien', ?, ?, ?)`, legacy, now, now, now); err != nil {
		t.Fatal(err)
	}

	t.Run("incomplete", func(t *testing.T) {
		for _, e := range []domain.DeskEnrolment{
			{Token: "t", DeviceID: "d", SiteID: "s"},
			{ServerURL: "https://x", Token: "t", SiteID: "s"},
			{ServerURL: "https://x", DeviceID: "d", SiteID: "s"},
		} {
			wantCode(t, db.Enrol(ctx, e), domain.EINVALID)
		}
	})

	device := domain.NewUUID()
	if err := db.Enrol(ctx, domain.DeskEnrolment{ServerURL: "https://sync.example", Token: "secret-token", DeviceID: device,
		SiteID: "site-a", SiteName: "EDAS Issy"}); err != nil {
		t.Fatal(err)
	}
	t.Run("state", func(t *testing.T) {
		st, err := db.SyncState(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := domain.DeskSyncState{Enrolled: true, ServerURL: "https://sync.example", DeviceID: device, SiteID: "site-a",
			SiteName: "EDAS Issy", Pending: 2}
		if !reflect.DeepEqual(st, want) {
			t.Errorf("SyncState = %+v\nwant %+v", st, want)
		}
		if tok, err := db.SyncToken(ctx); err != nil || tok != "secret-token" {
			t.Errorf("SyncToken = %q, %v", tok, err)
		}
		b, _ := json.Marshal(st)
		if strings.Contains(string(b), "secret-token") {
			t.Errorf("the state shows the token: %s", b)
		}
	})
	muts := outbox(t, db)
	t.Run("numbered from 1 with the earlier changes", func(t *testing.T) {
		wantMuts(t, muts, up("usager", usagerFields), up("usager", usagerFields))
		if muts[0].ID != 1 || muts[1].ID != 2 || muts[0].UUID != a || muts[1].UUID != legacy {
			t.Fatalf("outbox = %+v", muts)
		}
		if first, err := db.Outbox(ctx, 1); err != nil || len(first) != 1 || first[0].ID != 1 {
			t.Fatalf("Outbox(1) = %+v, %v", first, err)
		}
	})

	t.Run("acknowledge", func(t *testing.T) {
		clock.Advance(time.Minute)
		b := mustUsager(t, db, "Après")
		if err := db.Acknowledge(ctx, 2, []domain.MutationRejection{{ID: 2, Reason: "refusé pour le test"}}); err != nil {
			t.Fatal(err)
		}
		left := outbox(t, db)
		if len(left) != 1 || left[0].ID != 3 || left[0].UUID != b {
			t.Fatalf("outbox after acknowledging 2 = %+v", left)
		}
		rej, err := db.SyncRejections(ctx)
		want := []domain.SyncRejection{{Kind: "usager", UUID: legacy, Reason: "refusé pour le test", At: stored(clock.Now())}}
		if err != nil || !reflect.DeepEqual(rej, want) {
			t.Fatalf("SyncRejections = %+v, %v\nwant %+v", rej, err, want)
		}
		// The server answers its last applied id even to an empty push; an id beyond the outbox
		// acknowledges what there is.
		if err := db.Acknowledge(ctx, 2, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.Acknowledge(ctx, 50, nil); err != nil {
			t.Fatal(err)
		}
		if left := outbox(t, db); len(left) != 0 {
			t.Fatalf("outbox after acknowledging 50 = %+v", left)
		}
		c := mustUsager(t, db, "Ensuite")
		if left := outbox(t, db); len(left) != 1 || left[0].ID != 4 || left[0].UUID != c {
			t.Fatalf("outbox = %+v, want id 4", left)
		}
	})

	t.Run("enrolled again: renumbered", func(t *testing.T) {
		if err := db.MarkRevoked(ctx); err != nil {
			t.Fatal(err)
		}
		if st, _ := db.SyncState(ctx); !st.Revoked {
			t.Fatalf("revoked not recorded: %+v", st)
		}
		mustEnrol(t, db, "site-a")
		left := outbox(t, db)
		if len(left) != 1 || left[0].ID != 1 {
			t.Fatalf("outbox of the new device = %+v", left)
		}
		if st, _ := db.SyncState(ctx); st.Revoked || st.Cursor != 0 {
			t.Fatalf("state after enrolling again = %+v", st)
		}
	})

	t.Run("work site", func(t *testing.T) {
		// The desk holds work of site-a: a code of another site is to be refused by the server.
		if site, err := db.WorkSite(ctx); err != nil || site != "site-a" {
			t.Errorf("WorkSite = %q, %v; want site-a", site, err)
		}
	})

	t.Run("another site", func(t *testing.T) {
		err := db.Enrol(ctx, domain.DeskEnrolment{ServerURL: "https://sync.example", Token: "t", DeviceID: domain.NewUUID(),
			SiteID: "site-b", SiteName: "EDAS Nanterre"})
		wantCode(t, err, domain.ECONFLICT)
		if st, _ := db.SyncState(ctx); st.SiteID != "site-a" {
			t.Fatalf("the refused enrolment changed the state: %+v", st)
		}
	})

	t.Run("another site, no work", func(t *testing.T) {
		empty, _ := openTest(t)
		if site, err := empty.WorkSite(ctx); err != nil || site != "" {
			t.Errorf("WorkSite of a desk never enrolled = %q, %v; want none", site, err)
		}
		mustEnrol(t, empty, "site-a")
		if site, err := empty.WorkSite(ctx); err != nil || site != "" {
			t.Errorf("WorkSite of a desk without work = %q, %v; want none: any site may have it", site, err)
		}
		mustEnrol(t, empty, "site-b")
		if st, _ := empty.SyncState(ctx); st.SiteID != "site-b" {
			t.Fatalf("state = %+v", st)
		}
	})
}

// TestDB_SyncState_Record checks the outcome of sync attempts and the cursor reset.
func TestDB_SyncState_Record(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustEnrol(t, db, "site-a")
	mustApply(t, db, 42, false)

	at := clock.Now()
	if err := db.RecordSync(ctx, at, "Le serveur ne répond pas."); err != nil {
		t.Fatal(err)
	}
	st, _ := db.SyncState(ctx)
	if st.LastSyncAt != nil || st.LastError != "Le serveur ne répond pas." || st.LastErrorAt == nil ||
		!st.LastErrorAt.Equal(stored(at)) || st.Cursor != 42 {
		t.Fatalf("after a failure: %+v", st)
	}
	later := at.Add(time.Minute)
	if err := db.RecordSync(ctx, later, ""); err != nil {
		t.Fatal(err)
	}
	st, _ = db.SyncState(ctx)
	if st.LastSyncAt == nil || !st.LastSyncAt.Equal(stored(later)) || st.LastError != "" || st.LastErrorAt != nil {
		t.Fatalf("after a success: %+v", st)
	}
	if err := db.ResetCursor(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ = db.SyncState(ctx); st.Cursor != 0 {
		t.Fatalf("cursor after reset = %d", st.Cursor)
	}
}

// TestDB_PullSince checks that the since of a pull is kept with its cursor while the pull has
// more pages, so that a first sync cut half-way goes on at the next sync, and forgotten after
// its last page and on a resync.
func TestDB_PullSince(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	ctx := context.Background()
	mustEnrol(t, db, "site-a")
	state := func() (int64, int64) {
		t.Helper()
		st, err := db.SyncState(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st.Cursor, st.PullSince
	}
	for _, step := range []struct {
		name          string
		page          domain.PullResult
		cursor, since int64
	}{
		{"a page with more", domain.PullResult{Cursor: 12, More: true, Since: 900}, 12, 900},
		{"the next one", domain.PullResult{Cursor: 30, More: true, Since: 900}, 30, 900},
		{"the last one", domain.PullResult{Cursor: 900, Since: 900}, 900, 0},
	} {
		if _, err := db.ApplyPull(ctx, step.page); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if c, s := state(); c != step.cursor || s != step.since {
			t.Errorf("%s: cursor %d since %d, want %d and %d", step.name, c, s, step.cursor, step.since)
		}
	}
	if _, err := db.ApplyPull(ctx, domain.PullResult{Cursor: 950, More: true, Since: 940}); err != nil {
		t.Fatal(err)
	}
	if err := db.ResetCursor(ctx); err != nil {
		t.Fatal(err)
	}
	if c, s := state(); c != 0 || s != 0 {
		t.Errorf("after a reset: cursor %d since %d, want 0 and 0", c, s)
	}
}
