package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// newReferral returns a referral of sheet for usager ("" for a walk-in) and interview ("" when
// from the directory) towards service n, every field set, as a draft.
func newReferral(sheet, usager, interview string, n int) domain.Referral {
	return domain.Referral{
		Meta: domain.Meta{UUID: domain.NewUUID()}, SheetUUID: sheet, UsagerUUID: usager, InterviewUUID: interview,
		ServiceUUID: fmt.Sprintf("sv-%d", n), ServiceName: fmt.Sprintf("Épicerie solidaire « Le Panier » n°%d", n),
		ServiceID: fmt.Sprintf("src--sv%d", n), Need: "Se nourrir à petit prix", Message: "Présentez-vous le mardi avec cette fiche.",
		IncludeHealth: n%2 == 1, WorkerName: "Camille Martin", EDAS: "EDAS Issy-les-Moulineaux–Vanves",
		WorkerPhone: "01 41 00 00 00", Status: domain.ReferralDraft, FollowUpOn: "2026-03-31",
	}
}

func mustReferrals(t testing.TB, db *DB, rs ...domain.Referral) {
	t.Helper()
	if err := db.CreateReferrals(context.Background(), rs); err != nil {
		t.Fatal(err)
	}
}

// mustStatus moves a referral to status (a non-recours with the reason "trop-loin").
func mustStatus(t testing.TB, db *DB, uuid, status string) domain.Referral {
	t.Helper()
	c := domain.ReferralChange{Status: status}
	if status == domain.ReferralNotTaken {
		c.Reason = "trop-loin"
	}
	r, err := db.SetReferralStatus(context.Background(), uuid, c)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// pathTo lists the statuses a draft goes through to reach status.
var pathTo = map[string][]string{
	domain.ReferralDraft:     nil,
	domain.ReferralGiven:     {domain.ReferralGiven},
	domain.ReferralDone:      {domain.ReferralGiven, domain.ReferralDone},
	domain.ReferralNotTaken:  {domain.ReferralGiven, domain.ReferralNotTaken},
	domain.ReferralCancelled: {domain.ReferralCancelled},
}

// mustReferralAt creates a draft of a new walk-in sheet and moves it to status.
func mustReferralAt(t testing.TB, db *DB, status, followUp string) domain.Referral {
	t.Helper()
	r := newReferral(domain.NewUUID(), "", "", 1)
	r.FollowUpOn = followUp
	mustReferrals(t, db, r)
	for _, s := range pathTo[status] {
		mustStatus(t, db, r.UUID, s)
	}
	return r
}

func mustReferral(t testing.TB, db *DB, uuid string) domain.Referral {
	t.Helper()
	r, err := db.Referral(context.Background(), uuid)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// tombstone marks a referral deleted, as a sync from another desk may.
func tombstone(t testing.TB, db *DB, uuid string) {
	t.Helper()
	if _, err := db.write.Exec(`UPDATE referral SET deleted_at = updated_at WHERE uuid = ?`, uuid); err != nil {
		t.Fatal(err)
	}
}

func uuidsOf(rs []domain.Referral) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.UUID)
	}
	return out
}

// wantFrench fails unless err's message reads as a French sentence.
func wantFrench(t testing.TB, err error) {
	t.Helper()
	if msg := domain.ErrorMessage(err); msg == "" || msg[0] < 'A' || msg[0] > 'Z' || !strings.HasSuffix(msg, ".") {
		t.Errorf("message %q is not a French sentence", msg)
	}
}

