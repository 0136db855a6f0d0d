package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

func text(s string) domain.AnswerValue        { return domain.AnswerValue{Text: s} }
func num(f float64) domain.AnswerValue        { return domain.AnswerValue{Number: &f} }
func choices(cs ...string) domain.AnswerValue { return domain.AnswerValue{Choices: cs} }
func mustAnswer(t testing.TB, db *DB, a domain.Answer) domain.Answer {
	t.Helper()
	saved, err := db.SaveAnswer(context.Background(), a, "")
	if err != nil {
		t.Fatal(err)
	}
	return saved
}

// mustInterview starts an interview of testGrid(1) for usager and returns its UUID.
func mustInterview(t testing.TB, db *DB, usager string) string {
	t.Helper()
	id := domain.NewUUID()
	if err := db.StartInterview(context.Background(), domain.Interview{Meta: domain.Meta{UUID: id}, UsagerUUID: usager,
		GridID: testGridID, GridVersion: 1}); err != nil {
		t.Fatal(err)
	}
	return id
}

// answerOf returns the answer to question among as, and whether there is one.
func answerOf(as []domain.Answer, question string) (domain.Answer, bool) {
	for _, a := range as {
		if a.QuestionID == question {
			return a, true
		}
	}
	return domain.Answer{}, false
}

func TestDB_StartInterview(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustSaveGrid(t, db, testGrid(1))
	u := mustUsager(t, db, "Camille")
	gone := mustUsager(t, db, "Supprimé")
	if err := db.DeleteUsager(ctx, gone); err != nil {
		t.Fatal(err)
	}

	clock.Advance(time.Minute)
	iv := domain.Interview{Meta: domain.Meta{UUID: domain.NewUUID()}, UsagerUUID: u, GridID: testGridID, GridVersion: 1,
		Status: domain.InterviewCompleted, CompletedAt: domain.Ptr(t0), CurrentDomain: "liens", NextContact: "2026-03-10"}
	before := len(changes(t, db))
	if err := db.StartInterview(ctx, iv); err != nil {
		t.Fatal(err)
	}
	now := stored(clock.Now())
	wantChanges(t, changes(t, db)[before:], now,
		change(domain.KindInterview, iv.UUID, domain.OpUpsert), change(domain.KindUsager, u, domain.OpUpsert))

	t.Run("read back in progress", func(t *testing.T) {
		want := iv
		want.Status, want.CompletedAt, want.StartedAt = domain.InterviewInProgress, nil, now
		want.CreatedAt, want.UpdatedAt = now, now
		got, err := db.Interview(ctx, iv.UUID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Interview = %+v\nwant %+v", got, want)
		}
		if f, err := db.Usager(ctx, u); err != nil || !f.LastContactAt.Equal(now) {
			t.Errorf("last contact = %v, %v; want %v", f.LastContactAt, err, now)
		}
	})

	t.Run("recorded after the fact", func(t *testing.T) {
		clock.Advance(time.Minute)
		past := domain.Interview{Meta: domain.Meta{UUID: domain.NewUUID()}, UsagerUUID: u, GridID: testGridID, GridVersion: 1,
			StartedAt: t0.AddDate(0, 0, -7)}
		before := len(changes(t, db))
		if err := db.StartInterview(ctx, past); err != nil {
			t.Fatal(err)
		}
		// The last contact does not move back: only the interview is logged.
		wantChanges(t, changes(t, db)[before:], stored(clock.Now()), change(domain.KindInterview, past.UUID, domain.OpUpsert))
		ivs, err := db.InterviewsOf(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if len(ivs) != 2 || ivs[0].UUID != past.UUID || ivs[1].UUID != iv.UUID {
			t.Errorf("InterviewsOf = %+v, want the past interview first", ivs)
		}
		if !ivs[0].StartedAt.Equal(stored(past.StartedAt)) {
			t.Errorf("StartedAt = %v, want %v", ivs[0].StartedAt, stored(past.StartedAt))
		}
	})

	errs := []struct {
		name string
		iv   domain.Interview
		code string
	}{
		{"no uuid", domain.Interview{UsagerUUID: u, GridID: testGridID, GridVersion: 1}, domain.EINVALID},
		{"unknown usager", domain.Interview{UsagerUUID: domain.NewUUID(), GridID: testGridID, GridVersion: 1}, domain.ENOTFOUND},
		{"deleted usager", domain.Interview{UsagerUUID: gone, GridID: testGridID, GridVersion: 1}, domain.ENOTFOUND},
		{"unknown grid version", domain.Interview{UsagerUUID: u, GridID: testGridID, GridVersion: 2}, domain.ENOTFOUND},
		{"unknown grid", domain.Interview{UsagerUUID: u, GridID: "inconnue", GridVersion: 1}, domain.ENOTFOUND},
		{"bad next contact", domain.Interview{UsagerUUID: u, GridID: testGridID, GridVersion: 1, NextContact: "10/03/2026"}, domain.EINVALID},
		{"uuid taken", domain.Interview{Meta: iv.Meta, UsagerUUID: u, GridID: testGridID, GridVersion: 1}, domain.ECONFLICT},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			if tt.iv.UUID == "" && tt.code != domain.EINVALID {
				tt.iv.UUID = domain.NewUUID()
			}
			before := len(changes(t, db))
			wantCode(t, db.StartInterview(ctx, tt.iv), tt.code)
			if added := changes(t, db)[before:]; len(added) != 0 {
				t.Errorf("change log added %+v after an error", added)
			}
		})
	}
	t.Run("unknown interview", func(t *testing.T) {
		_, err := db.Interview(ctx, domain.NewUUID())
		wantCode(t, err, domain.ENOTFOUND)
	})
	t.Run("interviews of an unknown file", func(t *testing.T) {
		if ivs, err := db.InterviewsOf(ctx, domain.NewUUID()); err != nil || len(ivs) != 0 {
			t.Errorf("InterviewsOf = %+v, %v; want none", ivs, err)
		}
	})
}

