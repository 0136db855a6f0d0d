package referrals

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/sheet"
)

// PrepareInput is what the worker chose for a new sheet.
type PrepareInput struct {
	UsagerUUID    string   `json:"usager_uuid"`    // "" for an anonymous walk-in
	InterviewUUID string   `json:"interview_uuid"` // its ticked suggestions are taken when ServiceUUIDs is empty
	ServiceUUIDs  []string `json:"service_uuids"`
	Message       string   `json:"message"`
	IncludeHealth bool     `json:"include_health"` // health information may appear on this sheet
	FollowUpDays  int      `json:"follow_up_days"` // 0: the settings' delay
}

// SheetView is a sheet as the preview screen shows it: its referrals and its layout.
type SheetView struct {
	SheetUUID string         `json:"sheet_uuid"`
	Referrals []Item         `json:"referrals"`
	Document  sheet.Document `json:"document"`
}

// Prepare creates the referrals of a new sheet, as drafts. EINVALID (no service, unknown one,
// message too long), ENOTFOUND (usager, interview).
func (s *Service) Prepare(ctx context.Context, in PrepareInput) (SheetView, error) {
	settings, err := s.Settings(ctx)
	if err != nil {
		return SheetView{}, err
	}
	if utf8.RuneCountInString(in.Message) > 2000 {
		return SheetView{}, domain.Errorf(domain.EINVALID, "Le message est trop long (2 000 caractères au plus).")
	}
	if in.UsagerUUID != "" {
		if _, err := s.st.Interviews.Usager(ctx, in.UsagerUUID); err != nil {
			return SheetView{}, err
		}
	}
	// What each service answers: the interview's ticked suggestions say it.
	needs := map[string]string{}
	if in.InterviewUUID != "" {
		iv, err := s.st.Interviews.Interview(ctx, in.InterviewUUID)
		if err != nil {
			return SheetView{}, err
		}
		if in.UsagerUUID == "" {
			in.UsagerUUID = iv.UsagerUUID
		} else if in.UsagerUUID != iv.UsagerUUID {
			return SheetView{}, domain.Errorf(domain.EINVALID, "Cet entretien est celui d’une autre personne.")
		}
		g, err := s.st.Interviews.Grid(ctx, iv.GridID, iv.GridVersion)
		if err != nil {
			return SheetView{}, fmt.Errorf("prepare: %w", err)
		}
		sels, err := s.st.Interviews.Selections(ctx, in.InterviewUUID)
		if err != nil {
			return SheetView{}, fmt.Errorf("prepare: %w", err)
		}
		for _, sel := range sels {
			needs[sel.ServiceUUID] = needOf(sel, g, in.IncludeHealth)
		}
		if len(in.ServiceUUIDs) == 0 {
			for _, sel := range sels {
				in.ServiceUUIDs = append(in.ServiceUUIDs, sel.ServiceUUID)
			}
		}
	}
	if len(in.ServiceUUIDs) == 0 {
		return SheetView{}, domain.Errorf(domain.EINVALID, "Choisissez au moins une initiative à proposer.")
	}
	days := in.FollowUpDays
	if days == 0 {
		days = settings.FollowUpDays
	}
	if days < 1 || days > 365 {
		return SheetView{}, domain.Errorf(domain.EINVALID, "Le délai de suivi doit être compris entre 1 et 365 jours.")
	}
	followUp := s.now().AddDate(0, 0, days).Format(time.DateOnly)
	sheetUUID := domain.NewUUID()
	var rs []domain.Referral
	seen := map[string]bool{}
	for _, id := range in.ServiceUUIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		sv, err := s.st.Directory.Service(ctx, id)
		if err != nil {
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return SheetView{}, domain.Errorf(domain.EINVALID, "Initiative inconnue (%s) : elle a peut-être été retirée de l’annuaire.", id)
			}
			return SheetView{}, fmt.Errorf("prepare: %w", err)
		}
		r := domain.Referral{SheetUUID: sheetUUID, UsagerUUID: in.UsagerUUID, InterviewUUID: in.InterviewUUID,
			ServiceUUID: sv.UUID, ServiceName: sv.Nom, ServiceID: sv.ID, Need: needs[sv.UUID],
			Message: strings.TrimSpace(in.Message), IncludeHealth: in.IncludeHealth,
			WorkerName: settings.WorkerName, EDAS: settings.EDAS, WorkerPhone: settings.WorkerPhone,
			Status: domain.ReferralDraft, FollowUpOn: followUp}
		r.UUID = domain.NewUUID()
		rs = append(rs, r)
	}
	if err := s.st.Referrals.CreateReferrals(ctx, rs); err != nil {
		return SheetView{}, fmt.Errorf("prepare: %w", err)
	}
	s.log.Info("referral sheet prepared", "sheet", sheetUUID, "referrals", len(rs))
	return s.Sheet(ctx, sheetUUID)
}

