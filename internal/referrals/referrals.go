// Package referrals is the use cases of referral sheets and their follow-up: prepare a sheet from
// an interview's ticked suggestions or from the directory, print it as PDF, mark it given, record
// with the person whether it helped (or why not: non-recours), and list what is due for a
// follow-up. Health information reaches a sheet only when the worker ticks it for that sheet.
package referrals

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/pdf"
	"github.com/edas92/passerelle/internal/sheet"
)

// MetaStore keeps the desk's settings.
type MetaStore interface {
	GetMeta(ctx context.Context, key string) (string, error)
	SetMeta(ctx context.Context, key, value string) error
}

// Stores are what referrals need of storage.
type Stores struct {
	Referrals  domain.ReferralStore
	Directory  domain.DirectoryStore
	Interviews domain.InterviewStore
	Meta       MetaStore
}

// Service serves referral sheets.
type Service struct {
	st  Stores
	now func() time.Time
	log *slog.Logger
}

// Options configure a Service.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
}

// New returns the service.
func New(st Stores, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	return &Service{st: st, now: opt.Now, log: opt.Logger}
}

// Settings keys in the desk's meta table.
const (
	metaWorker   = "settings.worker_name"
	metaEDAS     = "settings.edas"
	metaPhone    = "settings.worker_phone"
	metaFollowUp = "settings.follow_up_days"
)

// Settings returns the desk's settings (defaults when never saved).
func (s *Service) Settings(ctx context.Context) (domain.Settings, error) {
	var st domain.Settings
	for key, dst := range map[string]*string{metaWorker: &st.WorkerName, metaEDAS: &st.EDAS, metaPhone: &st.WorkerPhone} {
		v, err := s.st.Meta.GetMeta(ctx, key)
		if err != nil {
			return st, fmt.Errorf("settings: %w", err)
		}
		*dst = v
	}
	st.FollowUpDays = domain.DefaultFollowUpDays
	if v, err := s.st.Meta.GetMeta(ctx, metaFollowUp); err != nil {
		return st, fmt.Errorf("settings: %w", err)
	} else if n, err := strconv.Atoi(v); err == nil && n > 0 {
		st.FollowUpDays = n
	}
	return st, nil
}

// SaveSettings checks and stores the settings. EINVALID (French) lists every problem.
func (s *Service) SaveSettings(ctx context.Context, st domain.Settings) (domain.Settings, error) {
	st.WorkerName, st.EDAS, st.WorkerPhone = strings.TrimSpace(st.WorkerName), strings.TrimSpace(st.EDAS), strings.TrimSpace(st.WorkerPhone)
	var problems []string
	for label, v := range map[string]string{"le nom": st.WorkerName, "l’EDAS": st.EDAS, "le téléphone": st.WorkerPhone} {
		if utf8.RuneCountInString(v) > 120 {
			problems = append(problems, label+" est trop long (120 caractères au plus)")
		}
	}
	if st.WorkerPhone != "" && !plausiblePhone(st.WorkerPhone) {
		problems = append(problems, fmt.Sprintf("le téléphone « %s » n’est pas un numéro", st.WorkerPhone))
	}
	if st.FollowUpDays < 1 || st.FollowUpDays > 365 {
		problems = append(problems, "le délai de suivi doit être compris entre 1 et 365 jours")
	}
	if len(problems) > 0 {
		return st, domain.Errorf(domain.EINVALID, "Les paramètres ne peuvent pas être enregistrés : %s.", strings.Join(problems, " ; "))
	}
	for key, v := range map[string]string{metaWorker: st.WorkerName, metaEDAS: st.EDAS, metaPhone: st.WorkerPhone,
		metaFollowUp: strconv.Itoa(st.FollowUpDays)} {
		if err := s.st.Meta.SetMeta(ctx, key, v); err != nil {
			return st, fmt.Errorf("save settings: %w", err)
		}
	}
	return st, nil
}

// plausiblePhone accepts digits with spaces, dots, dashes, parentheses and a leading +.
func plausiblePhone(p string) bool {
	digits := 0
	for i, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 4 && digits <= 15
}