func TestDB_SaveAnswer(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustSaveGrid(t, db, testGrid(1))
	u := mustUsager(t, db, "Camille")
	iv := mustInterview(t, db, u)

	var first time.Time // when the first answer was given
	// Each step runs on the database the previous ones left.
	steps := []struct {
		name          string
		answer        domain.Answer
		currentDomain string
		want          func(now time.Time) domain.Answer // SaveAnswer's result
		stored        bool                              // Answers then holds the result
		logAnswer     string                            // op of the answer’s change-log row, "" for none
		wantDomain    string
	}{
		{
			name:   "scale with the worker’s rating",
			answer: domain.Answer{QuestionID: "liens-auto", Value: num(2), WorkerRating: domain.Ptr(3)},
			want: func(now time.Time) domain.Answer {
				first = now
				return domain.Answer{QuestionID: "liens-auto", Value: num(2), WorkerRating: domain.Ptr(3), AnsweredAt: now}
			},
			stored: true, logAnswer: domain.OpUpsert, wantDomain: "liens",
		},
		{
			name: "multiple choice, the worker moved on", answer: domain.Answer{QuestionID: "liens-sorties", Value: choices("marche", "cafe")},
			currentDomain: "emploi",
			want: func(now time.Time) domain.Answer {
				return domain.Answer{QuestionID: "liens-sorties", Value: choices("marche", "cafe"), AnsweredAt: now}
			},
			stored: true, logAnswer: domain.OpUpsert, wantDomain: "emploi",
		},
		{
			name: "number", answer: domain.Answer{QuestionID: "emploi-mois", Value: num(14.5)},
			want: func(now time.Time) domain.Answer {
				return domain.Answer{QuestionID: "emploi-mois", Value: num(14.5), AnsweredAt: now}
			},
			stored: true, logAnswer: domain.OpUpsert, wantDomain: "emploi",
		},
		{
			name: "same answer again keeps its time", answer: domain.Answer{QuestionID: "liens-auto", Value: num(2), WorkerRating: domain.Ptr(3)},
			want: func(time.Time) domain.Answer {
				return domain.Answer{QuestionID: "liens-auto", Value: num(2), WorkerRating: domain.Ptr(3), AnsweredAt: first}
			},
			stored: true, wantDomain: "liens",
		},
		{
			name: "rating changed", answer: domain.Answer{QuestionID: "liens-auto", Value: num(2), WorkerRating: domain.Ptr(1)},
			want: func(now time.Time) domain.Answer {
				return domain.Answer{QuestionID: "liens-auto", Value: num(2), WorkerRating: domain.Ptr(1), AnsweredAt: now}
			},
			stored: true, logAnswer: domain.OpUpsert, wantDomain: "liens",
		},
		{
			name: "text in the person’s words", answer: domain.Answer{QuestionID: "liens-mots", Value: text("« Je vois ma sœur le dimanche… »\nC’est tout.")},
			want: func(now time.Time) domain.Answer {
				return domain.Answer{QuestionID: "liens-mots", Value: text("« Je vois ma sœur le dimanche… »\nC’est tout."), AnsweredAt: now}
			},
			stored: true, logAnswer: domain.OpUpsert, wantDomain: "liens",
		},
		{
			name: "cleared", answer: domain.Answer{QuestionID: "liens-sorties"},
			want:      func(now time.Time) domain.Answer { return domain.Answer{QuestionID: "liens-sorties", AnsweredAt: now} },
			logAnswer: domain.OpDelete, wantDomain: "liens",
		},
		{
			name: "cleared again", answer: domain.Answer{QuestionID: "liens-sorties", Value: domain.AnswerValue{Choices: []string{}}},
			want:       func(now time.Time) domain.Answer { return domain.Answer{QuestionID: "liens-sorties", AnsweredAt: now} },
			wantDomain: "liens",
		},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			clock.Advance(time.Minute)
			now := stored(clock.Now())
			step.answer.InterviewUUID = iv
			before := len(changes(t, db))
			got, err := db.SaveAnswer(ctx, step.answer, step.currentDomain)
			if err != nil {
				t.Fatal(err)
			}
			want := step.want(now)
			want.InterviewUUID = iv
			if !reflect.DeepEqual(got, want) {
				t.Errorf("SaveAnswer = %+v, want %+v", got, want)
			}

			as, err := db.Answers(ctx, iv, false)
			if err != nil {
				t.Fatal(err)
			}
			inStore, ok := answerOf(as, step.answer.QuestionID)
			if ok != step.stored || ok && !reflect.DeepEqual(inStore, want) {
				t.Errorf("Answers holds %+v (%v), want %+v (%v)", inStore, ok, want, step.stored)
			}

			wantLog := []domain.Change{change(domain.KindInterview, iv, domain.OpUpsert), change(domain.KindUsager, u, domain.OpUpsert)}
			if step.logAnswer != "" {
				wantLog = append(wantLog, change(domain.KindAnswer, iv+":"+step.answer.QuestionID, step.logAnswer))
			}
			wantChanges(t, changes(t, db)[before:], now, wantLog...)

			got2, err := db.Interview(ctx, iv)
			if err != nil {
				t.Fatal(err)
			}
			if got2.CurrentDomain != step.wantDomain || !got2.UpdatedAt.Equal(now) {
				t.Errorf("interview current domain %q updated %v, want %q now", got2.CurrentDomain, got2.UpdatedAt, step.wantDomain)
			}
			f, err := db.Usager(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			if !f.LastContactAt.Equal(now) {
				t.Errorf("last contact = %v, want %v", f.LastContactAt, now)
			}
		})
	}
	t.Run("answers in the grid’s order", func(t *testing.T) {
		as, err := db.Answers(ctx, iv, true)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range as {
			got = append(got, a.QuestionID)
		}
		if want := []string{"liens-auto", "liens-mots", "emploi-mois"}; !reflect.DeepEqual(got, want) {
			t.Errorf("Answers order = %q, want %q", got, want)
		}
	})
}

