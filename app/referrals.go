package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/referrals"
)

// Referrals is the referral sheets and their follow-up (« À revoir »).
type Referrals struct {
	core *core
	svc  *referrals.Service
}

// Prepare creates a sheet's referrals as drafts, from services or an interview's ticked
// suggestions, and returns its preview. Errors: invalid, not_found.
func (r *Referrals) Prepare(in referrals.PrepareInput) (referrals.SheetView, error) {
	return r.svc.Prepare(r.core.context(), in)
}

// Sheet returns a sheet with its preview. Errors: not_found.
func (r *Referrals) Sheet(sheetUUID string) (referrals.SheetView, error) {
	r.core.record("ouverture fiche d’orientation", sheetUUID)
	return r.svc.Sheet(r.core.context(), sheetUUID)
}

// MarkGiven records that the sheet was printed or handed over. Errors: not_found.
func (r *Referrals) MarkGiven(sheetUUID string) (referrals.SheetView, error) {
	return r.svc.MarkGiven(r.core.context(), sheetUUID)
}

// SavePDF asks where to save the sheet and writes it; "" when cancelled. Errors: not_found, invalid.
func (r *Referrals) SavePDF(sheetUUID string) (string, error) {
	ctx := r.core.context()
	r.core.record("enregistrement PDF fiche d’orientation", sheetUUID)
	b, err := r.svc.PDF(ctx, sheetUUID)
	if err != nil {
		return "", err
	}
	path, err := r.core.rt.SaveFile(ctx, "Enregistrer la fiche d’orientation", "fiche-orientation-"+time.Now().Format("2006-01-02")+".pdf")
	if err != nil || path == "" {
		return "", err
	}
	return path, writePDF(path, b)
}

// PDFFile is a PDF written in the desk's data folder, and whether the system's viewer opened it.
type PDFFile struct {
	Path   string `json:"path"`
	Opened bool   `json:"opened"` // false: no viewer could be started; the screen shows the path
}

// OpenPDF writes the sheet in the desk's data folder and opens it in the system's PDF viewer, to
// print it. Errors: not_found.
func (r *Referrals) OpenPDF(sheetUUID string) (PDFFile, error) {
	ctx := r.core.context()
	r.core.record("impression fiche d’orientation", sheetUUID)
	b, err := r.svc.PDF(ctx, sheetUUID)
	if err != nil {
		return PDFFile{}, err
	}
	return r.core.openPDF("fiche-"+short(sheetUUID), b)
}

// InitiativePDF writes the « fiche initiative » of a service (for the reception desk) and opens
// it in the system's PDF viewer. Errors: not_found.
func (r *Referrals) InitiativePDF(serviceUUID string) (PDFFile, error) {
	ctx := r.core.context()
	b, err := r.svc.InitiativePDF(ctx, serviceUUID)
	if err != nil {
		return PDFFile{}, err
	}
	return r.core.openPDF("initiative-"+short(serviceUUID), b)
}

// SetStatus records a step of a referral (remise, realisee, non-recours with a reason, annulee).
// Errors: conflict (transition not allowed), invalid, not_found.
func (r *Referrals) SetStatus(uuid, status, reason, reasonText, note string) (referrals.Item, error) {
	return r.svc.SetStatus(r.core.context(), uuid, status, reason, reasonText, note)
}

// History returns the steps of one referral, oldest first (its status changes, reasons and
// notes). Errors: not_found.
func (r *Referrals) History(uuid string) ([]domain.ReferralChange, error) {
	return r.svc.History(r.core.context(), uuid)
}

// SetFollowUp changes when to ask how a referral went (YYYY-MM-DD). Errors: invalid, not_found.
func (r *Referrals) SetFollowUp(uuid, date string) error {
	return r.svc.SetFollowUp(r.core.context(), uuid, date)
}

// Due lists the referrals whose follow-up has come (« À revoir »).
func (r *Referrals) Due() ([]referrals.Item, error) { return r.svc.Due(r.core.context()) }

// OfUsager lists a person's referrals, most recent first.
func (r *Referrals) OfUsager(usagerUUID string) ([]referrals.Item, error) {
	return r.svc.OfUsager(r.core.context(), usagerUUID)
}

// RecentSheets lists the latest sheets prepared on the desk.
func (r *Referrals) RecentSheets() ([]referrals.Item, error) {
	return r.svc.RecentSheets(r.core.context())
}

// Code is a code with its French label.
type Code struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// ReferralVocabulary is the statuses and non-recours reasons with their labels.
type ReferralVocabulary struct {
	Statuses    []Code              `json:"statuses"`
	Reasons     []Code              `json:"reasons"`
	Transitions map[string][]string `json:"transitions"`
}

// Vocabulary returns the referral statuses, the non-recours reasons and the allowed transitions.
func (r *Referrals) Vocabulary() ReferralVocabulary {
	v := ReferralVocabulary{Transitions: domain.ReferralTransitions}
	for _, s := range domain.ReferralStatuses {
		v.Statuses = append(v.Statuses, Code{s.Code, s.Label})
	}
	for _, s := range domain.NonRecoursReasons {
		v.Reasons = append(v.Reasons, Code{s.Code, s.Label})
	}
	return v
}

// Settings is the desk's settings screen: the worker and the EDAS printed on sheets.
type Settings struct {
	core *core
	svc  *referrals.Service
}

// Get returns the settings.
func (s *Settings) Get() (domain.Settings, error) { return s.svc.Settings(s.core.context()) }

// Save checks and stores the settings. Errors: invalid (French, every problem listed).
func (s *Settings) Save(st domain.Settings) (domain.Settings, error) {
	return s.svc.SaveSettings(s.core.context(), st)
}

// openPDF writes a PDF in the data folder's « fiches » folder (owner only) and opens it in the
// system's viewer. Printed sheets hold a person's name: the folder is emptied of files older
// than a day at each start.
func (c *core) openPDF(name string, b []byte) (PDFFile, error) {
	dir := filepath.Join(c.dataDir, "fiches")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return PDFFile{}, fmt.Errorf("pdf folder: %w", err)
	}
	path := filepath.Join(dir, name+".pdf")
	if err := writePDF(path, b); err != nil {
		return PDFFile{}, err
	}
	if err := c.rt.OpenFile(c.context(), path); err != nil {
		c.log.Warn("no PDF viewer could be started", "err", err)
		return PDFFile{Path: path}, nil
	}
	return PDFFile{Path: path, Opened: true}, nil
}

func writePDF(path string, b []byte) error {
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return domain.Errorf(domain.EINVALID, "Impossible d’écrire le PDF dans %s.", filepath.Dir(path))
	}
	return nil
}

// CleanPrinted removes the PDFs older than a day from the data folder's « fiches » folder.
func CleanPrinted(dataDir string, now time.Time) {
	entries, err := os.ReadDir(filepath.Join(dataDir, "fiches"))
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err == nil && strings.HasSuffix(e.Name(), ".pdf") && now.Sub(info.ModTime()) > 24*time.Hour {
			os.Remove(filepath.Join(dataDir, "fiches", e.Name()))
		}
	}
}

func short(uuid string) string {
	if len(uuid) > 8 {
		return uuid[:8]
	}
	return uuid
}
