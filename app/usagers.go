package app

import (
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/interviews"
)

// Usagers is the Usagers screen: the list of files and a person's file.
type Usagers struct {
	core *core
	svc  *interviews.Service
}

// List returns the files whose name contains query ("" for all), most recent contact first.
func (u *Usagers) List(query string) ([]domain.UsagerSummary, error) {
	return u.svc.Usagers(u.core.context(), query)
}

// Get returns a person's file with its interviews and distance travelled. Errors: not_found.
func (u *Usagers) Get(uuid string) (interviews.File, error) {
	u.core.record("ouverture dossier", uuid)
	return u.svc.Usager(u.core.context(), uuid)
}

// Create opens a file with the person's consent. Errors: invalid (French, every problem listed).
func (u *Usagers) Create(in interviews.UsagerInput) (interviews.File, error) {
	ctx := u.core.context()
	created, err := u.svc.CreateUsager(ctx, in)
	if err != nil {
		return interviews.File{}, err
	}
	return u.svc.Usager(ctx, created.UUID)
}

// Update changes a file's fields. Errors: invalid, not_found.
func (u *Usagers) Update(uuid string, in interviews.UsagerInput) (interviews.File, error) {
	ctx := u.core.context()
	u.core.record("modification dossier", uuid)
	if _, err := u.svc.UpdateUsager(ctx, uuid, in); err != nil {
		return interviews.File{}, err
	}
	return u.svc.Usager(ctx, uuid)
}

// Delete erases a file at the person's request. Errors: not_found.
func (u *Usagers) Delete(uuid string) error {
	u.core.record("suppression dossier", uuid)
	return u.svc.DeleteUsager(u.core.context(), uuid)
}

// Household is one household situation a file may record, with its French label.
type Household struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// ConsentInfo is what the screen shows before opening a file.
type ConsentInfo struct {
	Wording        string      `json:"wording"`
	RetentionYears int         `json:"retention_years"`
	Households     []Household `json:"households"`
}

// Consent returns the consent wording read to the person and the household situations.
func (u *Usagers) Consent() ConsentInfo {
	info := ConsentInfo{Wording: domain.ConsentWording, RetentionYears: domain.RetentionYears}
	for _, h := range domain.Households {
		info.Households = append(info.Households, Household{Code: h.Code, Label: h.Label})
	}
	return info
}
