package referrals_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/directory"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/interviews"
	"github.com/edas92/passerelle/internal/referrals"
	"github.com/edas92/passerelle/internal/sqlite"
)

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

// desk is a real desk: a SQLite file, the demo directory, interviews and referrals.
type desk struct {
	refs  *referrals.Service
	ivs   *interviews.Service
	dir   *directory.Directory
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
	ctx := context.Background()
	dir := directory.New(db, directory.Options{Now: c.now, Logger: log})
	if _, err := dir.LoadDemo(ctx, nil); err != nil {
		t.Fatal(err)
	}
	ivs := interviews.New(db, dir, interviews.Options{Now: c.now, Logger: log})
	if _, err := ivs.Start(ctx); err != nil {
		t.Fatal(err)
	}
	refs := referrals.New(referrals.Stores{Referrals: db, Directory: db, Interviews: db, Meta: db}, referrals.Options{Now: c.now, Logger: log})
	if _, err := refs.SaveSettings(ctx, domain.Settings{WorkerName: "Claire Martin", EDAS: "EDAS Issy-les-Moulineaux",
		WorkerPhone: "01 41 23 45 67", FollowUpDays: 30}); err != nil {
		t.Fatal(err)
	}
	return &desk{refs: refs, ivs: ivs, dir: dir, clock: c}
}

// interviewWithTicks: a person of Nanterre, an interview revealing isolation and a health need,
// and three ticked suggestions, one of them for the health domain.
func (d *desk) interviewWithTicks(t *testing.T) (domain.Usager, string, []domain.Suggestion) {
	t.Helper()
	ctx := context.Background()
	u, err := d.ivs.CreateUsager(ctx, interviews.UsagerInput{DisplayName: "Mme D.", Commune: "Nanterre", Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	iv, err := d.ivs.StartInterview(ctx, u.UUID, "")
	if err != nil {
		t.Fatal(err)
	}
	one := 1.0
	for q, v := range map[string]domain.AnswerValue{
		"liens-auto": {Number: &one}, "sante-auto": {Number: &one}, "alimentation-auto": {Number: &one},
	} {
		if _, err := d.ivs.Answer(ctx, iv.UUID, q, v, nil); err != nil {
			t.Fatal(err)
		}
	}
	sugg, err := d.ivs.Suggestions(ctx, iv.UUID)
	if err != nil {
		t.Fatal(err)
	}
	var picked []domain.Suggestion
	var health bool
	for _, s := range sugg {
		isHealth := len(s.Domains) > 0 && s.Domains[0] == "sante"
		if isHealth && health || !isHealth && len(picked)-boolInt(health) >= 2 {
			continue
		}
		health = health || isHealth
		picked = append(picked, s)
		if err := d.ivs.Select(ctx, iv.UUID, s.Hit.ServiceUUID, true, s.Why, s.Domains[0]); err != nil {
			t.Fatal(err)
		}
		if len(picked) == 3 {
			break
		}
	}
	if !health || len(picked) != 3 {
		t.Fatalf("the demo must give a health suggestion and two others: %d picked, health %v", len(picked), health)
	}
	return u, iv.UUID, picked
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sheet.pdf")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (Debian package poppler-utils): %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestPrepare_FromInterview_HealthStaysOff(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	u, iv, picked := d.interviewWithTicks(t)
	view, err := d.refs.Prepare(ctx, referrals.PrepareInput{InterviewUUID: iv, Message: "À bientôt !"})
	if err != nil {
		t.Fatal(err)
	}
	if len(view.Referrals) != 3 {
		t.Fatalf("%d referrals, want the 3 ticked", len(view.Referrals))
	}
	for _, r := range view.Referrals {
		if r.UsagerUUID != u.UUID || r.Status != domain.ReferralDraft || r.WorkerName != "Claire Martin" ||
			r.FollowUpOn != "2026-12-23" || r.UsagerName != "Mme D." || len(r.History) != 1 {
			t.Errorf("referral %+v", r)
		}
		if r.Need != "" && strings.Contains(strings.ToLower(r.Need), "soin") {
			t.Errorf("a health need is stored without the worker's consent: %q", r.Need)
		}
	}
	text := pdfText(t, mustPDF(t, d, view.SheetUUID))
	for _, s := range picked {
		if !strings.Contains(text, s.Hit.Nom) {
			t.Errorf("the sheet lacks %q", s.Hit.Nom)
		}
	}
	for _, want := range []string{"Votre fiche d’orientation", "Pour : Mme D.", "À bientôt !", "Claire Martin", "EDAS Issy-les-Moulineaux", "01 41 23 45 67"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q", want)
		}
	}

	// With health ticked for this sheet, the health need is printed.
	withHealth, err := d.refs.Prepare(ctx, referrals.PrepareInput{InterviewUUID: iv, IncludeHealth: true})
	if err != nil {
		t.Fatal(err)
	}
	var healthNeed string
	for _, r := range withHealth.Referrals {
		if r.ServiceUUID == picked[healthIndex(picked)].Hit.ServiceUUID {
			healthNeed = r.Need
		}
	}
	if healthNeed == "" || !strings.Contains(pdfText(t, mustPDF(t, d, withHealth.SheetUUID)), healthNeed) {
		t.Errorf("with health ticked, the need %q is printed", healthNeed)
	}
}

func healthIndex(ss []domain.Suggestion) int {
	for i, s := range ss {
		if s.Domains[0] == "sante" {
			return i
		}
	}
	return -1
}

func mustPDF(t *testing.T, d *desk, sheet string) []byte {
	t.Helper()
	b, err := d.refs.PDF(context.Background(), sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	return b
}

func TestLifecycle_GivenDueNonRecours(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	_, iv, _ := d.interviewWithTicks(t)
	view, err := d.refs.Prepare(ctx, referrals.PrepareInput{InterviewUUID: iv, FollowUpDays: 10})
	if err != nil {
		t.Fatal(err)
	}
	if due, _ := d.refs.Due(ctx); len(due) != 0 {
		t.Fatalf("drafts are not due: %+v", due)
	}
	given, err := d.refs.MarkGiven(ctx, view.SheetUUID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range given.Referrals {
		if r.Status != domain.ReferralGiven || len(r.History) != 2 {
			t.Fatalf("given %+v", r)
		}
	}
	d.clock.add(9 * 24 * time.Hour)
	if due, _ := d.refs.Due(ctx); len(due) != 0 {
		t.Fatalf("not yet due: %d", len(due))
	}
	d.clock.add(24 * time.Hour)
	due, err := d.refs.Due(ctx)
	if err != nil || len(due) != 3 || due[0].UsagerName != "Mme D." {
		t.Fatalf("due on the follow-up day: %+v %v", due, err)
	}
	r := due[0]
	if _, err := d.refs.SetStatus(ctx, r.UUID, domain.ReferralNotTaken, "", "", ""); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a non-recours needs a reason: %v", err)
	}
	if _, err := d.refs.SetStatus(ctx, r.UUID, domain.ReferralNotTaken, "autre", "", ""); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("« autre » needs its text: %v", err)
	}
	done, err := d.refs.SetStatus(ctx, r.UUID, domain.ReferralNotTaken, "horaires", "", "Ouvert seulement le matin.")
	if err != nil || done.Status != domain.ReferralNotTaken || done.History[2].Reason != "horaires" {
		t.Fatalf("non-recours: %+v %v", done, err)
	}
	if h, err := d.refs.History(ctx, r.UUID); err != nil || len(h) != 3 || h[2].Note != "Ouvert seulement le matin." {
		t.Errorf("history %+v %v", h, err)
	}
	if _, err := d.refs.SetStatus(ctx, r.UUID, domain.ReferralDone, "", "", ""); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("a closed referral stays closed: %v", err)
	}
	if due, _ := d.refs.Due(ctx); len(due) != 2 {
		t.Errorf("a recorded outcome leaves the list: %d due", len(due))
	}
	// The next interview shows the person's referrals.
	mine, err := d.refs.OfUsager(ctx, r.UsagerUUID)
	if err != nil || len(mine) != 3 {
		t.Fatalf("referrals of the person: %d %v", len(mine), err)
	}
	if err := d.refs.SetFollowUp(ctx, due[1].UUID, "31/12/2026"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a bad follow-up date: %v", err)
	}
}

