package interviews

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/grid"
)

// UsagerInput is what the worker types to create or edit a file.
type UsagerInput struct {
	DisplayName string `json:"display_name"` // initials or a pseudonym are enough
	BirthYear   *int   `json:"birth_year"`
	Commune     string `json:"commune"` // a commune name, INSEE code or postcode, or "autre"
	Household   string `json:"household"`
	Contact     string `json:"contact"`
	Notes       string `json:"notes"`
	// Consent: the person agreed to the file after hearing domain.ConsentWording. Required to
	// create a file; on an existing file it cannot be withdrawn here (that is DeleteUsager).
	Consent bool `json:"consent"`
}

// check validates the input and returns it cleaned, with the commune resolved to an INSEE code.
func (s *Service) check(in UsagerInput) (UsagerInput, error) {
	var problems []string
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	switch n := utf8.RuneCountInString(in.DisplayName); {
	case n == 0:
		problems = append(problems, "indiquez un nom d’usage (des initiales ou un pseudonyme suffisent)")
	case n > 80:
		problems = append(problems, "le nom d’usage est trop long (80 caractères au plus)")
	}
	if in.BirthYear != nil {
		if y := *in.BirthYear; y < 1900 || y > s.now().Year() {
			problems = append(problems, fmt.Sprintf("l’année de naissance %d n’est pas plausible", y))
		}
	}
	switch c := strings.TrimSpace(in.Commune); {
	case c == "":
		problems = append(problems, "indiquez la commune de résidence (ou « autre »)")
	case strings.EqualFold(c, domain.CommuneOther):
		in.Commune = domain.CommuneOther
	default:
		com, err := geo.Resolve(c)
		if err != nil {
			problems = append(problems, domain.ErrorMessage(err))
		} else {
			in.Commune = com.CodeInsee
		}
	}
	if in.Household != "" && !validHousehold(in.Household) {
		problems = append(problems, fmt.Sprintf("situation du foyer inconnue « %s »", in.Household))
	}
	in.Contact = strings.TrimSpace(in.Contact)
	if utf8.RuneCountInString(in.Contact) > 200 {
		problems = append(problems, "le contact est trop long (200 caractères au plus)")
	}
	if utf8.RuneCountInString(in.Notes) > 20000 {
		problems = append(problems, "les notes sont trop longues (20 000 caractères au plus)")
	}
	if len(problems) > 0 {
		return in, domain.Errorf(domain.EINVALID, "Le dossier ne peut pas être enregistré : %s.", strings.Join(problems, " ; "))
	}
	return in, nil
}

func validHousehold(code string) bool {
	for _, h := range domain.Households {
		if h.Code == code {
			return true
		}
	}
	return false
}

// CreateUsager opens a file with the person's consent. EINVALID (French) when the input is
// wrong or the consent was not given.
func (s *Service) CreateUsager(ctx context.Context, in UsagerInput) (domain.Usager, error) {
	in, err := s.check(in)
	if err != nil {
		return domain.Usager{}, err
	}
	if !in.Consent {
		return domain.Usager{}, domain.Errorf(domain.EINVALID,
			"Un dossier ne peut être ouvert qu’avec l’accord de la personne : lisez-lui le texte de consentement et cochez son accord.")
	}
	now := s.now()
	u := domain.Usager{
		DisplayName: in.DisplayName, BirthYear: in.BirthYear, Commune: in.Commune, Household: in.Household,
		Contact: in.Contact, Notes: in.Notes, ConsentGiven: true, ConsentAt: &now, ConsentText: domain.ConsentWording,
		LastContactAt: now,
	}
	u.UUID = domain.NewUUID()
	if err := s.store.CreateUsager(ctx, u); err != nil {
		return domain.Usager{}, fmt.Errorf("create usager: %w", err)
	}
	return s.store.Usager(ctx, u.UUID)
}

// UpdateUsager changes a file's fields; the consent given at creation stays as it was.
// EINVALID, ENOTFOUND.
func (s *Service) UpdateUsager(ctx context.Context, uuid string, in UsagerInput) (domain.Usager, error) {
	u, err := s.store.Usager(ctx, uuid)
	if err != nil {
		return u, err
	}
	in.Consent = true
	if in, err = s.check(in); err != nil {
		return u, err
	}
	u.DisplayName, u.BirthYear, u.Commune, u.Household, u.Contact, u.Notes =
		in.DisplayName, in.BirthYear, in.Commune, in.Household, in.Contact, in.Notes
	if err := s.store.UpdateUsager(ctx, u); err != nil {
		return u, fmt.Errorf("update usager: %w", err)
	}
	return s.store.Usager(ctx, uuid)
}

