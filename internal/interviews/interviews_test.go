package interviews_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/directory"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/grid"
	"github.com/edas92/passerelle/internal/interviews"
	"github.com/edas92/passerelle/internal/sqlite"
)

// clock is a test clock that the test moves forward.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// desk is a real desk: a SQLite file, the demo directory and the interviews service.
type desk struct {
	svc   *interviews.Service
	dir   *directory.Directory
	db    *sqlite.DB
	clock *clock
}

func newDesk(t *testing.T) *desk {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "passerelle.db"), sqlite.Options{Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := slog.New(slog.DiscardHandler)
	dir := directory.New(db, directory.Options{Now: c.now, Logger: log})
	ctx := context.Background()
	if err := dir.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := dir.LoadDemo(ctx, nil); err != nil {
		t.Fatal(err)
	}
	svc := interviews.New(db, dir, interviews.Options{Now: c.now, Logger: log})
	if _, err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return &desk{svc: svc, dir: dir, db: db, clock: c}
}

func num(v float64) domain.AnswerValue { return domain.AnswerValue{Number: &v} }
func text(s string) domain.AnswerValue { return domain.AnswerValue{Text: s} }
func choices(s ...string) domain.AnswerValue {
	return domain.AnswerValue{Choices: s}
}

func (d *desk) person(t *testing.T, name, commune string) domain.Usager {
	t.Helper()
	u, err := d.svc.CreateUsager(context.Background(), interviews.UsagerInput{DisplayName: name, Commune: commune, Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (d *desk) answer(t *testing.T, iv, q string, v domain.AnswerValue) domain.Answer {
	t.Helper()
	a, err := d.svc.Answer(context.Background(), iv, q, v, nil)
	if err != nil {
		t.Fatalf("answer %s: %v", q, err)
	}
	return a
}

func TestCreateUsager(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	y := 1958
	u, err := d.svc.CreateUsager(ctx, interviews.UsagerInput{DisplayName: "  M. D.  ", BirthYear: &y, Commune: "issy les moulineaux",
		Household: "seul", Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	if u.DisplayName != "M. D." || u.Commune != "92040" || !u.ConsentGiven || u.ConsentText != domain.ConsentWording ||
		u.ConsentAt == nil || !u.ConsentAt.Equal(d.clock.now()) {
		t.Errorf("created %+v", u)
	}
	for _, tc := range []struct {
		name   string
		in     interviews.UsagerInput
		errHas []string
	}{
		{"no consent", interviews.UsagerInput{DisplayName: "A. B.", Commune: "Nanterre"}, []string{"accord de la personne"}},
		{"no name, no commune", interviews.UsagerInput{Consent: true}, []string{"nom d’usage", "commune de résidence"}},
		{"ambiguous postcode", interviews.UsagerInput{DisplayName: "A", Commune: "92190", Consent: true}, []string{"Clamart"}},
		{"implausible year and household", interviews.UsagerInput{DisplayName: "A", Commune: "autre", BirthYear: domain.Ptr(1850), Household: "chateau", Consent: true},
			[]string{"1850", "chateau"}},
	} {
		_, err := d.svc.CreateUsager(ctx, tc.in)
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%s: %v, want invalid", tc.name, err)
			continue
		}
		for _, s := range tc.errHas {
			if !strings.Contains(domain.ErrorMessage(err), s) {
				t.Errorf("%s: %q lacks %q", tc.name, domain.ErrorMessage(err), s)
			}
		}
	}
	other, err := d.svc.CreateUsager(ctx, interviews.UsagerInput{DisplayName: "Éloïse", Commune: "AUTRE", Consent: true})
	if err != nil || other.Commune != domain.CommuneOther {
		t.Fatalf("a commune outside the département: %+v %v", other, err)
	}
	updated, err := d.svc.UpdateUsager(ctx, u.UUID, interviews.UsagerInput{DisplayName: "M. Dupont", Commune: "92040", Notes: "Préfère le matin."})
	if err != nil || updated.DisplayName != "M. Dupont" || updated.Notes != "Préfère le matin." || !updated.ConsentGiven ||
		updated.ConsentText != domain.ConsentWording {
		t.Fatalf("update keeps the consent: %+v %v", updated, err)
	}
	list, err := d.svc.Usagers(ctx, "eloise")
	if err != nil || len(list) != 1 || list[0].DisplayName != "Éloïse" {
		t.Fatalf("folded search: %+v %v", list, err)
	}
}

func TestInterview_AnswerResumeComplete(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	u := d.person(t, "A. M.", "Nanterre")
	v, err := d.svc.StartInterview(ctx, u.UUID, "")
	if err != nil {
		t.Fatal(err)
	}
	iv := v.UUID
	if v.GridID != "grille-edas" || v.GridVersion != 1 || v.Status != domain.InterviewInProgress {
		t.Fatalf("started %+v", v)
	}
	// Starting again resumes the same interview.
	again, err := d.svc.StartInterview(ctx, u.UUID, "")
	if err != nil || again.UUID != iv {
		t.Fatalf("a second start must resume: %v %v", again.UUID, err)
	}

	d.answer(t, iv, "liens-auto", num(2))
	d.answer(t, iv, "liens-soutien", text(domain.No))
	d.answer(t, iv, "sante-medecin", text(domain.No)) // sensitive

	// Invalid answers are refused in French.
	for q, val := range map[string]domain.AnswerValue{
		"liens-auto":    num(7),
		"liens-soutien": text("peut-être"),
		"inconnue":      text("x"),
	} {
		if _, err := d.svc.Answer(ctx, iv, q, val, nil); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("answer %s = %+v: %v, want invalid", q, val, err)
		}
	}

	view, err := d.svc.Interview(ctx, iv, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := view.Answers["sante-medecin"]; ok {
		t.Error("a sensitive answer must not be sent unless asked")
	}
	if !view.Visible["liens-aide"] || view.Visible["situation-charges"] {
		t.Errorf("visibility follows the answers: liens-aide %v, situation-charges %v", view.Visible["liens-aide"], view.Visible["situation-charges"])
	}
	if view.Interview.CurrentDomain != "sante" {
		t.Errorf("resume where it stopped: current domain %q", view.Interview.CurrentDomain)
	}
	withHealth, _ := d.svc.Interview(ctx, iv, true)
	if a, ok := withHealth.Answers["sante-medecin"]; !ok || !a.Sensitive {
		t.Errorf("asked for, the sensitive answer comes: %+v", a)
	}

	// Completion needs every shown required question.
	_, err = d.svc.Complete(ctx, iv)
	if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "Questions obligatoires sans réponse") {
		t.Fatalf("incomplete: %v", err)
	}
	answerRequired(t, d, iv)
	done, err := d.svc.Complete(ctx, iv)
	if err != nil || done.Status != domain.InterviewCompleted || done.CompletedAt == nil {
		t.Fatalf("complete: %+v %v", done, err)
	}
	if _, err := d.svc.Complete(ctx, iv); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("completing twice: %v", err)
	}
	// A later answer is a correction; the former value stays in the history.
	d.clock.add(time.Hour)
	a := d.answer(t, iv, "liens-auto", num(3))
	if !a.Correction {
		t.Error("an answer after completion is a correction")
	}
	view, _ = d.svc.Interview(ctx, iv, false)
	if len(view.History) != 1 || view.History[0].QuestionID != "liens-auto" || *view.History[0].Value.Number != 2 {
		t.Errorf("history %+v", view.History)
	}
}

// answerRequired answers every required question still shown, as a quick worker would.
func answerRequired(t *testing.T, d *desk, iv string) {
	t.Helper()
	view, err := d.svc.Interview(context.Background(), iv, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, dom := range view.Grid.Domains {
		for _, q := range dom.Questions {
			if _, done := view.Answers[q.ID]; !q.Required || done || !view.Visible[q.ID] {
				continue
			}
			switch q.Type {
			case domain.QScale:
				d.answer(t, iv, q.ID, num(3))
			case domain.QYesNo:
				d.answer(t, iv, q.ID, text(domain.Yes))
			case domain.QSingle:
				d.answer(t, iv, q.ID, text(q.Options[0].Value))
			default:
				t.Fatalf("required question of type %s", q.Type)
			}
		}
	}
}

func TestFollowUp_PreviousAnswersAndJourney(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	u := d.person(t, "S. K.", "Colombes")
	first, _ := d.svc.StartInterview(ctx, u.UUID, "")
	answerRequired(t, d, first.UUID)
	d.answer(t, first.UUID, "liens-auto", num(1))
	d.answer(t, first.UUID, "alimentation-auto", num(2))
	if _, err := d.svc.Complete(ctx, first.UUID); err != nil {
		t.Fatal(err)
	}
	d.clock.add(30 * 24 * time.Hour)
	started, err := d.svc.StartInterview(ctx, u.UUID, "")
	if err != nil || started.UUID == first.UUID {
		t.Fatalf("a follow-up is a new interview: %v", err)
	}
	second, err := d.svc.Interview(ctx, started.UUID, false)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := second.Previous["liens-auto"]; !ok || *p.Value.Number != 1 || second.PreviousAt == nil {
		t.Errorf("the follow-up shows the previous answers: %+v", second.Previous)
	}
	d.answer(t, second.UUID, "liens-auto", num(4))

	file, err := d.svc.Usager(ctx, u.UUID)
	if err != nil {
		t.Fatal(err)
	}
	if len(file.Interviews) != 2 || file.Interviews[0].UUID != first.UUID {
		t.Fatalf("interviews %+v", file.Interviews)
	}
	var liens *interviews.DomainJourney
	for i := range file.Journey {
		if file.Journey[i].Domain == "liens" {
			liens = &file.Journey[i]
		}
	}
	if liens == nil || liens.First.Value != 1 || liens.Latest.Value != 4 || len(liens.Points) != 2 {
		t.Fatalf("distance travelled in liens: %+v", liens)
	}
	if file.RetentionUntil != "2028-12-23" {
		t.Errorf("retention until %s", file.RetentionUntil)
	}
}

func TestRetention_AnonymisesAtStart(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	old := d.person(t, "Ancien", "Antony")
	iv, _ := d.svc.StartInterview(ctx, old.UUID, "")
	d.answer(t, iv.UUID, "attentes-paroles", text("Qu’on m’écoute."))
	d.answer(t, iv.UUID, "liens-auto", num(2))
	d.clock.add(2*365*24*time.Hour + 48*time.Hour) // two years and a bit later
	recent := d.person(t, "Récent", "Antony")
	n, err := d.svc.Start(ctx)
	if err != nil || n != 1 {
		t.Fatalf("anonymised %d, %v", n, err)
	}
	if _, err := d.svc.Usager(ctx, recent.UUID); err != nil {
		t.Fatal("a recent file stays")
	}
	f, err := d.svc.Usager(ctx, old.UUID)
	if err != nil || f.Usager.DisplayName != domain.AnonymousName || !f.Usager.Anonymised {
		t.Fatalf("old file: %+v %v", f.Usager, err)
	}
	v, _ := d.svc.Interview(ctx, iv.UUID, true)
	if _, ok := v.Answers["attentes-paroles"]; ok {
		t.Error("free words are erased with the person")
	}
	if _, ok := v.Answers["liens-auto"]; !ok {
		t.Error("self-assessments stay, without the person, for the indicators")
	}
}

func TestDeleteUsager(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	u := d.person(t, "À effacer", "Antony")
	iv, _ := d.svc.StartInterview(ctx, u.UUID, "")
	d.answer(t, iv.UUID, "liens-auto", num(2))
	if err := d.svc.DeleteUsager(ctx, u.UUID); err != nil {
		t.Fatal(err)
	}
	if _, err := d.svc.Usager(ctx, u.UUID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("deleted file: %v", err)
	}
	if _, err := d.svc.Interview(ctx, iv.UUID, true); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("its interview: %v", err)
	}
	if list, _ := d.svc.Usagers(ctx, ""); len(list) != 0 {
		t.Errorf("list %+v", list)
	}
}

func TestImportGrid_Versions(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	g := grid.Default()
	g.Version = 2
	g.Title = "Grille EDAS (révisée)"
	b := mustJSON(t, g)
	got, added, err := d.svc.ImportGrid(ctx, b)
	if err != nil || !added || got.Version != 2 {
		t.Fatalf("import v2: %v %v", added, err)
	}
	if _, added, err := d.svc.ImportGrid(ctx, b); err != nil || added {
		t.Fatalf("the same version again changes nothing: %v %v", added, err)
	}
	g.Title = "Autre contenu"
	if _, _, err := d.svc.ImportGrid(ctx, mustJSON(t, g)); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("a published version never changes: %v", err)
	}
	if _, _, err := d.svc.ImportGrid(ctx, []byte(`{"id":"x"}`)); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("a bad file: %v", err)
	}
	// An interview started before keeps version 1; a new one uses version 2.
	u := d.person(t, "V", "Sceaux")
	started, _ := d.svc.StartInterview(ctx, u.UUID, "")
	iv, _ := d.svc.Interview(ctx, started.UUID, false)
	if iv.Interview.GridVersion != 2 || iv.Grid.Title != "Grille EDAS (révisée)" {
		t.Fatalf("new interviews use the latest version: %d", iv.Interview.GridVersion)
	}
	infos, _ := d.svc.Grids(ctx)
	if len(infos) != 2 || !infos[1].Current || infos[0].Current || !infos[0].Embedded {
		t.Errorf("grids %+v", infos)
	}
}