func TestDB_SaveAnswer_Sensitive(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	ctx := context.Background()
	mustSaveGrid(t, db, testGrid(1))
	iv := mustInterview(t, db, mustUsager(t, db, "Camille"))

	health := mustAnswer(t, db, domain.Answer{InterviewUUID: iv, QuestionID: "sante-mots", Value: text("Asthme."), Sensitive: true})
	ordinary := mustAnswer(t, db, domain.Answer{InterviewUUID: iv, QuestionID: "liens-isole", Value: text(domain.No)})
	if !health.Sensitive || ordinary.Sensitive {
		t.Errorf("SaveAnswer returned Sensitive %v and %v, want true and false", health.Sensitive, ordinary.Sensitive)
	}

	t.Run("stored apart", func(t *testing.T) {
		var value string
		if err := db.read.QueryRow(`SELECT value FROM answer_sensitive WHERE interview_uuid = ? AND question_id = 'sante-mots'`, iv).
			Scan(&value); err != nil {
			t.Fatalf("the health answer is not in answer_sensitive: %v", err)
		}
		if value != `{"text":"Asthme."}` {
			t.Errorf("stored value = %s", value)
		}
		if n := count(t, db, "answer", "question_id = 'sante-mots'"); n != 0 {
			t.Errorf("the health answer is also among the ordinary answers (%d rows)", n)
		}
		if n := count(t, db, "answer_sensitive", "question_id = 'liens-isole'"); n != 0 {
			t.Errorf("the ordinary answer is among the sensitive ones (%d rows)", n)
		}
	})
	t.Run("read only when asked", func(t *testing.T) {
		tests := []struct {
			name          string
			withSensitive bool
			want          []domain.Answer
		}{
			{"without", false, []domain.Answer{ordinary}},
			{"with", true, []domain.Answer{ordinary, health}},
		}
		for _, tt := range tests {
			got, err := db.Answers(ctx, iv, tt.withSensitive)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s: Answers = %+v, want %+v", tt.name, got, tt.want)
			}
		}
	})
	t.Run("refused", func(t *testing.T) {
		tests := []struct {
			name string
			a    domain.Answer
			code string
		}{
			{"health answer not marked sensitive", domain.Answer{InterviewUUID: iv, QuestionID: "sante-auto", Value: num(2)}, domain.EINVALID},
			{"ordinary answer marked sensitive", domain.Answer{InterviewUUID: iv, QuestionID: "liens-auto", Value: num(2), Sensitive: true}, domain.EINVALID},
			{"unknown question", domain.Answer{InterviewUUID: iv, QuestionID: "inconnue", Value: num(2)}, domain.EINVALID},
			{"no question", domain.Answer{InterviewUUID: iv, Value: num(2)}, domain.EINVALID},
			{"unknown interview", domain.Answer{InterviewUUID: domain.NewUUID(), QuestionID: "liens-auto", Value: num(2)}, domain.ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := len(changes(t, db))
				_, err := db.SaveAnswer(ctx, tt.a, "")
				wantCode(t, err, tt.code)
				if added := changes(t, db)[before:]; len(added) != 0 {
					t.Errorf("change log added %+v after an error", added)
				}
			})
		}
		if n := count(t, db, "answer", "question_id IN ('sante-auto', 'liens-auto')") +
			count(t, db, "answer_sensitive", "question_id IN ('sante-auto', 'liens-auto')"); n != 0 {
			t.Errorf("a refused answer was stored (%d rows)", n)
		}
	})
}