// Item is a referral as screens list it: with its UUID and creation time (records keep them out
// of their JSON).
type Item struct {
	UUID      string    `json:"uuid"`
	CreatedAt time.Time `json:"created_at"`
	domain.Referral
	UsagerName string `json:"usager_name"` // the person's display name, "" for a walk-in
}

func (s *Service) items(ctx context.Context, rs []domain.Referral) ([]Item, error) {
	names := map[string]string{}
	out := make([]Item, 0, len(rs))
	for _, r := range rs {
		it := Item{UUID: r.UUID, CreatedAt: r.CreatedAt, Referral: r}
		if r.UsagerUUID != "" {
			name, ok := names[r.UsagerUUID]
			if !ok {
				u, err := s.st.Interviews.Usager(ctx, r.UsagerUUID)
				switch domain.ErrorCode(err) {
				case "":
					name = u.DisplayName
				case domain.ENOTFOUND:
				default:
					return nil, fmt.Errorf("referral items: %w", err)
				}
				names[r.UsagerUUID] = name
			}
			it.UsagerName = name
		}
		out = append(out, it)
	}
	return out, nil
}

// Due returns the referrals given whose follow-up date has come: ask the person how it went.
func (s *Service) Due(ctx context.Context) ([]Item, error) {
	rs, err := s.st.Referrals.DueReferrals(ctx, s.now().Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("due referrals: %w", err)
	}
	return s.items(ctx, rs)
}

// OfUsager returns a person's referrals, most recent first (the interview screen shows the open
// ones, so that their outcome is recorded with the person).
func (s *Service) OfUsager(ctx context.Context, usagerUUID string) ([]Item, error) {
	rs, err := s.st.Referrals.ReferralsOf(ctx, usagerUUID)
	if err != nil {
		return nil, fmt.Errorf("referrals of usager: %w", err)
	}
	return s.items(ctx, rs)
}

// RecentSheets returns the latest sheets prepared on the desk (their first referral).
func (s *Service) RecentSheets(ctx context.Context) ([]Item, error) {
	rs, err := s.st.Referrals.RecentSheets(ctx, 30)
	if err != nil {
		return nil, fmt.Errorf("recent sheets: %w", err)
	}
	return s.items(ctx, rs)
}

// History returns the steps of one referral, oldest first. ENOTFOUND.
func (s *Service) History(ctx context.Context, uuid string) ([]domain.ReferralChange, error) {
	r, err := s.st.Referrals.Referral(ctx, uuid)
	if err != nil {
		return nil, err
	}
	return r.History, nil
}

// SetStatus records a step of a referral: given, done, not taken (with a reason from
// domain.NonRecoursReasons; "autre" needs a text), cancelled. ECONFLICT for a transition that is
// not allowed, EINVALID, ENOTFOUND.
func (s *Service) SetStatus(ctx context.Context, uuid, status, reason, reasonText, note string) (Item, error) {
	r, err := s.st.Referrals.SetReferralStatus(ctx, uuid, domain.ReferralChange{
		Status: status, Reason: reason, ReasonText: strings.TrimSpace(reasonText), Note: strings.TrimSpace(note)})
	if err != nil {
		return Item{}, err
	}
	its, err := s.items(ctx, []domain.Referral{r})
	if err != nil {
		return Item{}, err
	}
	return its[0], nil
}

// SetFollowUp changes when to ask how a referral went (YYYY-MM-DD). EINVALID, ENOTFOUND.
func (s *Service) SetFollowUp(ctx context.Context, uuid, date string) error {
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return domain.Errorf(domain.EINVALID, "Date de suivi illisible « %s » (attendu AAAA-MM-JJ).", date)
	}
	return s.st.Referrals.SetFollowUp(ctx, uuid, date)
}

// render draws a layout as PDF.
func render(doc sheet.Document) ([]byte, error) {
	b, err := pdf.Render(doc)
	if err != nil {
		return nil, fmt.Errorf("render pdf: %w", err)
	}
	return b, nil
}