func TestDB_CreateReferrals(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustSaveGrid(t, db, testGrid(1))
	u := mustUsager(t, db, "Camille")
	iv := mustInterview(t, db, u)
	clock.Advance(time.Hour)
	now := stored(clock.Now())

	sheet := domain.NewUUID()
	rs := []domain.Referral{newReferral(sheet, u, iv, 1), newReferral(sheet, u, "", 2), newReferral(sheet, u, iv, 3)}
	rs[1].Status = domain.ReferralGiven // printed at once
	// Ignored: the store sets them.
	rs[0].CreatedAt, rs[0].History = t0.AddDate(-1, 0, 0), []domain.ReferralChange{{Status: domain.ReferralDone}}
	before := len(changes(t, db))
	mustReferrals(t, db, rs...)
	wantChanges(t, changes(t, db)[before:], now, change(domain.KindReferral, rs[0].UUID, domain.OpUpsert),
		change(domain.KindReferral, rs[1].UUID, domain.OpUpsert), change(domain.KindReferral, rs[2].UUID, domain.OpUpsert))

	for _, r := range rs {
		want := r
		want.CreatedAt, want.UpdatedAt = now, now
		want.History = []domain.ReferralChange{{Status: r.Status, At: now}}
		if got := mustReferral(t, db, r.UUID); !reflect.DeepEqual(got, want) {
			t.Errorf("Referral = %+v\nwant %+v", got, want)
		}
	}

	t.Run("walk-in", func(t *testing.T) {
		r := newReferral(domain.NewUUID(), "", "", 4)
		mustReferrals(t, db, r)
		got := mustReferral(t, db, r.UUID)
		if got.UsagerUUID != "" || got.InterviewUUID != "" || got.ServiceName != r.ServiceName {
			t.Errorf("walk-in referral read back as %+v", got)
		}
		if n := count(t, db, "referral", "uuid = '"+r.UUID+"' AND usager_uuid IS NULL AND interview_uuid IS NULL"); n != 1 {
			t.Errorf("a walk-in’s links are not stored as NULL")
		}
	})

	deleted := mustUsager(t, db, "Supprimée")
	if err := db.DeleteUsager(ctx, deleted); err != nil {
		t.Fatal(err)
	}
	other := mustUsager(t, db, "Autre personne")
	otherIv := mustInterview(t, db, other)

	// with returns rs changed by fn, on a new sheet of u unless fn says otherwise.
	with := func(n int, fn func(rs []domain.Referral)) []domain.Referral {
		s := domain.NewUUID()
		rs := make([]domain.Referral, n)
		for i := range rs {
			rs[i] = newReferral(s, u, iv, i)
		}
		fn(rs)
		return rs
	}
	errs := []struct {
		name string
		rs   []domain.Referral
		code string
	}{
		{"empty sheet", nil, domain.EINVALID},
		{"no sheet uuid", with(2, func(rs []domain.Referral) { rs[0].SheetUUID, rs[1].SheetUUID = "", "" }), domain.EINVALID},
		{"no uuid", with(2, func(rs []domain.Referral) { rs[1].UUID = "" }), domain.EINVALID},
		{"same uuid twice", with(2, func(rs []domain.Referral) { rs[1].UUID = rs[0].UUID }), domain.EINVALID},
		{"two sheets", with(2, func(rs []domain.Referral) { rs[1].SheetUUID = domain.NewUUID() }), domain.EINVALID},
		{"two persons", with(2, func(rs []domain.Referral) { rs[1].UsagerUUID, rs[1].InterviewUUID = other, otherIv }), domain.EINVALID},
		{"no service", with(2, func(rs []domain.Referral) { rs[1].ServiceUUID = "" }), domain.EINVALID},
		{"blank service name", with(1, func(rs []domain.Referral) { rs[0].ServiceName = "  " }), domain.EINVALID},
		{"unknown status", with(1, func(rs []domain.Referral) { rs[0].Status = "envoyee" }), domain.EINVALID},
		{"no status", with(1, func(rs []domain.Referral) { rs[0].Status = "" }), domain.EINVALID},
		{"starts done", with(1, func(rs []domain.Referral) { rs[0].Status = domain.ReferralDone }), domain.EINVALID},
		{"starts non-recours", with(1, func(rs []domain.Referral) { rs[0].Status = domain.ReferralNotTaken }), domain.EINVALID},
		{"starts cancelled", with(1, func(rs []domain.Referral) { rs[0].Status = domain.ReferralCancelled }), domain.EINVALID},
		{"no follow-up", with(1, func(rs []domain.Referral) { rs[0].FollowUpOn = "" }), domain.EINVALID},
		{"follow-up 30 February", with(1, func(rs []domain.Referral) { rs[0].FollowUpOn = "2026-02-30" }), domain.EINVALID},
		{"follow-up one digit", with(1, func(rs []domain.Referral) { rs[0].FollowUpOn = "2026-4-1" }), domain.EINVALID},
		{"follow-up French", with(1, func(rs []domain.Referral) { rs[0].FollowUpOn = "01/04/2026" }), domain.EINVALID},
		{"follow-up with time", with(1, func(rs []domain.Referral) { rs[0].FollowUpOn = "2026-04-01T10:00:00Z" }), domain.EINVALID},
		{"interview without person", with(1, func(rs []domain.Referral) { rs[0].UsagerUUID = "" }), domain.EINVALID},
		{"interview of another person", with(2, func(rs []domain.Referral) { rs[1].InterviewUUID = otherIv }), domain.EINVALID},
		{"unknown usager", with(1, func(rs []domain.Referral) { rs[0].UsagerUUID, rs[0].InterviewUUID = domain.NewUUID(), "" }), domain.ENOTFOUND},
		{"deleted usager", with(1, func(rs []domain.Referral) { rs[0].UsagerUUID, rs[0].InterviewUUID = deleted, "" }), domain.ENOTFOUND},
		{"unknown interview", with(2, func(rs []domain.Referral) { rs[1].InterviewUUID = domain.NewUUID() }), domain.ENOTFOUND},
		{"uuid taken", with(2, func(x []domain.Referral) { x[1].UUID = rs[2].UUID }), domain.ECONFLICT},
		{"sheet of another person", with(1, func(rs []domain.Referral) {
			rs[0].SheetUUID, rs[0].UsagerUUID, rs[0].InterviewUUID = sheet, other, otherIv
		}), domain.ECONFLICT},
		{"sheet of a person, walk-in added", with(1, func(rs []domain.Referral) {
			rs[0].SheetUUID, rs[0].UsagerUUID, rs[0].InterviewUUID = sheet, "", ""
		}), domain.ECONFLICT},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			before, held, events := len(changes(t, db)), count(t, db, "referral", ""), count(t, db, "referral_event", "")
			err := db.CreateReferrals(ctx, tt.rs)
			wantCode(t, err, tt.code)
			wantFrench(t, err)
			if added := changes(t, db)[before:]; len(added) != 0 {
				t.Errorf("change log added %+v after an error", added)
			}
			if n, m := count(t, db, "referral", ""), count(t, db, "referral_event", ""); n != held || m != events {
				t.Errorf("an error stored %d referrals and %d steps", n-held, m-events)
			}
		})
	}
}