// DeleteUsager erases a file at the person's request. ENOTFOUND.
func (s *Service) DeleteUsager(ctx context.Context, uuid string) error {
	if err := s.store.DeleteUsager(ctx, uuid); err != nil {
		return err
	}
	s.log.Info("usager file deleted at the person's request", "usager", uuid)
	return nil
}

// Usagers lists the files whose name contains query, most recent contact first.
func (s *Service) Usagers(ctx context.Context, query string) ([]domain.UsagerSummary, error) {
	return s.store.Usagers(ctx, strings.TrimSpace(query))
}

// File is a usager's file as the screen shows it.
type File struct {
	Usager     domain.Usager   `json:"usager"`
	UUID       string          `json:"uuid"`
	Interviews []InterviewItem `json:"interviews"`
	Journey    []DomainJourney `json:"journey"`
	// RetentionUntil is the day the file will be anonymised without a new contact (YYYY-MM-DD).
	RetentionUntil string `json:"retention_until"`
}

// InterviewItem is an interview in a file's list, with its UUID (records keep theirs out of
// their JSON).
type InterviewItem struct {
	UUID string `json:"uuid"`
	domain.Interview
}

// DomainJourney is the distance travelled in one life area: the person's self-assessments, in
// time order, from the first interview to the latest.
type DomainJourney struct {
	Domain    string         `json:"domain"`
	Title     string         `json:"title"`
	Sensitive bool           `json:"sensitive"` // health: the screen keeps it folded until asked
	Points    []JourneyPoint `json:"points"`
	First     *JourneyPoint  `json:"first"`
	Latest    *JourneyPoint  `json:"latest"`
}

// JourneyPoint is one self-assessment (1–5) at one interview.
type JourneyPoint struct {
	InterviewUUID string    `json:"interview_uuid"`
	At            time.Time `json:"at"`
	Value         float64   `json:"value"`
	WorkerRating  *int      `json:"worker_rating"`
}

// Usager returns a file with its interviews and the distance travelled. ENOTFOUND.
func (s *Service) Usager(ctx context.Context, uuid string) (File, error) {
	u, err := s.store.Usager(ctx, uuid)
	if err != nil {
		return File{}, err
	}
	ivs, err := s.store.InterviewsOf(ctx, uuid)
	if err != nil {
		return File{}, fmt.Errorf("usager file: %w", err)
	}
	journey, err := s.journey(ctx, ivs)
	if err != nil {
		return File{}, err
	}
	items := make([]InterviewItem, len(ivs))
	for i, iv := range ivs {
		items[i] = InterviewItem{UUID: iv.UUID, Interview: iv}
	}
	return File{Usager: u, UUID: u.UUID, Interviews: items, Journey: journey,
		RetentionUntil: u.LastContactAt.AddDate(domain.RetentionYears, 0, 0).Format(time.DateOnly)}, nil
}

// journey collects, per grid domain, the self-assessments of the interviews in time order.
// Domains are matched by id across grid versions; a sensitive domain is included (the chart shows
// a number, not an answer).
func (s *Service) journey(ctx context.Context, ivs []domain.Interview) ([]DomainJourney, error) {
	byDomain := map[string]*DomainJourney{}
	var order []string
	for _, iv := range ivs {
		g, err := s.store.Grid(ctx, iv.GridID, iv.GridVersion)
		if err != nil {
			return nil, fmt.Errorf("journey: %w", err)
		}
		answers, err := s.store.Answers(ctx, iv.UUID, true)
		if err != nil {
			return nil, fmt.Errorf("journey: %w", err)
		}
		byQuestion := make(map[string]domain.Answer, len(answers))
		for _, a := range answers {
			byQuestion[a.QuestionID] = a
		}
		for _, d := range g.Domains {
			q := grid.SelfAssessment(d)
			a, ok := byQuestion[q]
			if q == "" || !ok || a.Value.Number == nil {
				continue
			}
			j := byDomain[d.ID]
			if j == nil {
				j = &DomainJourney{Domain: d.ID, Title: d.Title, Sensitive: d.Sensitive}
				byDomain[d.ID] = j
				order = append(order, d.ID)
			}
			j.Title = d.Title // the latest version's title
			j.Points = append(j.Points, JourneyPoint{InterviewUUID: iv.UUID, At: iv.StartedAt, Value: *a.Value.Number, WorkerRating: a.WorkerRating})
		}
	}
	out := make([]DomainJourney, 0, len(order))
	for _, id := range order {
		j := byDomain[id]
		sort.SliceStable(j.Points, func(a, b int) bool { return j.Points[a].At.Before(j.Points[b].At) })
		j.First, j.Latest = &j.Points[0], &j.Points[len(j.Points)-1]
		out = append(out, *j)
	}
	return out, nil
}