func TestDeleteUsager_DetachesReferrals(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	u, iv, _ := d.interviewWithTicks(t)
	view, err := d.refs.Prepare(ctx, referrals.PrepareInput{InterviewUUID: iv, Message: "Message personnel"})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.ivs.DeleteUsager(ctx, u.UUID); err != nil {
		t.Fatal(err)
	}
	after, err := d.refs.Sheet(ctx, view.SheetUUID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range after.Referrals {
		if r.UsagerUUID != "" || r.Message != "" || r.ServiceName == "" {
			t.Errorf("after erasure, a referral keeps only the service and the outcome: %+v", r)
		}
	}
}

func TestSettings(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	got, err := d.refs.Settings(ctx)
	if err != nil || got.WorkerName != "Claire Martin" || got.FollowUpDays != 30 {
		t.Fatalf("settings %+v %v", got, err)
	}
	_, err = d.refs.SaveSettings(ctx, domain.Settings{WorkerPhone: "appelez-moi", FollowUpDays: 0})
	if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "appelez-moi") ||
		!strings.Contains(domain.ErrorMessage(err), "délai") {
		t.Fatalf("bad settings: %v", err)
	}
}

func TestDirectAndInitiativePDF(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := context.Background()
	b, err := d.refs.DirectPDF(ctx, referrals.DirectInput{
		Services: []string{"passerelle-demo--epicerie-la-passerelle-nanterre"}, Message: "Bon courage"})
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b)
	for _, want := range []string{"Épicerie La Passerelle", "Bon courage", "Claire Martin"} {
		if !strings.Contains(text, want) {
			t.Errorf("direct sheet lacks %q", want)
		}
	}
	if _, err := d.refs.DirectPDF(ctx, referrals.DirectInput{Services: []string{"dora--nulle-part"}}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("an unknown service: %v", err)
	}
	ini, err := d.refs.InitiativePDF(ctx, referrals.ServiceUUID("passerelle-demo--epicerie-la-passerelle-nanterre"))
	if err != nil || !strings.Contains(pdfText(t, ini), "Fiche initiative") {
		t.Fatalf("fiche initiative: %v", err)
	}
}
