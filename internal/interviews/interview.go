package interviews

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/grid"
	"github.com/edas92/passerelle/internal/suggest"
)

// DefaultGridID is the grid new interviews use unless another is chosen.
const DefaultGridID = "grille-edas"

// StartInterview starts an interview with the latest version of a grid ("" for the default
// grid), or returns the usager's interview in progress when there is one: a worker resumes rather
// than starts twice. ENOTFOUND for an unknown usager or grid.
func (s *Service) StartInterview(ctx context.Context, usagerUUID, gridID string) (domain.Interview, error) {
	if _, err := s.store.Usager(ctx, usagerUUID); err != nil {
		return domain.Interview{}, err
	}
	ivs, err := s.store.InterviewsOf(ctx, usagerUUID)
	if err != nil {
		return domain.Interview{}, fmt.Errorf("start interview: %w", err)
	}
	for _, iv := range ivs {
		if iv.Status == domain.InterviewInProgress {
			return iv, nil
		}
	}
	if gridID == "" {
		gridID = DefaultGridID
	}
	g, err := s.store.LatestGrid(ctx, gridID)
	if err != nil {
		return domain.Interview{}, err
	}
	iv := domain.Interview{UsagerUUID: usagerUUID, GridID: g.ID, GridVersion: g.Version,
		Status: domain.InterviewInProgress, StartedAt: s.now(), CurrentDomain: g.Domains[0].ID}
	iv.UUID = domain.NewUUID()
	if err := s.store.StartInterview(ctx, iv); err != nil {
		return domain.Interview{}, fmt.Errorf("start interview: %w", err)
	}
	return s.store.Interview(ctx, iv.UUID)
}

// View is an interview as the interview screen shows it: the grid version it is filled with,
// the answers so far (sensitive ones only when asked), what the previous interview of the same
// person answered (for follow-ups, side by side), progress and which questions are shown.
type View struct {
	Interview  domain.Interview         `json:"interview"`
	UUID       string                   `json:"uuid"`
	Grid       domain.Grid              `json:"grid"`
	Answers    map[string]domain.Answer `json:"answers"`
	Previous   map[string]domain.Answer `json:"previous"`    // question id → the previous interview's answer
	PreviousAt *time.Time               `json:"previous_at"` // when that interview took place
	Visible    map[string]bool          `json:"visible"`
	Progress   []grid.DomainProgress    `json:"progress"`
	History    []domain.AnswerChange    `json:"history"` // former values of corrected answers
	// WithSensitive says whether the sensitive answers were loaded (the worker opened the domain).
	WithSensitive bool `json:"with_sensitive"`
	// Conflicts: question id → the answers colleagues gave to it on other desks without seeing
	// the one in Answers (sync). The question stays in conflict until someone answers it again.
	Conflicts map[string][]domain.ConflictingAnswer `json:"conflicts"`
}

// conflictStore is a store that keeps the answers in conflict after a sync (the desk's SQLite
// store does).
type conflictStore interface {
	AnswerConflicts(ctx context.Context, interviewUUID string) ([]domain.ConflictingAnswer, error)
}

// Interview returns an interview's view; sensitive answers (and their history and previous
// values) only when withSensitive. ENOTFOUND.
func (s *Service) Interview(ctx context.Context, uuid string, withSensitive bool) (View, error) {
	iv, err := s.live(ctx, uuid)
	if err != nil {
		return View{}, err
	}
	g, err := s.store.Grid(ctx, iv.GridID, iv.GridVersion)
	if err != nil {
		return View{}, fmt.Errorf("interview: %w", err)
	}
	answers, err := s.store.Answers(ctx, uuid, withSensitive)
	if err != nil {
		return View{}, fmt.Errorf("interview: %w", err)
	}
	history, err := s.store.AnswerHistory(ctx, uuid, withSensitive)
	if err != nil {
		return View{}, fmt.Errorf("interview: %w", err)
	}
	v := View{Interview: iv, UUID: iv.UUID, Grid: g, Answers: byQuestion(answers), History: history,
		Previous: map[string]domain.Answer{}, WithSensitive: withSensitive}
	// The visibility and progress of sensitive questions need their answers even when they are
	// not sent to the screen.
	all := answers
	if !withSensitive {
		if all, err = s.store.Answers(ctx, uuid, true); err != nil {
			return View{}, fmt.Errorf("interview: %w", err)
		}
	}
	if v.Conflicts, err = s.conflicts(ctx, g, uuid, withSensitive); err != nil {
		return View{}, fmt.Errorf("interview: %w", err)
	}
	v.Visible = grid.Visible(g, values(all))
	v.Progress = grid.Progress(g, all)
	// The previous interview of the same person: the latest one started before this one.
	ivs, err := s.store.InterviewsOf(ctx, iv.UsagerUUID)
	if err != nil {
		return View{}, fmt.Errorf("interview: %w", err)
	}
	var prev *domain.Interview
	for i := range ivs {
		if ivs[i].UUID != iv.UUID && ivs[i].StartedAt.Before(iv.StartedAt) {
			prev = &ivs[i]
		}
	}
	if prev != nil {
		pa, err := s.store.Answers(ctx, prev.UUID, withSensitive)
		if err != nil {
			return View{}, fmt.Errorf("interview: %w", err)
		}
		v.Previous = byQuestion(pa)
		at := prev.StartedAt
		v.PreviousAt = &at
	}
	return v, nil
}