func TestDB_Sheet(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	u := mustUsager(t, db, "Camille")

	// UUIDs in the reverse of the sheet's order, and a fixed clock: only the order of preparation
	// can give the order back.
	sheet := domain.NewUUID()
	var rs []domain.Referral
	for i, id := range []string{"r-5", "r-4", "r-3"} {
		r := newReferral(sheet, u, "", i)
		r.UUID = id
		rs = append(rs, r)
	}
	mustReferrals(t, db, rs...)
	// More referrals on the same sheet, in the same millisecond, then later.
	more := []domain.Referral{newReferral(sheet, u, "", 3)}
	more[0].UUID = "r-2"
	mustReferrals(t, db, more...)
	clock.Advance(time.Hour)
	later := newReferral(sheet, u, "", 4)
	later.UUID = "r-1"
	mustReferrals(t, db, later)
	// Another sheet of the same person does not mix in.
	mustReferrals(t, db, newReferral(domain.NewUUID(), u, "", 9))
	mustStatus(t, db, "r-4", domain.ReferralGiven)

	got, err := db.Sheet(ctx, sheet)
	if err != nil {
		t.Fatal(err)
	}
	if ids, want := uuidsOf(got), []string{"r-5", "r-4", "r-3", "r-2", "r-1"}; !slices.Equal(ids, want) {
		t.Errorf("Sheet = %v, want %v", ids, want)
	}
	for _, r := range got {
		if want := mustReferral(t, db, r.UUID); !reflect.DeepEqual(r, want) {
			t.Errorf("Sheet gives %+v\nReferral gives %+v", r, want)
		}
	}
	if len(got) > 1 && len(got[1].History) != 2 {
		t.Errorf("r-4 has history %+v, want its 2 steps", got[1].History)
	}

	tombstone(t, db, "r-3")
	got, err = db.Sheet(ctx, sheet)
	if err != nil {
		t.Fatal(err)
	}
	if ids, want := uuidsOf(got), []string{"r-5", "r-4", "r-2", "r-1"}; !slices.Equal(ids, want) {
		t.Errorf("Sheet after a deletion = %v, want %v", ids, want)
	}

	empty := domain.NewUUID()
	r := newReferral(empty, "", "", 1)
	mustReferrals(t, db, r)
	tombstone(t, db, r.UUID)
	for name, id := range map[string]string{"unknown sheet": domain.NewUUID(), "deleted referrals only": empty} {
		t.Run(name, func(t *testing.T) {
			_, err := db.Sheet(ctx, id)
			wantCode(t, err, domain.ENOTFOUND)
			wantFrench(t, err)
		})
	}
}