// needOf says in plain words what a ticked suggestion answers: the first piece of its
// explanation (« lien social »). A need of a sensitive (health) domain is kept only when the
// worker ticked health for this sheet: otherwise it is not even stored with the referral.
func needOf(sel domain.Selection, g domain.Grid, includeHealth bool) string {
	for _, d := range g.Domains {
		if d.ID == sel.Domain && d.Sensitive && !includeHealth {
			return ""
		}
	}
	first, _, _ := strings.Cut(sel.Why, " · ")
	return strings.TrimSpace(first)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Sheet returns a sheet with its layout, as it will print. ENOTFOUND.
func (s *Service) Sheet(ctx context.Context, sheetUUID string) (SheetView, error) {
	rs, err := s.st.Referrals.Sheet(ctx, sheetUUID)
	if err != nil {
		return SheetView{}, err
	}
	doc, err := s.document(ctx, rs)
	if err != nil {
		return SheetView{}, err
	}
	items, err := s.items(ctx, rs)
	if err != nil {
		return SheetView{}, err
	}
	return SheetView{SheetUUID: sheetUUID, Referrals: items, Document: doc}, nil
}

// PDF returns a sheet as PDF. ENOTFOUND.
func (s *Service) PDF(ctx context.Context, sheetUUID string) ([]byte, error) {
	rs, err := s.st.Referrals.Sheet(ctx, sheetUUID)
	if err != nil {
		return nil, err
	}
	doc, err := s.document(ctx, rs)
	if err != nil {
		return nil, err
	}
	return render(doc)
}

// document lays out the sheet of referrals prepared together: the services as the directory
// knows them now (or only their name, when withdrawn since), the person, the worker then.
func (s *Service) document(ctx context.Context, rs []domain.Referral) (sheet.Document, error) {
	first := rs[0]
	in := sheet.ReferralInput{Message: first.Message, IncludeHealth: first.IncludeHealth, Date: first.CreatedAt,
		Worker: sheet.Worker{Name: first.WorkerName, EDAS: first.EDAS, Phone: first.WorkerPhone}}
	if first.UsagerUUID != "" {
		u, err := s.st.Interviews.Usager(ctx, first.UsagerUUID)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return sheet.Document{}, fmt.Errorf("sheet: %w", err)
		}
		in.Person = u.DisplayName
	}
	for _, r := range rs {
		info, err := s.serviceInfo(ctx, r.ServiceUUID)
		if err != nil {
			return sheet.Document{}, err
		}
		if info.Service.Nom == "" {
			info.Service.Nom, info.Service.ID = r.ServiceName, r.ServiceID
		}
		info.Need = r.Need
		in.Services = append(in.Services, info)
	}
	return sheet.Referral(in), nil
}