func TestDB_SaveAnswer_Correction(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustSaveGrid(t, db, testGrid(1))
	iv := mustInterview(t, db, mustUsager(t, db, "Camille"))
	original := map[string]domain.Answer{}
	for _, a := range fullAnswers(iv) {
		original[a.QuestionID] = mustAnswer(t, db, a)
	}
	clock.Advance(time.Minute)
	if _, err := db.CompleteInterview(ctx, iv); err != nil {
		t.Fatal(err)
	}

	// Each step runs on the database the previous ones left.
	steps := []struct {
		name        string
		answer      domain.Answer
		want        func(now time.Time) domain.Answer
		wantHistory bool // the former answer went to the history
		logAnswer   string
	}{
		{
			name: "corrected", answer: domain.Answer{QuestionID: "emploi-mois", Value: num(16)},
			want: func(now time.Time) domain.Answer {
				return domain.Answer{QuestionID: "emploi-mois", Value: num(16), AnsweredAt: now, Correction: true}
			},
			wantHistory: true, logAnswer: domain.OpUpsert,
		},
		{
			name: "corrected again", answer: domain.Answer{QuestionID: "emploi-mois", Value: num(18)},
			want: func(now time.Time) domain.Answer {
				return domain.Answer{QuestionID: "emploi-mois", Value: num(18), AnsweredAt: now, Correction: true}
			},
			wantHistory: true, logAnswer: domain.OpUpsert,
		},
		{
			name: "sensitive corrected", answer: domain.Answer{QuestionID: "sante-auto", Value: num(3), Sensitive: true},
			want: func(now time.Time) domain.Answer {
				return domain.Answer{QuestionID: "sante-auto", Value: num(3), AnsweredAt: now, Correction: true, Sensitive: true}
			},
			wantHistory: true, logAnswer: domain.OpUpsert,
		},
		{
			name: "unchanged: no correction", answer: fullAnswers(iv)[1],
			want: func(time.Time) domain.Answer { return original["liens-sorties"] },
		},
		{
			name: "cleared after completion", answer: domain.Answer{QuestionID: "emploi-metier"},
			want: func(now time.Time) domain.Answer {
				return domain.Answer{QuestionID: "emploi-metier", AnsweredAt: now, Correction: true}
			},
			wantHistory: true, logAnswer: domain.OpDelete,
		},
		{
			name: "given after completion", answer: domain.Answer{QuestionID: "emploi-metier", Value: text("Cuisinière")},
			want: func(now time.Time) domain.Answer {
				return domain.Answer{QuestionID: "emploi-metier", Value: text("Cuisinière"), AnsweredAt: now, Correction: true}
			},
			logAnswer: domain.OpUpsert,
		},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			clock.Advance(time.Minute)
			now := stored(clock.Now())
			step.answer.InterviewUUID = iv
			hist, err := db.AnswerHistory(ctx, iv, true)
			if err != nil {
				t.Fatal(err)
			}
			as, err := db.Answers(ctx, iv, true)
			if err != nil {
				t.Fatal(err)
			}
			former, hadFormer := answerOf(as, step.answer.QuestionID)
			before := len(changes(t, db))

			got, err := db.SaveAnswer(ctx, step.answer, "")
			if err != nil {
				t.Fatal(err)
			}
			want := step.want(now)
			want.InterviewUUID = iv
			if !reflect.DeepEqual(got, want) {
				t.Errorf("SaveAnswer = %+v, want %+v", got, want)
			}

			after, err := db.AnswerHistory(ctx, iv, true)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case step.wantHistory && !hadFormer:
				t.Fatal("bad step: no former answer")
			case step.wantHistory:
				wantChange := domain.AnswerChange{QuestionID: former.QuestionID, Value: former.Value,
					WorkerRating: former.WorkerRating, AnsweredAt: former.AnsweredAt, ReplacedAt: now}
				if len(after) != len(hist)+1 || !reflect.DeepEqual(after[len(after)-1], wantChange) {
					t.Errorf("history = %+v, want %+v added", after, wantChange)
				}
			case len(after) != len(hist):
				t.Errorf("history grew: %+v", after[len(hist):])
			}

			wantLog := []domain.Change{change(domain.KindInterview, iv, domain.OpUpsert)}
			if step.logAnswer != "" {
				wantLog = append(wantLog, change(domain.KindAnswer, iv+":"+step.answer.QuestionID, step.logAnswer))
			}
			// The usager row is logged too (last contact moved).
			added := changes(t, db)[before:]
			var rest []domain.Change
			for _, c := range added {
				if c.Kind != domain.KindUsager {
					rest = append(rest, c)
				}
			}
			wantChanges(t, rest, now, wantLog...)
		})
	}

	t.Run("history without sensitive answers", func(t *testing.T) {
		all, err := db.AnswerHistory(ctx, iv, true)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range all {
			ids = append(ids, c.QuestionID)
		}
		if want := []string{"emploi-mois", "emploi-mois", "sante-auto", "emploi-metier"}; !reflect.DeepEqual(ids, want) {
			t.Fatalf("history = %q, want %q (oldest first)", ids, want)
		}
		if *all[0].Value.Number != 14 || *all[1].Value.Number != 16 {
			t.Errorf("former values %v, %v; want 14 then 16", *all[0].Value.Number, *all[1].Value.Number)
		}
		plain, err := db.AnswerHistory(ctx, iv, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range plain {
			if c.QuestionID == "sante-auto" {
				t.Errorf("a sensitive former answer is returned without being asked for: %+v", c)
			}
		}
		if len(plain) != 3 {
			t.Errorf("history without sensitive = %d rows, want 3", len(plain))
		}
		if n := count(t, db, "answer_history", "question_id = 'sante-auto' AND sensitive = 1"); n != 1 {
			t.Errorf("answer_history has %d sensitive rows of sante-auto, want 1", n)
		}
	})
}