// TestDB_SetReferralStatus_Transitions tries every pair of statuses on its own referral.
func TestDB_SetReferralStatus_Transitions(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	ctx := context.Background()
	const (
		draft     = domain.ReferralDraft
		given     = domain.ReferralGiven
		done      = domain.ReferralDone
		notTaken  = domain.ReferralNotTaken
		cancelled = domain.ReferralCancelled
	)
	tests := []struct {
		from, to string
		allowed  bool
	}{
		{draft, draft, false}, {draft, given, true}, {draft, done, false}, {draft, notTaken, false}, {draft, cancelled, true},
		{given, draft, false}, {given, given, false}, {given, done, true}, {given, notTaken, true}, {given, cancelled, true},
		{done, draft, false}, {done, given, false}, {done, done, false}, {done, notTaken, false}, {done, cancelled, false},
		{notTaken, draft, false}, {notTaken, given, false}, {notTaken, done, false}, {notTaken, notTaken, false}, {notTaken, cancelled, false},
		{cancelled, draft, false}, {cancelled, given, false}, {cancelled, done, false}, {cancelled, notTaken, false}, {cancelled, cancelled, false},
	}
	// The table is what this test expects of the store; it must say what the domain says.
	if len(tests) != len(domain.ReferralStatuses)*len(domain.ReferralStatuses) {
		t.Fatalf("the table has %d pairs, the domain %d statuses: update the table", len(tests), len(domain.ReferralStatuses))
	}
	for _, tt := range tests {
		if in := slices.Contains(domain.ReferralTransitions[tt.from], tt.to); in != tt.allowed {
			t.Fatalf("domain.ReferralTransitions changed for %s → %s (allowed: %v): update the table", tt.from, tt.to, in)
		}
	}

	closed := map[string]string{
		done:      "Une orientation réalisée ne peut plus changer de statut.",
		notTaken:  "Une orientation en non-recours ne peut plus changer de statut.",
		cancelled: "Une orientation annulée ne peut plus changer de statut.",
	}
	for _, tt := range tests {
		t.Run(tt.from+" → "+tt.to, func(t *testing.T) {
			t.Parallel()
			r := mustReferralAt(t, db, tt.from, "2026-03-31")
			before := mustReferral(t, db, r.UUID)
			logged := count(t, db, "change_log", "uuid = '"+r.UUID+"'")
			c := domain.ReferralChange{Status: tt.to, Note: "Vue à l’accueil"}
			if tt.to == notTaken {
				c.Reason = "horaires"
			}
			got, err := db.SetReferralStatus(ctx, r.UUID, c)
			after := mustReferral(t, db, r.UUID)
			if !tt.allowed {
				wantCode(t, err, domain.ECONFLICT)
				wantFrench(t, err)
				if want, ok := closed[tt.from]; ok && domain.ErrorMessage(err) != want {
					t.Errorf("message %q, want %q", domain.ErrorMessage(err), want)
				}
				if !reflect.DeepEqual(after, before) {
					t.Errorf("a refused change left %+v\nwant %+v", after, before)
				}
				if n := count(t, db, "change_log", "uuid = '"+r.UUID+"'"); n != logged {
					t.Errorf("a refused change added %d change-log rows", n-logged)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tt.to || after.Status != tt.to {
				t.Errorf("status = %q (read back %q), want %q", got.Status, after.Status, tt.to)
			}
			wantHist := append(slices.Clone(before.History),
				domain.ReferralChange{Status: tt.to, At: stored(t0), Reason: c.Reason, Note: c.Note})
			if !reflect.DeepEqual(got.History, wantHist) {
				t.Errorf("history = %+v\nwant %+v", got.History, wantHist)
			}
			if !reflect.DeepEqual(got, after) {
				t.Errorf("SetReferralStatus returned %+v\nReferral reads %+v", got, after)
			}
			if n := count(t, db, "change_log", "uuid = '"+r.UUID+"' AND kind = 'referral' AND op = 'upsert'"); n != logged+1 {
				t.Errorf("the change added %d change-log rows, want 1", n-logged)
			}
		})
	}
}

func TestDB_SetReferralStatus_Reasons(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		change domain.ReferralChange
		code   string
	}{
		{"too far", domain.ReferralChange{Status: domain.ReferralNotTaken, Reason: "trop-loin"}, ""},
		{"hours", domain.ReferralChange{Status: domain.ReferralNotTaken, Reason: "horaires", ReasonText: "Ouvert le matin seulement"}, ""},
		{"did not dare", domain.ReferralChange{Status: domain.ReferralNotTaken, Reason: "pas-ose"}, ""},
		{"no longer needed", domain.ReferralChange{Status: domain.ReferralNotTaken, Reason: "plus-besoin"}, ""},
		{"refused", domain.ReferralChange{Status: domain.ReferralNotTaken, Reason: "refuse-structure"}, ""},
		{"other, told", domain.ReferralChange{Status: domain.ReferralNotTaken, Reason: "autre", ReasonText: "A déménagé"}, ""},
		{"other, untold", domain.ReferralChange{Status: domain.ReferralNotTaken, Reason: "autre"}, domain.EINVALID},
		{"other, blank", domain.ReferralChange{Status: domain.ReferralNotTaken, Reason: "autre", ReasonText: " \n"}, domain.EINVALID},
		{"no reason", domain.ReferralChange{Status: domain.ReferralNotTaken, ReasonText: "Pas venue"}, domain.EINVALID},
		{"unknown reason", domain.ReferralChange{Status: domain.ReferralNotTaken, Reason: "demenagement"}, domain.EINVALID},
		{"label instead of code", domain.ReferralChange{Status: domain.ReferralNotTaken, Reason: "Trop loin"}, domain.EINVALID},
		{"reason on done", domain.ReferralChange{Status: domain.ReferralDone, Reason: "trop-loin"}, domain.EINVALID},
		{"reason on cancelled", domain.ReferralChange{Status: domain.ReferralCancelled, Reason: "autre", ReasonText: "x"}, domain.EINVALID},
		{"text on cancelled", domain.ReferralChange{Status: domain.ReferralCancelled, ReasonText: "Doublon"}, ""},
		{"unknown status", domain.ReferralChange{Status: "perdue"}, domain.EINVALID},
		{"no status", domain.ReferralChange{}, domain.EINVALID},
		{"label as status", domain.ReferralChange{Status: "Réalisée"}, domain.EINVALID},
	}
	// Every managed reason is tried and accepted.
	accepted := map[string]bool{}
	for _, tt := range tests {
		if tt.code == "" && tt.change.Status == domain.ReferralNotTaken {
			accepted[tt.change.Reason] = true
		}
	}
	for _, reason := range domain.NonRecoursReasons {
		if !accepted[reason.Code] {
			t.Errorf("reason %q is not tried", reason.Code)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := mustReferralAt(t, db, domain.ReferralGiven, "2026-03-31")
			got, err := db.SetReferralStatus(ctx, r.UUID, tt.change)
			if tt.code != "" {
				wantCode(t, err, tt.code)
				wantFrench(t, err)
				if after := mustReferral(t, db, r.UUID); after.Status != domain.ReferralGiven || len(after.History) != 2 {
					t.Errorf("a refused change left %+v", after)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			last := got.History[len(got.History)-1]
			if last.Reason != tt.change.Reason || last.ReasonText != tt.change.ReasonText {
				t.Errorf("last step = %+v, want the reason of %+v", last, tt.change)
			}
		})
	}
}

// TestDB_ReferralHistory follows one referral through its life, the clock moving between steps.
func TestDB_ReferralHistory(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	u := mustUsager(t, db, "Camille")
	r := newReferral(domain.NewUUID(), u, "", 1)
	mustReferrals(t, db, r)
	created := stored(clock.Now())
	want := []domain.ReferralChange{{Status: domain.ReferralDraft, At: created}}

	steps := []domain.ReferralChange{
		{Status: domain.ReferralGiven, Note: "Fiche imprimée et remise"},
		// At is the store's: a date the caller gives is ignored.
		{Status: domain.ReferralNotTaken, Reason: "autre", ReasonText: "Garde d’enfant le mardi", Note: "À revoir",
			At: t0.AddDate(-1, 0, 0)},
	}
	for _, step := range steps {
		clock.Advance(36 * time.Hour)
		now := stored(clock.Now())
		before := len(changes(t, db))
		got, err := db.SetReferralStatus(ctx, r.UUID, step)
		if err != nil {
			t.Fatal(err)
		}
		wantChanges(t, changes(t, db)[before:], now, change(domain.KindReferral, r.UUID, domain.OpUpsert))
		step.At = now
		want = append(want, step)
		if !reflect.DeepEqual(got.History, want) {
			t.Errorf("history after %s = %+v\nwant %+v", step.Status, got.History, want)
		}
		read := mustReferral(t, db, r.UUID)
		if !reflect.DeepEqual(read, got) {
			t.Errorf("Referral = %+v\nwant what SetReferralStatus returned %+v", read, got)
		}
		if !read.CreatedAt.Equal(created) || !read.UpdatedAt.Equal(now) {
			t.Errorf("created %v, updated %v; want %v, %v", read.CreatedAt, read.UpdatedAt, created, now)
		}
	}
	if n := count(t, db, "referral_event", "referral_uuid = '"+r.UUID+"'"); n != 3 {
		t.Errorf("referral_event holds %d steps, want 3", n)
	}
}

func TestDB_SetFollowUp(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	r := mustReferralAt(t, db, domain.ReferralGiven, "2026-03-31")
	closed := mustReferralAt(t, db, domain.ReferralDone, "2026-03-31")
	created := stored(clock.Now())
	gone := mustReferralAt(t, db, domain.ReferralGiven, "2026-03-31")
	tombstone(t, db, gone.UUID)

	// Each step runs on the database the previous ones left.
	steps := []struct {
		name, uuid, date string
		code             string
		logged           bool
		want             string // follow_up_on afterwards
	}{
		{name: "later", uuid: r.UUID, date: "2026-04-15", logged: true, want: "2026-04-15"},
		{name: "same date", uuid: r.UUID, date: "2026-04-15", want: "2026-04-15"},
		{name: "earlier", uuid: r.UUID, date: "2026-03-02", logged: true, want: "2026-03-02"},
		{name: "no date", uuid: r.UUID, date: "", code: domain.EINVALID, want: "2026-03-02"},
		{name: "31 April", uuid: r.UUID, date: "2026-04-31", code: domain.EINVALID, want: "2026-03-02"},
		{name: "French date", uuid: r.UUID, date: "15/04/2026", code: domain.EINVALID, want: "2026-03-02"},
		{name: "closed referral", uuid: closed.UUID, date: "2026-06-01", logged: true, want: "2026-06-01"},
		{name: "unknown", uuid: domain.NewUUID(), date: "2026-06-01", code: domain.ENOTFOUND},
		{name: "deleted", uuid: gone.UUID, date: "2026-06-01", code: domain.ENOTFOUND},
	}
	updated := map[string]time.Time{r.UUID: created, closed.UUID: created}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			clock.Advance(time.Minute)
			now := stored(clock.Now())
			before := len(changes(t, db))
			err := db.SetFollowUp(ctx, step.uuid, step.date)
			var wantLog []domain.Change
			if step.code != "" {
				wantCode(t, err, step.code)
				wantFrench(t, err)
			} else if err != nil {
				t.Fatal(err)
			}
			if step.logged {
				wantLog = append(wantLog, change(domain.KindReferral, step.uuid, domain.OpUpsert))
				updated[step.uuid] = now
			}
			wantChanges(t, changes(t, db)[before:], now, wantLog...)
			if step.want == "" {
				return
			}
			got := mustReferral(t, db, step.uuid)
			if got.FollowUpOn != step.want || !got.UpdatedAt.Equal(updated[step.uuid]) {
				t.Errorf("follow-up %s updated at %v, want %s at %v", got.FollowUpOn, got.UpdatedAt, step.want, updated[step.uuid])
			}
		})
	}
}