func TestNeedsAndSuggestions(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	u := d.person(t, "I. S.", "Nanterre")
	v, _ := d.svc.StartInterview(ctx, u.UUID, "")
	iv := v.UUID
	d.answer(t, iv, "liens-auto", num(1))
	d.answer(t, iv, "liens-soutien", text(domain.No))
	d.answer(t, iv, "liens-aide", choices("se-poser", "jardiner"))
	d.answer(t, iv, "alimentation-auto", num(2))
	d.answer(t, iv, "donner-envie", text(domain.Yes))
	d.answer(t, iv, "donner-comment", choices("reparer"))
	needs, err := d.svc.Needs(ctx, iv)
	if err != nil {
		t.Fatal(err)
	}
	domains := map[string]domain.Need{}
	for _, n := range needs {
		domains[n.Domain] = n
	}
	if !domains["liens"].HasNeed() || !domains["alimentation"].HasNeed() || !domains["donner"].Give {
		t.Fatalf("needs %+v", needs)
	}
	sugg, err := d.svc.Suggestions(ctx, iv)
	if err != nil || len(sugg) == 0 {
		t.Fatalf("suggestions: %d %v", len(sugg), err)
	}
	for _, s := range sugg {
		if s.Why == "" || len(s.Domains) == 0 || s.Selected {
			t.Errorf("suggestion %+v", s)
		}
	}
	// Tick two, untick one: the selection is kept with the interview.
	first, second := sugg[0], sugg[1]
	for _, s := range []domain.Suggestion{first, second} {
		if err := d.svc.Select(ctx, iv, s.Hit.ServiceUUID, true, s.Why, s.Domains[0]); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.svc.Select(ctx, iv, first.Hit.ServiceUUID, false, "", ""); err != nil {
		t.Fatal(err)
	}
	sel, _ := d.svc.Selections(ctx, iv)
	if len(sel) != 1 || sel[0].ServiceUUID != second.Hit.ServiceUUID || sel[0].Why != second.Why {
		t.Fatalf("selections %+v", sel)
	}
	again, _ := d.svc.Suggestions(ctx, iv)
	for _, s := range again {
		if s.Selected != (s.Hit.ServiceUUID == second.Hit.ServiceUUID) {
			t.Errorf("selected flag of %s = %v", s.Hit.Nom, s.Selected)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSetCurrentDomain_AndTickedStayListed(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	u := d.person(t, "C. D.", "Nanterre")
	iv, _ := d.svc.StartInterview(ctx, u.UUID, "")
	if err := d.svc.SetCurrentDomain(ctx, iv.UUID, "mobilite"); err != nil {
		t.Fatal(err)
	}
	if v, _ := d.svc.Interview(ctx, iv.UUID, false); v.Interview.CurrentDomain != "mobilite" {
		t.Errorf("current domain %q", v.Interview.CurrentDomain)
	}
	if err := d.svc.SetCurrentDomain(ctx, iv.UUID, "cuisine"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("unknown domain: %v", err)
	}
	// A service ticked while it was suggested stays listed when the needs change.
	d.answer(t, iv.UUID, "liens-auto", num(1))
	sugg, _ := d.svc.Suggestions(ctx, iv.UUID)
	if len(sugg) == 0 {
		t.Fatal("no suggestion")
	}
	s := sugg[0]
	if err := d.svc.Select(ctx, iv.UUID, s.Hit.ServiceUUID, true, s.Why, s.Domains[0]); err != nil {
		t.Fatal(err)
	}
	d.answer(t, iv.UUID, "liens-auto", num(5)) // no isolation need any more
	after, _ := d.svc.Suggestions(ctx, iv.UUID)
	found := false
	for _, x := range after {
		if x.Hit.ServiceUUID == s.Hit.ServiceUUID {
			found = x.Selected && x.Why == s.Why
		}
	}
	if !found {
		t.Fatalf("the ticked service left the list: %+v", after)
	}
}