func TestDB_CompleteInterview(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustSaveGrid(t, db, testGrid(1))
	u := mustUsager(t, db, "Camille")
	iv := mustInterview(t, db, u)
	started := stored(clock.Now())

	clock.Advance(45 * time.Minute)
	now := stored(clock.Now())
	before := len(changes(t, db))
	got, err := db.CompleteInterview(ctx, iv)
	if err != nil {
		t.Fatal(err)
	}
	want := domain.Interview{Meta: domain.Meta{UUID: iv, CreatedAt: started, UpdatedAt: now}, UsagerUUID: u,
		GridID: testGridID, GridVersion: 1, Status: domain.InterviewCompleted, StartedAt: started, CompletedAt: &now}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CompleteInterview = %+v\nwant %+v", got, want)
	}
	if read, err := db.Interview(ctx, iv); err != nil || !reflect.DeepEqual(read, want) {
		t.Errorf("Interview = %+v, %v\nwant %+v", read, err, want)
	}
	wantChanges(t, changes(t, db)[before:], now,
		change(domain.KindInterview, iv, domain.OpUpsert), change(domain.KindUsager, u, domain.OpUpsert))

	tests := []struct {
		name string
		uuid string
		code string
	}{
		{"already completed", iv, domain.ECONFLICT},
		{"unknown", domain.NewUUID(), domain.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.CompleteInterview(ctx, tt.uuid)
			wantCode(t, err, tt.code)
		})
	}
}