func TestDB_ReferralsOf(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	a, b := mustUsager(t, db, "Camille"), mustUsager(t, db, "Dominique")

	first := domain.NewUUID()
	older := []domain.Referral{newReferral(first, a, "", 1), newReferral(first, a, "", 2)}
	mustReferrals(t, db, older...)
	mustReferrals(t, db, newReferral(domain.NewUUID(), b, "", 3)) // not a’s
	mustReferrals(t, db, newReferral(domain.NewUUID(), "", "", 4))
	clock.Advance(time.Hour)
	newer := newReferral(domain.NewUUID(), a, "", 5)
	mustReferrals(t, db, newer)
	clock.Advance(time.Hour)
	mustStatus(t, db, older[1].UUID, domain.ReferralGiven)
	gone := newReferral(domain.NewUUID(), a, "", 6)
	mustReferrals(t, db, gone)
	tombstone(t, db, gone.UUID)

	got, err := db.ReferralsOf(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if ids, want := uuidsOf(got), []string{newer.UUID, older[0].UUID, older[1].UUID}; !slices.Equal(ids, want) {
		t.Fatalf("ReferralsOf = %v, want %v (most recent first)", ids, want)
	}
	for _, r := range got {
		if want := mustReferral(t, db, r.UUID); !reflect.DeepEqual(r, want) {
			t.Errorf("ReferralsOf gives %+v\nReferral gives %+v", r, want)
		}
	}
	if len(got[2].History) != 2 {
		t.Errorf("history = %+v, want 2 steps", got[2].History)
	}

	for name, id := range map[string]string{"unknown": domain.NewUUID(), "walk-ins": ""} {
		t.Run(name, func(t *testing.T) {
			got, err := db.ReferralsOf(ctx, id)
			if err != nil || len(got) != 0 {
				t.Errorf("ReferralsOf(%q) = %v, %v; want none", id, uuidsOf(got), err)
			}
		})
	}
}

func TestDB_DueReferrals(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	const day = "2026-04-15"

	// One referral per status and follow-up date around the day.
	type key struct{ status, date string }
	made := map[key]domain.Referral{}
	for _, s := range domain.ReferralStatuses {
		for _, date := range []string{"2026-04-14", day, "2026-04-16"} {
			clock.Advance(time.Minute)
			made[key{s.Code, date}] = mustReferralAt(t, db, s.Code, date)
		}
	}
	// Given at creation (one step of history), long overdue, and created before another of the
	// same follow-up date.
	overdue := newReferral(domain.NewUUID(), "", "", 7)
	overdue.Status, overdue.FollowUpOn = domain.ReferralGiven, "2025-12-31"
	mustReferrals(t, db, overdue)
	clock.Advance(time.Minute)
	sameDay := mustReferralAt(t, db, domain.ReferralGiven, "2026-04-14")
	gone := mustReferralAt(t, db, domain.ReferralGiven, "2026-04-01")
	tombstone(t, db, gone.UUID)
	// Given, then its follow-up moved past the day.
	moved := mustReferralAt(t, db, domain.ReferralGiven, "2026-04-01")
	if err := db.SetFollowUp(ctx, moved.UUID, "2026-05-01"); err != nil {
		t.Fatal(err)
	}

	given := func(date string) string { return made[key{domain.ReferralGiven, date}].UUID }
	tests := []struct {
		date string
		want []string
	}{
		{"2025-12-30", nil},
		{"2025-12-31", []string{overdue.UUID}},
		{"2026-04-13", []string{overdue.UUID}},
		{"2026-04-14", []string{overdue.UUID, given("2026-04-14"), sameDay.UUID}},
		{day, []string{overdue.UUID, given("2026-04-14"), sameDay.UUID, given(day)}},
		{"2026-04-16", []string{overdue.UUID, given("2026-04-14"), sameDay.UUID, given(day), given("2026-04-16")}},
		{"2026-05-01", []string{overdue.UUID, given("2026-04-14"), sameDay.UUID, given(day), given("2026-04-16"), moved.UUID}},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			t.Parallel()
			got, err := db.DueReferrals(ctx, tt.date)
			if err != nil {
				t.Fatal(err)
			}
			if ids := uuidsOf(got); !slices.Equal(ids, tt.want) {
				t.Errorf("DueReferrals(%s) = %v\nwant %v", tt.date, ids, tt.want)
			}
			for _, r := range got {
				if want := mustReferral(t, db, r.UUID); !reflect.DeepEqual(r, want) {
					t.Errorf("DueReferrals gives %+v\nReferral gives %+v", r, want)
				}
				if r.Status != domain.ReferralGiven || len(r.History) == 0 {
					t.Errorf("due referral %s: status %s, history %+v", r.UUID, r.Status, r.History)
				}
			}
		})
	}
	for _, date := range []string{"", "2026-04-31", "15/04/2026", "2026-04-15 "} {
		t.Run("invalid "+date, func(t *testing.T) {
			t.Parallel()
			_, err := db.DueReferrals(ctx, date)
			wantCode(t, err, domain.EINVALID)
			wantFrench(t, err)
		})
	}
}