// serviceInfo loads a service and its structure; a service gone from the store gives an empty
// info (the caller prints its remembered name).
func (s *Service) serviceInfo(ctx context.Context, serviceUUID string) (sheet.ServiceInfo, error) {
	sv, err := s.st.Directory.Service(ctx, serviceUUID)
	switch domain.ErrorCode(err) {
	case "":
	case domain.ENOTFOUND:
		return sheet.ServiceInfo{}, nil
	default:
		return sheet.ServiceInfo{}, fmt.Errorf("sheet: %w", err)
	}
	st, err := s.st.Directory.Structure(ctx, domain.StructureUUIDOf(&sv))
	if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		return sheet.ServiceInfo{}, fmt.Errorf("sheet: %w", err)
	}
	return sheet.ServiceInfo{Service: sv, Structure: st}, nil
}

// MarkGiven records that a sheet was printed or handed over: its drafts become « remise ».
// ENOTFOUND.
func (s *Service) MarkGiven(ctx context.Context, sheetUUID string) (SheetView, error) {
	rs, err := s.st.Referrals.Sheet(ctx, sheetUUID)
	if err != nil {
		return SheetView{}, err
	}
	for _, r := range rs {
		if r.Status != domain.ReferralDraft {
			continue
		}
		if _, err := s.st.Referrals.SetReferralStatus(ctx, r.UUID, domain.ReferralChange{Status: domain.ReferralGiven}); err != nil {
			return SheetView{}, fmt.Errorf("mark given: %w", err)
		}
	}
	return s.Sheet(ctx, sheetUUID)
}

// InitiativePDF returns the « fiche initiative » of a service, for the EDAS reception.
// ENOTFOUND.
func (s *Service) InitiativePDF(ctx context.Context, serviceUUID string) ([]byte, error) {
	info, err := s.serviceInfo(ctx, serviceUUID)
	if err != nil {
		return nil, err
	}
	if info.Service.UUID == "" {
		return nil, domain.Errorf(domain.ENOTFOUND, "Initiative introuvable.")
	}
	settings, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	return render(sheet.Initiative(info, sheet.Worker{Name: settings.WorkerName, EDAS: settings.EDAS, Phone: settings.WorkerPhone}, s.now()))
}

// DirectInput is a sheet printed without being recorded (the command-line tool, for printing
// scripts): services by data·inclusion identifier or UUID.
type DirectInput struct {
	Services []string
	Message  string
	Worker   sheet.Worker
}

// DirectPDF lays out and renders a sheet that is not recorded as referrals. Settings fill what
// the input leaves empty. EINVALID for an unknown service.
func (s *Service) DirectPDF(ctx context.Context, in DirectInput) ([]byte, error) {
	settings, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	w := in.Worker
	if w.Name == "" {
		w.Name = settings.WorkerName
	}
	if w.EDAS == "" {
		w.EDAS = settings.EDAS
	}
	if w.Phone == "" {
		w.Phone = settings.WorkerPhone
	}
	doc := sheet.ReferralInput{Message: strings.TrimSpace(in.Message), Worker: w, Date: s.now()}
	for _, ref := range in.Services {
		info, err := s.serviceInfo(ctx, ServiceUUID(ref))
		if err != nil {
			return nil, err
		}
		if info.Service.UUID == "" {
			return nil, domain.Errorf(domain.EINVALID, "Initiative inconnue « %s » : indiquez son identifiant data·inclusion (source--id) ou son UUID.", ref)
		}
		doc.Services = append(doc.Services, info)
	}
	if len(doc.Services) == 0 {
		return nil, domain.Errorf(domain.EINVALID, "Indiquez au moins une initiative (--service).")
	}
	return render(sheet.Referral(doc))
}

// ServiceUUID returns the UUID of a service given by UUID or by data·inclusion identifier.
func ServiceUUID(ref string) string {
	ref = strings.TrimSpace(ref)
	if isUUID(ref) {
		return ref
	}
	return domain.RecordUUID(domain.KindService, "", ref)
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if r != '-' {
				return false
			}
		case (r >= '0' && r <= '9') || (r >= 'a' && r <= 'f'):
		default:
			return false
		}
	}
	return true
}