// conflicts returns an interview's answers in conflict by question; those of sensitive domains
// only withSensitive, like the answers.
func (s *Service) conflicts(ctx context.Context, g domain.Grid, uuid string, withSensitive bool) (map[string][]domain.ConflictingAnswer, error) {
	out := map[string][]domain.ConflictingAnswer{}
	cs, ok := s.store.(conflictStore)
	if !ok {
		return out, nil
	}
	list, err := cs.AnswerConflicts(ctx, uuid)
	if err != nil {
		return nil, err
	}
	sensitive := map[string]bool{}
	for _, d := range g.Domains {
		for _, q := range d.Questions {
			sensitive[q.ID] = d.Sensitive
		}
	}
	for _, c := range list {
		if sensitive[c.QuestionID] && !withSensitive {
			continue
		}
		out[c.QuestionID] = append(out[c.QuestionID], c)
	}
	return out, nil
}

// live returns a live interview: a deleted one (its file was erased) is ENOTFOUND.
func (s *Service) live(ctx context.Context, uuid string) (domain.Interview, error) {
	iv, err := s.store.Interview(ctx, uuid)
	if err == nil && iv.DeletedAt != nil {
		err = domain.Errorf(domain.ENOTFOUND, "Cet entretien n’existe plus : le dossier a été supprimé.")
	}
	return iv, err
}

func byQuestion(answers []domain.Answer) map[string]domain.Answer {
	m := make(map[string]domain.Answer, len(answers))
	for _, a := range answers {
		m[a.QuestionID] = a
	}
	return m
}

func values(answers []domain.Answer) map[string]domain.AnswerValue {
	m := make(map[string]domain.AnswerValue, len(answers))
	for _, a := range answers {
		m[a.QuestionID] = a.Value
	}
	return m
}

// Answer saves one answer the moment it is given. A zero value clears it. On a completed
// interview it is recorded as a correction. EINVALID (French) for an answer that does not fit
// its question, ENOTFOUND.
func (s *Service) Answer(ctx context.Context, interviewUUID, questionID string, v domain.AnswerValue, workerRating *int) (domain.Answer, error) {
	iv, err := s.live(ctx, interviewUUID)
	if err != nil {
		return domain.Answer{}, err
	}
	g, err := s.store.Grid(ctx, iv.GridID, iv.GridVersion)
	if err != nil {
		return domain.Answer{}, fmt.Errorf("answer: %w", err)
	}
	v.Text = strings.TrimSpace(v.Text)
	if err := grid.CheckAnswer(g, questionID, v, workerRating); err != nil {
		return domain.Answer{}, err
	}
	dom, ok := domainOf(g, questionID)
	if !ok {
		return domain.Answer{}, domain.Errorf(domain.EINVALID, "Question inconnue « %s ».", questionID)
	}
	a := domain.Answer{InterviewUUID: interviewUUID, QuestionID: questionID, Value: v, WorkerRating: workerRating,
		AnsweredAt: s.now(), Sensitive: dom.Sensitive}
	return s.store.SaveAnswer(ctx, a, dom.ID)
}

func domainOf(g domain.Grid, questionID string) (domain.GridDomain, bool) {
	for _, d := range g.Domains {
		for _, q := range d.Questions {
			if q.ID == questionID {
				return d, true
			}
		}
	}
	return domain.GridDomain{}, false
}

// Complete freezes an interview once every shown required question is answered. EINVALID
// listing the questions still to answer, ECONFLICT when already completed, ENOTFOUND.
func (s *Service) Complete(ctx context.Context, uuid string) (domain.Interview, error) {
	v, err := s.Interview(ctx, uuid, true)
	if err != nil {
		return domain.Interview{}, err
	}
	if v.Interview.Status == domain.InterviewCompleted {
		return domain.Interview{}, domain.Errorf(domain.ECONFLICT, "Cet entretien est déjà terminé.")
	}
	var missing []string
	for _, d := range v.Grid.Domains {
		for _, q := range d.Questions {
			if _, answered := v.Answers[q.ID]; q.Required && v.Visible[q.ID] && !answered {
				missing = append(missing, fmt.Sprintf("« %s » (%s)", q.Label, d.Title))
			}
		}
	}
	if len(missing) > 0 {
		return domain.Interview{}, domain.Errorf(domain.EINVALID, "Questions obligatoires sans réponse : %s.", strings.Join(missing, ", "))
	}
	return s.store.CompleteInterview(ctx, uuid)
}