func TestDB_RecentSheets(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	u := mustUsager(t, db, "Camille")

	t.Run("none yet", func(t *testing.T) {
		got, err := db.RecentSheets(ctx, 5)
		if err != nil || len(got) != 0 {
			t.Errorf("RecentSheets = %v, %v; want none", uuidsOf(got), err)
		}
	})

	s1, s2, s3 := domain.NewUUID(), domain.NewUUID(), domain.NewUUID()
	r1 := []domain.Referral{newReferral(s1, u, "", 1), newReferral(s1, u, "", 2)}
	mustReferrals(t, db, r1...)
	clock.Advance(time.Minute)
	r2 := []domain.Referral{newReferral(s2, u, "", 3), newReferral(s2, u, "", 4), newReferral(s2, u, "", 5)}
	mustReferrals(t, db, r2...)
	clock.Advance(time.Minute)
	r3 := newReferral(s3, "", "", 6)
	mustReferrals(t, db, r3)
	clock.Advance(time.Minute)
	// A referral added to the first sheet later neither moves the sheet up nor shows.
	mustReferrals(t, db, newReferral(s1, u, "", 7))
	mustStatus(t, db, r2[0].UUID, domain.ReferralGiven)

	tests := []struct {
		limit int
		want  []string
	}{
		{1, []string{r3.UUID}},
		{2, []string{r3.UUID, r2[0].UUID}},
		{3, []string{r3.UUID, r2[0].UUID, r1[0].UUID}},
		{50, []string{r3.UUID, r2[0].UUID, r1[0].UUID}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.limit), func(t *testing.T) {
			got, err := db.RecentSheets(ctx, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if ids := uuidsOf(got); !slices.Equal(ids, tt.want) {
				t.Errorf("RecentSheets(%d) = %v, want %v", tt.limit, ids, tt.want)
			}
			for _, r := range got {
				if want := mustReferral(t, db, r.UUID); !reflect.DeepEqual(r, want) {
					t.Errorf("RecentSheets gives %+v\nReferral gives %+v", r, want)
				}
			}
		})
	}
	for _, limit := range []int{0, -1} {
		t.Run(fmt.Sprint("invalid ", limit), func(t *testing.T) {
			_, err := db.RecentSheets(ctx, limit)
			wantCode(t, err, domain.EINVALID)
			wantFrench(t, err)
		})
	}
	t.Run("first referral deleted", func(t *testing.T) {
		tombstone(t, db, r2[0].UUID)
		got, err := db.RecentSheets(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if ids, want := uuidsOf(got), []string{r3.UUID, r2[1].UUID, r1[0].UUID}; !slices.Equal(ids, want) {
			t.Errorf("RecentSheets = %v, want %v", ids, want)
		}
	})
}

// TestDB_Referral_NotFound checks every method on an unknown referral and on a deleted one.
func TestDB_Referral_NotFound(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	ctx := context.Background()
	gone := mustReferralAt(t, db, domain.ReferralGiven, "2026-03-31")
	tombstone(t, db, gone.UUID)

	for name, id := range map[string]string{"unknown": domain.NewUUID(), "deleted": gone.UUID} {
		tests := []struct {
			name string
			call func() error
		}{
			{"SetReferralStatus", func() error {
				_, err := db.SetReferralStatus(ctx, id, domain.ReferralChange{Status: domain.ReferralDone})
				return err
			}},
			{"SetFollowUp", func() error { return db.SetFollowUp(ctx, id, "2026-04-01") }},
			{"Sheet", func() error { _, err := db.Sheet(ctx, id); return err }},
		}
		if name == "unknown" {
			tests = append(tests, struct {
				name string
				call func() error
			}{"Referral", func() error { _, err := db.Referral(ctx, id); return err }})
		}
		for _, tt := range tests {
			t.Run(name+" "+tt.name, func(t *testing.T) {
				t.Parallel()
				err := tt.call()
				wantCode(t, err, domain.ENOTFOUND)
				wantFrench(t, err)
			})
		}
	}
	t.Run("deleted Referral is a tombstone", func(t *testing.T) {
		t.Parallel()
		r := mustReferral(t, db, gone.UUID)
		if r.DeletedAt == nil || len(r.History) != 2 {
			t.Errorf("deleted referral read as %+v", r)
		}
	})
}

// TestDetachReferrals checks what DeleteUsager and AnonymiseBefore are to call: the person's
// referrals lose the person and the free texts, keep what the indicators count.
func TestDetachReferrals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// usagers is the SELECT of the files to detach, from the file under test and the cutoff.
		usagers func(u string) (string, []any)
	}{
		{"erasure", func(u string) (string, []any) { return `SELECT ?`, []any{u} }},
		{"retention", func(string) (string, []any) {
			return `SELECT uuid FROM usager WHERE deleted_at IS NULL AND anonymised = 0 AND last_contact_at < ?`,
				[]any{formatTime(t0.Add(time.Hour))}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db, clock := openTest(t)
			ctx := context.Background()
			mustSaveGrid(t, db, testGrid(1))
			u := mustUsager(t, db, "Camille")
			iv := mustInterview(t, db, u)
			sheet := domain.NewUUID()
			rs := []domain.Referral{newReferral(sheet, u, iv, 1), newReferral(sheet, u, iv, 2)}
			mustReferrals(t, db, rs...)
			mustStatus(t, db, rs[0].UUID, domain.ReferralGiven)
			if _, err := db.SetReferralStatus(ctx, rs[0].UUID, domain.ReferralChange{Status: domain.ReferralNotTaken,
				Reason: "autre", ReasonText: "Sa fille est malade", Note: "Rappeler en mai"}); err != nil {
				t.Fatal(err)
			}
			// A file seen later, not concerned.
			clock.Advance(2 * time.Hour)
			keep := mustUsager(t, db, "Dominique")
			kept := newReferral(domain.NewUUID(), keep, "", 3)
			mustReferrals(t, db, kept)
			keptBefore := mustReferral(t, db, kept.UUID)
			var wantRs []domain.Referral
			for _, r := range rs {
				wantRs = append(wantRs, mustReferral(t, db, r.UUID))
			}

			clock.Advance(time.Hour)
			now := stored(clock.Now())
			before := len(changes(t, db))
			query, args := tt.usagers(u)
			if err := db.inWrite(ctx, func(tx *sql.Tx) error {
				return detachReferrals(ctx, tx, query, args, formatTime(now))
			}); err != nil {
				t.Fatal(err)
			}
			wantChanges(t, changes(t, db)[before:], now,
				change(domain.KindReferral, rs[0].UUID, domain.OpUpsert), change(domain.KindReferral, rs[1].UUID, domain.OpUpsert))

			for _, want := range wantRs {
				want.UsagerUUID, want.InterviewUUID, want.Message, want.UpdatedAt = "", "", "", now
				for i := range want.History {
					want.History[i].ReasonText, want.History[i].Note = "", ""
				}
				if got := mustReferral(t, db, want.UUID); !reflect.DeepEqual(got, want) {
					t.Errorf("detached referral = %+v\nwant %+v", got, want)
				}
			}
			if got := mustReferral(t, db, rs[0].UUID); got.History[2].Reason != "autre" || got.Status != domain.ReferralNotTaken {
				t.Errorf("the non-recours lost its reason or status: %+v", got)
			}
			if got := mustReferral(t, db, kept.UUID); !reflect.DeepEqual(got, keptBefore) {
				t.Errorf("another file’s referral changed: %+v\nwas %+v", got, keptBefore)
			}
			if got, err := db.ReferralsOf(ctx, u); err != nil || len(got) != 0 {
				t.Errorf("ReferralsOf a detached file = %v, %v; want none", uuidsOf(got), err)
			}
			if got, err := db.Sheet(ctx, sheet); err != nil || len(got) != 2 {
				t.Errorf("the sheet lost referrals: %v, %v", uuidsOf(got), err)
			}

			// Detaching again finds nothing: no change-log row.
			before = len(changes(t, db))
			if err := db.inWrite(ctx, func(tx *sql.Tx) error {
				return detachReferrals(ctx, tx, query, args, formatTime(now))
			}); err != nil {
				t.Fatal(err)
			}
			if added := changes(t, db)[before:]; len(added) != 0 {
				t.Errorf("detaching again logged %+v", added)
			}
		})
	}
}