func TestDB_SetNextContact(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustSaveGrid(t, db, testGrid(1))
	iv := mustInterview(t, db, mustUsager(t, db, "Camille"))

	// Each step runs on the database the previous ones left.
	steps := []struct {
		name   string
		uuid   string
		date   string
		code   string
		want   string // NextContact read back
		logged bool
	}{
		{name: "planned", uuid: iv, date: "2026-03-15", want: "2026-03-15", logged: true},
		{name: "same date again", uuid: iv, date: "2026-03-15", want: "2026-03-15"},
		{name: "moved", uuid: iv, date: "2026-03-22", want: "2026-03-22", logged: true},
		{name: "not a date", uuid: iv, date: "22/03/2026", code: domain.EINVALID, want: "2026-03-22"},
		{name: "no such day", uuid: iv, date: "2026-02-30", code: domain.EINVALID, want: "2026-03-22"},
		{name: "cleared", uuid: iv, date: "", want: "", logged: true},
		{name: "cleared again", uuid: iv, date: ""},
		{name: "unknown interview", uuid: domain.NewUUID(), date: "2026-03-15", code: domain.ENOTFOUND},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			clock.Advance(time.Minute)
			before := len(changes(t, db))
			err := db.SetNextContact(ctx, step.uuid, step.date)
			if step.code != "" {
				wantCode(t, err, step.code)
			} else if err != nil {
				t.Fatal(err)
			}
			var want []domain.Change
			if step.logged {
				want = append(want, change(domain.KindInterview, iv, domain.OpUpsert))
			}
			wantChanges(t, changes(t, db)[before:], stored(clock.Now()), want...)
			got, err := db.Interview(ctx, iv)
			if err != nil {
				t.Fatal(err)
			}
			if got.NextContact != step.want {
				t.Errorf("NextContact = %q, want %q", got.NextContact, step.want)
			}
		})
	}
}

