package sqlite

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// newUsager returns a file with every field set, consent given with the current wording.
func newUsager(name string) domain.Usager {
	return domain.Usager{
		Meta:        domain.Meta{UUID: domain.NewUUID()},
		DisplayName: name, BirthYear: domain.Ptr(1978), Commune: "92040", Household: "parent-seul",
		Contact: "06 12 34 56 78", Notes: "Préfère être appelée le matin.",
		ConsentGiven: true, ConsentAt: domain.Ptr(stored(t0)), ConsentText: domain.ConsentWording,
	}
}

// mustUsager creates a file named name and returns its UUID.
func mustUsager(t testing.TB, db *DB, name string) string {
	t.Helper()
	u := newUsager(name)
	if err := db.CreateUsager(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u.UUID
}

// rawUsager reads a file's row as stored, deleted or not.
func rawUsager(t testing.TB, db *DB, uuid string) domain.Usager {
	t.Helper()
	u, err := scanUsager(db.read.QueryRow(`SELECT `+usagerColumns+` FROM usager WHERE uuid = ?`, uuid))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// wantChanges fails unless added holds exactly the change-log rows want (kind, uuid, op; any
// order), all at the time at.
func wantChanges(t testing.TB, added []domain.Change, at time.Time, want ...domain.Change) {
	t.Helper()
	type key struct{ kind, uuid, op string }
	var got, exp []key
	for _, c := range added {
		got = append(got, key{c.Kind, c.UUID, c.Op})
		if !c.ChangedAt.Equal(at) {
			t.Errorf("change %+v at %v, want %v", c, c.ChangedAt, at)
		}
	}
	for _, c := range want {
		exp = append(exp, key{c.Kind, c.UUID, c.Op})
	}
	cmp := func(a, b key) int {
		switch {
		case a.kind != b.kind:
			return map[bool]int{true: -1, false: 1}[a.kind < b.kind]
		case a.uuid != b.uuid:
			return map[bool]int{true: -1, false: 1}[a.uuid < b.uuid]
		case a.op != b.op:
			return map[bool]int{true: -1, false: 1}[a.op < b.op]
		}
		return 0
	}
	slices.SortFunc(got, cmp)
	slices.SortFunc(exp, cmp)
	if !slices.Equal(got, exp) {
		t.Errorf("change log added %v, want %v", got, exp)
	}
}

func change(kind, uuid, op string) domain.Change {
	return domain.Change{Kind: kind, UUID: uuid, Op: op}
}

func TestDB_CreateUsager(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()

	u := newUsager("Éloïse M.")
	u.Anonymised = true                    // ignored
	u.LastContactAt = t0.AddDate(-5, 0, 0) // ignored: creating the file is a contact
	before := len(changes(t, db))
	if err := db.CreateUsager(ctx, u); err != nil {
		t.Fatal(err)
	}
	now := stored(clock.Now())
	wantChanges(t, changes(t, db)[before:], now, change(domain.KindUsager, u.UUID, domain.OpUpsert))

	want := u
	want.Anonymised, want.LastContactAt = false, now
	want.CreatedAt, want.UpdatedAt = now, now
	got, err := db.Usager(ctx, u.UUID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Usager = %+v\nwant %+v", got, want)
	}

	t.Run("bare file", func(t *testing.T) {
		bare := domain.Usager{Meta: domain.Meta{UUID: domain.NewUUID()}, DisplayName: "A. B."}
		if err := db.CreateUsager(ctx, bare); err != nil {
			t.Fatal(err)
		}
		got, err := db.Usager(ctx, bare.UUID)
		if err != nil {
			t.Fatal(err)
		}
		if got.BirthYear != nil || got.ConsentAt != nil || got.ConsentGiven || got.Contact != "" {
			t.Errorf("bare file read back as %+v", got)
		}
	})

	errs := []struct {
		name string
		u    domain.Usager
		code string
	}{
		{"no uuid", domain.Usager{DisplayName: "X"}, domain.EINVALID},
		{"blank name", domain.Usager{Meta: domain.Meta{UUID: domain.NewUUID()}, DisplayName: " \t"}, domain.EINVALID},
		{"uuid taken", u, domain.ECONFLICT},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			before := len(changes(t, db))
			wantCode(t, db.CreateUsager(ctx, tt.u), tt.code)
			if added := changes(t, db)[before:]; len(added) != 0 {
				t.Errorf("change log added %+v after an error", added)
			}
		})
	}
	t.Run("unknown", func(t *testing.T) {
		_, err := db.Usager(ctx, domain.NewUUID())
		wantCode(t, err, domain.ENOTFOUND)
	})
}