// benchReferrals is the size of the benchmark's referral table: years of a busy EDAS desk.
func benchReferrals() int {
	if raceEnabled {
		return 1_000
	}
	return 20_000
}

// fillBenchReferrals makes benchReferrals() referrals through the store, on walk-in sheets of 4: a
// quarter drafts, half given, a quarter given then done; follow-up dates spread over 2026, sheets
// a minute apart.
func fillBenchReferrals(b *testing.B) *DB {
	b.Helper()
	clock := &testClock{t: time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)}
	db, err := Open(filepath.Join(b.TempDir(), "bench.db"), Options{Now: clock.Now})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	n := benchReferrals()
	for s := 0; s < n; s += 4 {
		clock.Advance(time.Minute)
		sheet := domain.NewUUID()
		var rs []domain.Referral
		for i := s; i < s+4 && i < n; i++ {
			r := newReferral(sheet, "", "", i)
			r.FollowUpOn = start.AddDate(0, 0, i%365).Format(time.DateOnly)
			rs = append(rs, r)
		}
		mustReferrals(b, db, rs...)
		for i, r := range rs {
			switch (s + i) % 4 {
			case 1, 2:
				mustStatus(b, db, r.UUID, domain.ReferralGiven)
			case 3:
				mustStatus(b, db, r.UUID, domain.ReferralGiven)
				mustStatus(b, db, r.UUID, domain.ReferralDone)
			}
		}
	}
	return db
}