func TestDB_Selections(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	mustSaveGrid(t, db, testGrid(1))
	iv := mustInterview(t, db, mustUsager(t, db, "Camille"))
	var ticked = map[string]time.Time{}

	type sel struct{ service, why, domain string }
	// Each step runs on the database the previous ones left.
	steps := []struct {
		name     string
		s        domain.Selection
		selected bool
		code     string
		logged   string // op of the change-log row, "" for none
		want     []sel  // Selections afterwards, in order
	}{
		{name: "ticked", s: domain.Selection{ServiceUUID: "sv-1", Why: "Épicerie à 400 m", Domain: "alimentation"}, selected: true,
			logged: domain.OpUpsert, want: []sel{{"sv-1", "Épicerie à 400 m", "alimentation"}}},
		{name: "another", s: domain.Selection{ServiceUUID: "sv-2", Why: "Jardin partagé"}, selected: true,
			logged: domain.OpUpsert, want: []sel{{"sv-1", "Épicerie à 400 m", "alimentation"}, {"sv-2", "Jardin partagé", ""}}},
		{name: "ticked again, new reason keeps its place", s: domain.Selection{ServiceUUID: "sv-1", Why: "Ouvert le samedi", Domain: "alimentation"},
			selected: true, logged: domain.OpUpsert,
			want: []sel{{"sv-1", "Ouvert le samedi", "alimentation"}, {"sv-2", "Jardin partagé", ""}}},
		{name: "ticked as it is", s: domain.Selection{ServiceUUID: "sv-1", Why: "Ouvert le samedi", Domain: "alimentation"}, selected: true,
			want: []sel{{"sv-1", "Ouvert le samedi", "alimentation"}, {"sv-2", "Jardin partagé", ""}}},
		{name: "unticked", s: domain.Selection{ServiceUUID: "sv-2"}, logged: domain.OpDelete,
			want: []sel{{"sv-1", "Ouvert le samedi", "alimentation"}}},
		{name: "unticked again", s: domain.Selection{ServiceUUID: "sv-2"},
			want: []sel{{"sv-1", "Ouvert le samedi", "alimentation"}}},
		{name: "no service", s: domain.Selection{}, selected: true, code: domain.EINVALID,
			want: []sel{{"sv-1", "Ouvert le samedi", "alimentation"}}},
		{name: "unknown interview", s: domain.Selection{InterviewUUID: domain.NewUUID(), ServiceUUID: "sv-3"}, selected: true,
			code: domain.ENOTFOUND, want: []sel{{"sv-1", "Ouvert le samedi", "alimentation"}}},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			clock.Advance(time.Minute)
			now := stored(clock.Now())
			if step.s.InterviewUUID == "" {
				step.s.InterviewUUID = iv
			}
			before := len(changes(t, db))
			err := db.SetSelection(ctx, step.s, step.selected)
			if step.code != "" {
				wantCode(t, err, step.code)
			} else if err != nil {
				t.Fatal(err)
			}
			var wantLog []domain.Change
			if step.logged != "" {
				wantLog = append(wantLog, change(domain.KindSelection, iv+":"+step.s.ServiceUUID, step.logged))
				if step.selected {
					if _, ok := ticked[step.s.ServiceUUID]; !ok {
						ticked[step.s.ServiceUUID] = now
					}
				} else {
					delete(ticked, step.s.ServiceUUID)
				}
			}
			wantChanges(t, changes(t, db)[before:], now, wantLog...)

			got, err := db.Selections(ctx, iv)
			if err != nil {
				t.Fatal(err)
			}
			var want []domain.Selection
			for _, w := range step.want {
				want = append(want, domain.Selection{InterviewUUID: iv, ServiceUUID: w.service, Why: w.why, Domain: w.domain,
					SelectedAt: ticked[w.service]})
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Selections = %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestDB_Interview_NotFound checks the reads of an unknown interview.
func TestDB_Interview_NotFound(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	ctx := context.Background()
	unknown := domain.NewUUID()
	tests := []struct {
		name string
		call func() error
	}{
		{"Interview", func() error { _, err := db.Interview(ctx, unknown); return err }},
		{"Answers", func() error { _, err := db.Answers(ctx, unknown, true); return err }},
		{"AnswerHistory", func() error { _, err := db.AnswerHistory(ctx, unknown, true); return err }},
		{"Selections", func() error { _, err := db.Selections(ctx, unknown); return err }},
		{"CompleteInterview", func() error { _, err := db.CompleteInterview(ctx, unknown); return err }},
		{"SetNextContact", func() error { return db.SetNextContact(ctx, unknown, "2026-04-01") }},
		{"Usager", func() error { _, err := db.Usager(ctx, unknown); return err }},
		{"DeleteUsager", func() error { return db.DeleteUsager(ctx, unknown) }},
		{"UpdateUsager", func() error {
			return db.UpdateUsager(ctx, domain.Usager{Meta: domain.Meta{UUID: unknown}, DisplayName: "X"})
		}},
		{"Grid", func() error { _, err := db.Grid(ctx, "inconnue", 1); return err }},
		{"LatestGrid", func() error { _, err := db.LatestGrid(ctx, "inconnue"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.call()
			wantCode(t, err, domain.ENOTFOUND)
			if msg := domain.ErrorMessage(err); msg == "" || msg[0] < 'A' || msg[0] > 'Z' {
				t.Errorf("message %q is not a French sentence", msg)
			}
		})
	}
}

// benchGrid is a realistic grid: 8 domains (one sensitive) of 6 questions of every type.
func benchGrid() domain.Grid {
	types := []string{domain.QScale, domain.QSingle, domain.QMultiple, domain.QYesNo, domain.QNumber, domain.QLongText}
	g := domain.Grid{ID: "grille-bench", Version: 1, Title: "Grille réaliste"}
	for d := range 8 {
		gd := domain.GridDomain{ID: fmt.Sprintf("domaine-%d", d), Title: fmt.Sprintf("Domaine %d", d), Sensitive: d == 7}
		for q, typ := range types {
			gd.Questions = append(gd.Questions, domain.Question{ID: fmt.Sprintf("d%d-q%d", d, q), Type: typ,
				Label: "Une question assez longue pour ressembler à une vraie question de la grille ?"})
		}
		g.Domains = append(g.Domains, gd)
	}
	return g
}

// benchFiles is the number of files of the benchmark database: a busy EDAS desk.
func benchFiles() int {
	if raceEnabled {
		return 50
	}
	return 2_000
}

// BenchmarkSaveAnswer saves one answer per op, on a database of benchFiles() files with three
// completed interviews each, all 48 questions answered (288,000 answers without -race), in an
// interview in progress and as corrections of a completed one.
func BenchmarkSaveAnswer(b *testing.B) {
	ctx := context.Background()
	db, err := Open(filepath.Join(b.TempDir(), "bench.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	g := benchGrid()
	if _, err := db.SaveGrid(ctx, g, true); err != nil {
		b.Fatal(err)
	}
	fillBenchFiles(b, db, g)

	u := domain.NewUUID()
	if err := db.CreateUsager(ctx, domain.Usager{Meta: domain.Meta{UUID: u}, DisplayName: "Bench"}); err != nil {
		b.Fatal(err)
	}
	var questions []domain.Answer
	for _, d := range g.Domains {
		for _, q := range d.Questions {
			questions = append(questions, domain.Answer{QuestionID: q.ID, Sensitive: d.Sensitive})
		}
	}
	value := func(i int) domain.AnswerValue {
		switch i % 3 {
		case 0:
			return num(float64(1 + i%5))
		case 1:
			return choices("a", fmt.Sprint(i%7))
		}
		return text(fmt.Sprintf("Réponse libre n°%d, dans les mots de la personne.", i))
	}

	for _, state := range []string{domain.InterviewInProgress, domain.InterviewCompleted} {
		b.Run(state, func(b *testing.B) {
			iv := domain.NewUUID()
			if err := db.StartInterview(ctx, domain.Interview{Meta: domain.Meta{UUID: iv}, UsagerUUID: u,
				GridID: g.ID, GridVersion: g.Version}); err != nil {
				b.Fatal(err)
			}
			if state == domain.InterviewCompleted {
				if _, err := db.CompleteInterview(ctx, iv); err != nil {
					b.Fatal(err)
				}
			}
			i := 0
			for b.Loop() {
				a := questions[i%len(questions)]
				a.InterviewUUID, a.Value = iv, value(i)
				if _, err := db.SaveAnswer(ctx, a, ""); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkUsagers lists the files of a desk of benchFiles() files with three interviews each,
// all of them and filtered by name.
func BenchmarkUsagers(b *testing.B) {
	ctx := context.Background()
	db, err := Open(filepath.Join(b.TempDir(), "bench.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	g := benchGrid()
	if _, err := db.SaveGrid(ctx, g, true); err != nil {
		b.Fatal(err)
	}
	fillBenchFiles(b, db, g)
	for _, q := range []string{"", "Personne 19"} {
		b.Run(fmt.Sprintf("%q", q), func(b *testing.B) {
			for b.Loop() {
				list, err := db.Usagers(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				if len(list) == 0 {
					b.Fatal("no file listed")
				}
			}
		})
	}
}

// fillBenchFiles writes benchFiles() files with three completed interviews of g, every question
// answered, straight in SQL in one transaction (SaveAnswer one by one would take minutes).
func fillBenchFiles(b *testing.B, db *DB, g domain.Grid) {
	b.Helper()
	ctx := context.Background()
	now := formatTime(db.clock())
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		for f := range benchFiles() {
			u := domain.NewUUID()
			name := fmt.Sprintf("Personne %d", f)
			if _, err := tx.ExecContext(ctx, `INSERT INTO usager (uuid, display_name, display_key, commune,
				last_contact_at, created_at, updated_at) VALUES (?, ?, lower(?), '92040', ?, ?, ?)`, u, name, name, now, now, now); err != nil {
				return err
			}
			for range 3 {
				iv := domain.NewUUID()
				if _, err := tx.ExecContext(ctx, `INSERT INTO interview (uuid, usager_uuid, grid_id, grid_version, status,
					started_at, completed_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'termine', ?, ?, ?, ?)`,
					iv, u, g.ID, g.Version, now, now, now, now); err != nil {
					return err
				}
				for _, d := range g.Domains {
					for _, q := range d.Questions {
						if _, err := tx.ExecContext(ctx, `INSERT INTO `+answerTable(d.Sensitive)+` (interview_uuid, question_id,
							value, answered_at) VALUES (?, ?, '{"text":"oui"}', ?)`, iv, q.ID, now); err != nil {
							return err
						}
						if err := logChange(ctx, tx, domain.KindAnswer, answerKey(iv, q.ID), domain.OpUpsert, now); err != nil {
							return err
						}
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