// SetCurrentDomain records the domain the worker is on, so that the interview reopens there.
// ENOTFOUND.
func (s *Service) SetCurrentDomain(ctx context.Context, interviewUUID, domainID string) error {
	iv, err := s.live(ctx, interviewUUID)
	if err != nil {
		return err
	}
	g, err := s.store.Grid(ctx, iv.GridID, iv.GridVersion)
	if err != nil {
		return fmt.Errorf("current domain: %w", err)
	}
	for _, d := range g.Domains {
		if d.ID == domainID {
			return s.store.SetCurrentDomain(ctx, interviewUUID, domainID)
		}
	}
	return domain.Errorf(domain.EINVALID, "Domaine inconnu « %s » dans cette grille.", domainID)
}

// SetNextContact plans (or clears, with "") the next meeting, a date YYYY-MM-DD not in the past.
// EINVALID, ENOTFOUND.
func (s *Service) SetNextContact(ctx context.Context, interviewUUID, date string) error {
	if date != "" {
		d, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return domain.Errorf(domain.EINVALID, "Date de rendez-vous illisible « %s » (attendu AAAA-MM-JJ).", date)
		}
		if d.Before(s.now().Truncate(24*time.Hour).AddDate(0, 0, -1)) {
			return domain.Errorf(domain.EINVALID, "La date du prochain rendez-vous est passée.")
		}
	}
	return s.store.SetNextContact(ctx, interviewUUID, date)
}

// Needs returns what an interview reveals, per domain. ENOTFOUND.
func (s *Service) Needs(ctx context.Context, uuid string) ([]domain.Need, error) {
	iv, err := s.live(ctx, uuid)
	if err != nil {
		return nil, err
	}
	g, err := s.store.Grid(ctx, iv.GridID, iv.GridVersion)
	if err != nil {
		return nil, fmt.Errorf("needs: %w", err)
	}
	answers, err := s.store.Answers(ctx, uuid, true)
	if err != nil {
		return nil, fmt.Errorf("needs: %w", err)
	}
	needs := grid.Needs(g, answers)
	if needs == nil {
		needs = []domain.Need{}
	}
	return needs, nil
}

// Suggestions ranks directory services for an interview's needs, near the usager and eligible
// for them, with the ones already ticked marked. ENOTFOUND.
func (s *Service) Suggestions(ctx context.Context, uuid string) ([]domain.Suggestion, error) {
	iv, err := s.live(ctx, uuid)
	if err != nil {
		return nil, err
	}
	u, err := s.store.Usager(ctx, iv.UsagerUUID)
	if err != nil {
		return nil, err
	}
	needs, err := s.Needs(ctx, uuid)
	if err != nil {
		return nil, err
	}
	selections, err := s.store.Selections(ctx, uuid)
	if err != nil {
		return nil, fmt.Errorf("suggestions: %w", err)
	}
	commune := ""
	if geo.InDepartement(u.Commune) {
		commune = u.Commune
	}
	now := s.now()
	out := suggest.Suggest(searcher{s.dir}, needs, suggest.Profile{
		Commune: commune, Publics: suggest.PublicsOf(u, needs, now), Now: now,
	}, suggest.Options{})
	ticked := make(map[string]bool, len(selections))
	for _, sel := range selections {
		ticked[sel.ServiceUUID] = true
	}
	listed := make(map[string]bool, len(out))
	for i := range out {
		out[i].Selected = ticked[out[i].Hit.ServiceUUID]
		listed[out[i].Hit.ServiceUUID] = true
	}
	// A service ticked earlier stays in the list even when the ranking no longer brings it (the
	// needs changed, the directory was updated): the worker must see what was proposed.
	for _, sel := range selections {
		if listed[sel.ServiceUUID] {
			continue
		}
		h, ok := s.dir.HitOf(sel.ServiceUUID)
		if !ok {
			continue // withdrawn from the directory since
		}
		var domains []string
		if sel.Domain != "" {
			domains = []string{sel.Domain}
		}
		out = append(out, domain.Suggestion{Hit: h, Domains: domains, Why: sel.Why, Selected: true, Give: h.PeutDonner})
	}
	return out, nil
}

// searcher adapts the directory to suggest.Searcher.
type searcher struct{ dir Searcher }

func (s searcher) Search(q domain.SearchQuery) domain.SearchResult { return s.dir.SearchResolved(q) }

// Select ticks (selected=true) or unticks a suggestion, to propose it to the person.
// ENOTFOUND.
func (s *Service) Select(ctx context.Context, interviewUUID, serviceUUID string, selected bool, why, domainID string) error {
	if _, err := s.live(ctx, interviewUUID); err != nil {
		return err
	}
	return s.store.SetSelection(ctx, domain.Selection{InterviewUUID: interviewUUID, ServiceUUID: serviceUUID,
		Why: why, Domain: domainID, SelectedAt: s.now()}, selected)
}

// Selections returns the suggestions ticked for an interview. ENOTFOUND.
func (s *Service) Selections(ctx context.Context, interviewUUID string) ([]domain.Selection, error) {
	if _, err := s.live(ctx, interviewUUID); err != nil {
		return nil, err
	}
	return s.store.Selections(ctx, interviewUUID)
}