// BenchmarkDueReferrals lists the referrals due for a follow-up among benchReferrals() referrals
// (fillBenchReferrals): "mid-year" returns about a quarter of them (5,000 without -race) with
// their histories, "january" about 1 in 100.
func BenchmarkDueReferrals(b *testing.B) {
	ctx := context.Background()
	db := fillBenchReferrals(b)
	for _, tt := range []struct{ name, date string }{{"mid-year", "2026-07-01"}, {"january", "2026-01-07"}} {
		b.Run(tt.name, func(b *testing.B) {
			var due int
			for b.Loop() {
				rs, err := db.DueReferrals(ctx, tt.date)
				if err != nil {
					b.Fatal(err)
				}
				if len(rs) == 0 || len(rs[0].History) != 2 {
					b.Fatalf("%d due, the first with history %+v", len(rs), rs[0].History)
				}
				due = len(rs)
			}
			b.ReportMetric(float64(due), "due")
		})
	}
}

// BenchmarkRecentSheets lists the 20 latest sheets among benchReferrals() referrals
// (fillBenchReferrals), as the sheets screen does.
func BenchmarkRecentSheets(b *testing.B) {
	ctx := context.Background()
	db := fillBenchReferrals(b)
	for b.Loop() {
		rs, err := db.RecentSheets(ctx, 20)
		if err != nil {
			b.Fatal(err)
		}
		if len(rs) != 20 {
			b.Fatalf("%d sheets", len(rs))
		}
	}
}