func TestDB_UpdateUsager(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()

	withConsent := newUsager("Camille")
	noConsent := domain.Usager{Meta: domain.Meta{UUID: domain.NewUUID()}, DisplayName: "Sans consentement"}
	deleted := newUsager("Supprimé")
	for _, u := range []domain.Usager{withConsent, noConsent, deleted} {
		if err := db.CreateUsager(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	created := stored(clock.Now())
	if err := db.DeleteUsager(ctx, deleted.UUID); err != nil {
		t.Fatal(err)
	}

	consentAt := stored(t0.AddDate(0, 0, 3))
	tests := []struct {
		name string
		u    domain.Usager
		want func(u domain.Usager) domain.Usager // what Usager reads back, from u
		code string
	}{
		{
			name: "fields replaced, consent kept",
			u: domain.Usager{Meta: withConsent.Meta, DisplayName: "Camille R.", Commune: "92075", Household: "seul",
				Contact: "camille@exemple.fr", Notes: "", ConsentGiven: false, ConsentText: "autre texte"},
			want: func(u domain.Usager) domain.Usager {
				u.ConsentGiven, u.ConsentAt, u.ConsentText = true, withConsent.ConsentAt, withConsent.ConsentText
				return u
			},
		},
		{
			name: "consent given later is recorded",
			u: domain.Usager{Meta: noConsent.Meta, DisplayName: "Sans consentement", BirthYear: domain.Ptr(1990),
				ConsentGiven: true, ConsentAt: &consentAt, ConsentText: domain.ConsentWording},
			want: func(u domain.Usager) domain.Usager { return u },
		},
		{name: "unknown", u: domain.Usager{Meta: domain.Meta{UUID: domain.NewUUID()}, DisplayName: "X"}, code: domain.ENOTFOUND},
		{name: "deleted", u: domain.Usager{Meta: deleted.Meta, DisplayName: "X"}, code: domain.ENOTFOUND},
		{name: "blank name", u: domain.Usager{Meta: withConsent.Meta, DisplayName: ""}, code: domain.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock.Advance(time.Hour)
			before := len(changes(t, db))
			err := db.UpdateUsager(ctx, tt.u)
			added := changes(t, db)[before:]
			if tt.code != "" {
				wantCode(t, err, tt.code)
				if len(added) != 0 {
					t.Errorf("change log added %+v after an error", added)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			now := stored(clock.Now())
			wantChanges(t, added, now, change(domain.KindUsager, tt.u.UUID, domain.OpUpsert))
			want := tt.want(tt.u)
			want.CreatedAt, want.UpdatedAt, want.LastContactAt = created, now, created
			got, err := db.Usager(ctx, tt.u.UUID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Usager = %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestDB_Usagers_Search(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	// Created a minute apart: the last created is the most recent contact.
	names := []string{"Éloïse Martin", "Cœur de Lion", "Jean-Marc D.", "ÉLOÏSE B.", "Noël", "Supprimée Éloïse"}
	uuids := map[string]string{}
	for _, n := range names {
		clock.Advance(time.Minute)
		uuids[n] = mustUsager(t, db, n)
	}
	if err := db.DeleteUsager(ctx, uuids["Supprimée Éloïse"]); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		query string
		want  []string // names, most recent contact first
	}{
		{"", []string{"Noël", "ÉLOÏSE B.", "Jean-Marc D.", "Cœur de Lion", "Éloïse Martin"}},
		{"   ", []string{"Noël", "ÉLOÏSE B.", "Jean-Marc D.", "Cœur de Lion", "Éloïse Martin"}},
		{"eloise", []string{"ÉLOÏSE B.", "Éloïse Martin"}},
		{"Éloïse", []string{"ÉLOÏSE B.", "Éloïse Martin"}},
		{"coeur", []string{"Cœur de Lion"}},
		{"CŒUR", []string{"Cœur de Lion"}},
		{"de li", []string{"Cœur de Lion"}},
		{"jean marc", []string{"Jean-Marc D."}},
		{"jean-marc", []string{"Jean-Marc D."}},
		{"noel", []string{"Noël"}},
		{"supprim", nil},
		{"zzz", nil},
		{"%", []string{"Noël", "ÉLOÏSE B.", "Jean-Marc D.", "Cœur de Lion", "Éloïse Martin"}}, // folds to nothing
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			list, err := db.Usagers(ctx, tt.query)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range list {
				got = append(got, s.DisplayName)
				if s.UUID != uuids[s.DisplayName] {
					t.Errorf("%s has UUID %s, want %s", s.DisplayName, s.UUID, uuids[s.DisplayName])
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Usagers(%q) = %q, want %q", tt.query, got, tt.want)
			}
		})
	}
}

func TestDB_Usagers_Summary(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustSaveGrid(t, db, testGrid(1))
	// Today is 2026-03-01 on the test clock.
	day := func(d string) time.Time {
		tm, err := time.Parse(time.DateOnly, d)
		if err != nil {
			t.Fatal(err)
		}
		return tm.Add(10 * time.Hour)
	}

	type iv struct {
		started  string // date
		next     string
		complete bool
	}
	tests := []struct {
		name       string
		interviews []iv
		wantLast   string // date of the last interview, "" for none
		wantOpen   int    // index of the open interview, -1 for none
		wantNext   string
	}{
		{name: "no interview", wantOpen: -1},
		{name: "one in progress, next planned", interviews: []iv{{started: "2026-02-20", next: "2026-03-15"}},
			wantLast: "2026-02-20", wantOpen: 0, wantNext: "2026-03-15"},
		{name: "planned today", interviews: []iv{{started: "2026-02-20", next: "2026-03-01", complete: true}},
			wantLast: "2026-02-20", wantOpen: -1, wantNext: "2026-03-01"},
		{name: "overdue stays", interviews: []iv{{started: "2026-01-10", next: "2026-02-10", complete: true}},
			wantLast: "2026-01-10", wantOpen: -1, wantNext: "2026-02-10"},
		{name: "past date met by a later interview", interviews: []iv{
			{started: "2026-01-10", next: "2026-02-10", complete: true}, {started: "2026-02-10", complete: true}},
			wantLast: "2026-02-10", wantOpen: -1},
		{name: "met, then a new date", interviews: []iv{
			{started: "2026-01-10", next: "2026-02-10", complete: true}, {started: "2026-02-12", next: "2026-04-02"}},
			wantLast: "2026-02-12", wantOpen: 1, wantNext: "2026-04-02"},
		{name: "overdue though seen before the date", interviews: []iv{
			{started: "2026-01-10", next: "2026-02-20", complete: true}, {started: "2026-02-01", complete: true}},
			wantLast: "2026-02-01", wantOpen: -1, wantNext: "2026-02-20"},
		{name: "earliest of future dates", interviews: []iv{
			{started: "2026-01-10", next: "2026-05-01", complete: true}, {started: "2026-02-12", next: "2026-03-20"}},
			wantLast: "2026-02-12", wantOpen: 1, wantNext: "2026-03-20"},
		{name: "overdue before future", interviews: []iv{
			{started: "2026-01-10", next: "2026-05-01", complete: true}, {started: "2026-02-02", next: "2026-02-25", complete: true}},
			wantLast: "2026-02-02", wantOpen: -1, wantNext: "2026-02-25"},
		{name: "most recent open interview", interviews: []iv{{started: "2026-01-10"}, {started: "2026-02-12"}},
			wantLast: "2026-02-12", wantOpen: 1},
	}
	files := map[string]string{}
	ivs := map[string][]string{}
	for _, tt := range tests {
		u := mustUsager(t, db, tt.name)
		files[tt.name] = u
		for _, x := range tt.interviews {
			id := domain.NewUUID()
			if err := db.StartInterview(ctx, domain.Interview{Meta: domain.Meta{UUID: id}, UsagerUUID: u,
				GridID: testGridID, GridVersion: 1, StartedAt: day(x.started), NextContact: x.next}); err != nil {
				t.Fatal(err)
			}
			if x.complete {
				if _, err := db.CompleteInterview(ctx, id); err != nil {
					t.Fatal(err)
				}
			}
			ivs[tt.name] = append(ivs[tt.name], id)
		}
	}
	// A deleted file's dates count for nobody.
	gone := mustUsager(t, db, "supprimé")
	if err := db.StartInterview(ctx, domain.Interview{Meta: domain.Meta{UUID: domain.NewUUID()}, UsagerUUID: gone,
		GridID: testGridID, GridVersion: 1, NextContact: "2026-03-02"}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteUsager(ctx, gone); err != nil {
		t.Fatal(err)
	}

	list, err := db.Usagers(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(tests) {
		t.Fatalf("Usagers listed %d files, want %d", len(list), len(tests))
	}
	byUUID := map[string]domain.UsagerSummary{}
	for _, s := range list {
		byUUID[s.UUID] = s
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := byUUID[files[tt.name]]
			var last string
			if s.LastInterviewAt != nil {
				last = s.LastInterviewAt.Format(time.DateOnly)
			}
			if last != tt.wantLast {
				t.Errorf("LastInterviewAt = %v, want %s", s.LastInterviewAt, tt.wantLast)
			}
			wantOpen := ""
			if tt.wantOpen >= 0 {
				wantOpen = ivs[tt.name][tt.wantOpen]
			}
			if s.OpenInterview != wantOpen {
				t.Errorf("OpenInterview = %q, want %q", s.OpenInterview, wantOpen)
			}
			if s.NextContact != tt.wantNext {
				t.Errorf("NextContact = %q, want %q", s.NextContact, tt.wantNext)
			}
			if s.Commune != "92040" || s.DisplayName != tt.name {
				t.Errorf("summary %+v does not carry the file’s name and commune", s)
			}
		})
	}
	t.Run("most recent contact first", func(t *testing.T) {
		// Every file was created at the same clock time; the interviews dated in the past do not
		// move a contact backwards, so the order falls back to UUIDs: check the contacts only.
		for i := 1; i < len(list); i++ {
			if list[i].LastContactAt.After(list[i-1].LastContactAt) {
				t.Errorf("%s (%v) listed after %s (%v)", list[i].DisplayName, list[i].LastContactAt,
					list[i-1].DisplayName, list[i-1].LastContactAt)
			}
		}
		clock.Advance(time.Hour)
		if _, err := db.SaveAnswer(ctx, domain.Answer{InterviewUUID: ivs["most recent open interview"][0],
			QuestionID: "liens-auto", Value: num(2)}, ""); err != nil {
			t.Fatal(err)
		}
		list, err := db.Usagers(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if list[0].UUID != files["most recent open interview"] || !list[0].LastContactAt.Equal(stored(clock.Now())) {
			t.Errorf("after an answer, first file is %+v, want %q contacted now", list[0], "most recent open interview")
		}
	})
}

// fullFile is a file with one completed interview holding every kind of answer, a corrected
// ordinary and a corrected sensitive answer (so a history row of each), and two selections.
type fullFile struct {
	usager, interview string
}

func mustFullFile(t testing.TB, db *DB, clock *testClock, name string) fullFile {
	t.Helper()
	ctx := context.Background()
	f := fullFile{usager: mustUsager(t, db, name), interview: domain.NewUUID()}
	if err := db.StartInterview(ctx, domain.Interview{Meta: domain.Meta{UUID: f.interview}, UsagerUUID: f.usager,
		GridID: testGridID, GridVersion: 1}); err != nil {
		t.Fatal(err)
	}
	for _, a := range fullAnswers(f.interview) {
		mustAnswer(t, db, a)
	}
	if _, err := db.CompleteInterview(ctx, f.interview); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	mustAnswer(t, db, domain.Answer{InterviewUUID: f.interview, QuestionID: "liens-mots", Value: text("Corrigé : voit sa sœur.")})
	mustAnswer(t, db, domain.Answer{InterviewUUID: f.interview, QuestionID: "liens-sorties", Value: choices("cafe")})
	mustAnswer(t, db, domain.Answer{InterviewUUID: f.interview, QuestionID: "sante-auto", Value: num(3), Sensitive: true})
	for _, sv := range []string{"service-1", "service-2"} {
		if err := db.SetSelection(ctx, domain.Selection{InterviewUUID: f.interview, ServiceUUID: sv, Why: "Proche"}, true); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// fullAnswers answers every question of testGrid(1).
func fullAnswers(iv string) []domain.Answer {
	return []domain.Answer{
		{InterviewUUID: iv, QuestionID: "liens-auto", Value: num(2), WorkerRating: domain.Ptr(3)},
		{InterviewUUID: iv, QuestionID: "liens-sorties", Value: choices("marche", "association")},
		{InterviewUUID: iv, QuestionID: "liens-isole", Value: text(domain.Yes)},
		{InterviewUUID: iv, QuestionID: "liens-mots", Value: text("Ne voit plus personne depuis le déménagement.")},
		{InterviewUUID: iv, QuestionID: "emploi-situation", Value: text("recherche")},
		{InterviewUUID: iv, QuestionID: "emploi-mois", Value: num(14)},
		{InterviewUUID: iv, QuestionID: "emploi-metier", Value: text("Aide-cuisinière chez Dupont")},
		{InterviewUUID: iv, QuestionID: "sante-auto", Value: num(1), Sensitive: true},
		{InterviewUUID: iv, QuestionID: "sante-suivi", Value: text(domain.No), Sensitive: true},
		{InterviewUUID: iv, QuestionID: "sante-mots", Value: text("Diabète mal suivi."), Sensitive: true},
	}
}

func TestDB_DeleteUsager(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustSaveGrid(t, db, testGrid(1))
	f := mustFullFile(t, db, clock, "Éloïse")
	kept := mustFullFile(t, db, clock, "Autre personne")
	if err := db.SetNextContact(ctx, f.interview, "2026-04-01"); err != nil {
		t.Fatal(err)
	}

	clock.Advance(time.Hour)
	before := len(changes(t, db))
	if err := db.DeleteUsager(ctx, f.usager); err != nil {
		t.Fatal(err)
	}
	now := stored(clock.Now())

	t.Run("change log", func(t *testing.T) {
		want := []domain.Change{change(domain.KindUsager, f.usager, domain.OpDelete),
			change(domain.KindInterview, f.interview, domain.OpDelete),
			change(domain.KindSelection, f.interview+":service-1", domain.OpDelete),
			change(domain.KindSelection, f.interview+":service-2", domain.OpDelete)}
		for _, a := range fullAnswers(f.interview) {
			want = append(want, change(domain.KindAnswer, f.interview+":"+a.QuestionID, domain.OpDelete))
		}
		wantChanges(t, changes(t, db)[before:], now, want...)
	})
	t.Run("file erased", func(t *testing.T) {
		if _, err := db.Usager(ctx, f.usager); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("Usager of a deleted file: %v, want ENOTFOUND", err)
		}
		u := rawUsager(t, db, f.usager)
		want := domain.Usager{Meta: domain.Meta{UUID: f.usager, CreatedAt: u.CreatedAt, UpdatedAt: now, DeletedAt: &now},
			DisplayName: domain.DeletedName, ConsentGiven: true, ConsentAt: domain.Ptr(stored(t0)), LastContactAt: u.LastContactAt}
		if !reflect.DeepEqual(u, want) {
			t.Errorf("stored file = %+v\nwant %+v", u, want)
		}
		var key string
		if err := db.read.QueryRow(`SELECT display_key FROM usager WHERE uuid = ?`, f.usager).Scan(&key); err != nil || key != "dossier supprime" {
			t.Errorf("display_key = %q, %v", key, err)
		}
	})
	t.Run("answers, history and selections gone", func(t *testing.T) {
		for _, table := range []string{"answer", "answer_sensitive", "answer_history", "selection"} {
			if n := count(t, db, table, "interview_uuid = '"+f.interview+"'"); n != 0 {
				t.Errorf("%s keeps %d rows of the deleted file", table, n)
			}
			if n := count(t, db, table, "interview_uuid = '"+kept.interview+"'"); n == 0 {
				t.Errorf("%s lost the rows of another file", table)
			}
		}
	})
	t.Run("interview tombstone", func(t *testing.T) {
		iv, err := db.Interview(ctx, f.interview)
		if err != nil {
			t.Fatal(err)
		}
		if iv.DeletedAt == nil || !iv.DeletedAt.Equal(now) || iv.NextContact != "" {
			t.Errorf("interview of a deleted file = %+v, want deleted now, no next contact", iv)
		}
		if ivs, err := db.InterviewsOf(ctx, f.usager); err != nil || len(ivs) != 0 {
			t.Errorf("InterviewsOf = %+v, %v; want none", ivs, err)
		}
		if as, err := db.Answers(ctx, f.interview, true); err != nil || len(as) != 0 {
			t.Errorf("Answers = %+v, %v; want none", as, err)
		}
	})
	t.Run("writes refused", func(t *testing.T) {
		_, err := db.SaveAnswer(ctx, domain.Answer{InterviewUUID: f.interview, QuestionID: "liens-auto", Value: num(1)}, "")
		wantCode(t, err, domain.ENOTFOUND)
		wantCode(t, db.SetNextContact(ctx, f.interview, "2026-05-01"), domain.ENOTFOUND)
		wantCode(t, db.SetSelection(ctx, domain.Selection{InterviewUUID: f.interview, ServiceUUID: "s"}, true), domain.ENOTFOUND)
		_, err = db.CompleteInterview(ctx, f.interview)
		wantCode(t, err, domain.ENOTFOUND)
		err = db.StartInterview(ctx, domain.Interview{Meta: domain.Meta{UUID: domain.NewUUID()}, UsagerUUID: f.usager,
			GridID: testGridID, GridVersion: 1})
		wantCode(t, err, domain.ENOTFOUND)
	})
	t.Run("other file untouched", func(t *testing.T) {
		u, err := db.Usager(ctx, kept.usager)
		if err != nil || u.DisplayName != "Autre personne" || u.Contact == "" {
			t.Errorf("other file = %+v, %v", u, err)
		}
		if as, err := db.Answers(ctx, kept.interview, true); err != nil || len(as) != 10 {
			t.Errorf("other file has %d answers, %v; want 10", len(as), err)
		}
	})
	t.Run("deleting again does nothing", func(t *testing.T) {
		before := len(changes(t, db))
		if err := db.DeleteUsager(ctx, f.usager); err != nil {
			t.Fatal(err)
		}
		if added := changes(t, db)[before:]; len(added) != 0 {
			t.Errorf("change log added %+v", added)
		}
	})
	t.Run("unknown", func(t *testing.T) {
		wantCode(t, db.DeleteUsager(ctx, domain.NewUUID()), domain.ENOTFOUND)
	})
}

func TestDB_AnonymiseBefore(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustSaveGrid(t, db, testGrid(1))

	old := mustFullFile(t, db, clock, "Ancienne")
	oldBare := mustUsager(t, db, "Ancienne sans entretien")
	deleted := mustFullFile(t, db, clock, "Supprimée")
	if err := db.DeleteUsager(ctx, deleted.usager); err != nil {
		t.Fatal(err)
	}
	clock.Advance(24 * time.Hour)
	boundary := mustUsager(t, db, "Contact à la limite")
	limit := stored(clock.Now())
	clock.Advance(24 * time.Hour)
	recent := mustFullFile(t, db, clock, "Récente")

	oldBefore := rawUsager(t, db, old.usager)
	clock.Advance(time.Hour)
	before := len(changes(t, db))
	n, err := db.AnonymiseBefore(ctx, limit)
	if err != nil {
		t.Fatal(err)
	}
	now := stored(clock.Now())
	if n != 2 {
		t.Errorf("AnonymiseBefore = %d, want 2 (the two old live files)", n)
	}

	t.Run("change log", func(t *testing.T) {
		want := []domain.Change{change(domain.KindUsager, old.usager, domain.OpUpsert),
			change(domain.KindUsager, oldBare, domain.OpUpsert)}
		for _, q := range []string{"liens-mots", "emploi-metier", "sante-auto", "sante-suivi", "sante-mots"} {
			want = append(want, change(domain.KindAnswer, old.interview+":"+q, domain.OpDelete))
		}
		wantChanges(t, changes(t, db)[before:], now, want...)
	})
	t.Run("personal fields erased, the rest kept", func(t *testing.T) {
		got, err := db.Usager(ctx, old.usager)
		if err != nil {
			t.Fatal(err)
		}
		want := oldBefore
		want.DisplayName, want.BirthYear, want.Contact, want.Notes = domain.AnonymousName, nil, "", ""
		want.Anonymised, want.UpdatedAt = true, now
		if !reflect.DeepEqual(got, want) {
			t.Errorf("anonymised file = %+v\nwant %+v", got, want)
		}
		if !got.LastContactAt.Before(limit) {
			t.Errorf("last contact moved to %v", got.LastContactAt)
		}
	})
	t.Run("choices and self-assessments stay, free text and health go", func(t *testing.T) {
		as, err := db.Answers(ctx, old.interview, true)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range as {
			got = append(got, a.QuestionID)
		}
		want := []string{"liens-auto", "liens-sorties", "liens-isole", "emploi-situation", "emploi-mois"}
		if !slices.Equal(got, want) {
			t.Errorf("answers kept = %q, want %q", got, want)
		}
		if as[0].WorkerRating == nil || *as[0].WorkerRating != 3 {
			t.Errorf("the worker’s rating was lost: %+v", as[0])
		}
		if n := count(t, db, "answer_sensitive", "interview_uuid = '"+old.interview+"'"); n != 0 {
			t.Errorf("answer_sensitive keeps %d rows of the anonymised file", n)
		}
		hist, err := db.AnswerHistory(ctx, old.interview, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 1 || hist[0].QuestionID != "liens-sorties" {
			t.Errorf("history kept = %+v, want only the former choices", hist)
		}
		if sel, err := db.Selections(ctx, old.interview); err != nil || len(sel) != 2 {
			t.Errorf("selections = %+v, %v; want both kept", sel, err)
		}
	})
	t.Run("recent and boundary files untouched", func(t *testing.T) {
		for _, u := range []string{recent.usager, boundary} {
			got, err := db.Usager(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			if got.Anonymised || got.DisplayName == domain.AnonymousName || got.Contact == "" {
				t.Errorf("file %s was anonymised: %+v", got.DisplayName, got)
			}
		}
		if as, err := db.Answers(ctx, recent.interview, true); err != nil || len(as) != 10 {
			t.Errorf("recent file has %d answers, %v; want 10", len(as), err)
		}
	})
	t.Run("deleted file not counted", func(t *testing.T) {
		if u := rawUsager(t, db, deleted.usager); u.Anonymised || u.DisplayName != domain.DeletedName {
			t.Errorf("deleted file = %+v", u)
		}
	})
	t.Run("again: nothing more", func(t *testing.T) {
		before := len(changes(t, db))
		n, err := db.AnonymiseBefore(ctx, limit)
		if err != nil || n != 0 {
			t.Errorf("AnonymiseBefore again = %d, %v; want 0", n, err)
		}
		if added := changes(t, db)[before:]; len(added) != 0 {
			t.Errorf("change log added %+v", added)
		}
	})
	t.Run("listed as anonymous", func(t *testing.T) {
		list, err := db.Usagers(ctx, "anonymise")
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 {
			t.Errorf("Usagers(anonymise) = %+v, want the 2 anonymised files", list)
		}
		if list, _ := db.Usagers(ctx, "ancienne"); len(list) != 0 {
			t.Errorf("the former names are still found: %+v", list)
		}
	})
	t.Run("sub-millisecond limit", func(t *testing.T) {
		// The boundary file's contact is exactly limit: a limit a microsecond later takes it.
		n, err := db.AnonymiseBefore(ctx, limit.Add(time.Microsecond))
		if err != nil || n != 1 {
			t.Errorf("AnonymiseBefore(limit+1µs) = %d, %v; want 1", n, err)
		}
	})
}
