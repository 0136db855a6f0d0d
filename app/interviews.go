package app

import (
	"os"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/interviews"
)

// Interviews is the interview screen: the grid, answers saved as they are given, needs and
// suggestions.
type Interviews struct {
	core *core
	svc  *interviews.Service
}

// Start starts an interview with the default grid's latest version, or returns the usager's
// interview in progress (to resume it). Errors: not_found.
func (i *Interviews) Start(usagerUUID string) (interviews.View, error) {
	ctx := i.core.context()
	iv, err := i.svc.StartInterview(ctx, usagerUUID, "")
	if err != nil {
		return interviews.View{}, err
	}
	i.core.record("ouverture entretien", iv.UUID)
	return i.svc.Interview(ctx, iv.UUID, false)
}

// Get returns an interview as the screen shows it; sensitive answers only when withSensitive (the
// worker opened a sensitive domain). Errors: not_found.
func (i *Interviews) Get(uuid string, withSensitive bool) (interviews.View, error) {
	action := "ouverture entretien"
	if withSensitive {
		action = "ouverture entretien, santé"
	}
	i.core.record(action, uuid)
	return i.svc.Interview(i.core.context(), uuid, withSensitive)
}

// Answer saves one answer the moment it is given (a zero value clears it) and returns the
// interview's view (visibility and progress follow). Errors: invalid (French), not_found.
func (i *Interviews) Answer(uuid, questionID string, value domain.AnswerValue, workerRating *int, withSensitive bool) (interviews.View, error) {
	ctx := i.core.context()
	if _, err := i.svc.Answer(ctx, uuid, questionID, value, workerRating); err != nil {
		return interviews.View{}, err
	}
	return i.svc.Interview(ctx, uuid, withSensitive)
}

// Complete freezes the interview. Errors: invalid (required questions listed), conflict, not_found.
func (i *Interviews) Complete(uuid string) (interviews.View, error) {
	ctx := i.core.context()
	if _, err := i.svc.Complete(ctx, uuid); err != nil {
		return interviews.View{}, err
	}
	return i.svc.Interview(ctx, uuid, false)
}

// SetCurrentDomain records the domain the worker opened, so the interview reopens there.
// Errors: invalid, not_found.
func (i *Interviews) SetCurrentDomain(uuid, domainID string) error {
	return i.svc.SetCurrentDomain(i.core.context(), uuid, domainID)
}

// SetNextContact plans the next meeting (YYYY-MM-DD, "" to clear). Errors: invalid, not_found.
func (i *Interviews) SetNextContact(uuid, date string) error {
	return i.svc.SetNextContact(i.core.context(), uuid, date)
}

// Needs returns what the interview reveals, per domain. Errors: not_found.
func (i *Interviews) Needs(uuid string) ([]domain.Need, error) {
	return i.svc.Needs(i.core.context(), uuid)
}

// Suggestions ranks directory services for the interview's needs. Errors: not_found.
func (i *Interviews) Suggestions(uuid string) ([]domain.Suggestion, error) {
	ctx := i.core.context()
	if err := i.core.waitLoaded(ctx); err != nil {
		return nil, err
	}
	return i.svc.Suggestions(ctx, uuid)
}

// Select ticks or unticks a suggestion to propose it to the person. Errors: not_found.
func (i *Interviews) Select(uuid, serviceUUID string, selected bool, why, domainID string) error {
	return i.svc.Select(i.core.context(), uuid, serviceUUID, selected, why, domainID)
}

// Grids lists the stored grid versions.
func (i *Interviews) Grids() ([]domain.GridInfo, error) { return i.svc.Grids(i.core.context()) }

// ImportGrid asks for a grid file and imports it; nil when cancelled. Errors: invalid (every
// problem of the file, in French), conflict (a version already published with another content).
func (i *Interviews) ImportGrid() (*domain.GridInfo, error) {
	ctx := i.core.context()
	paths, err := i.core.rt.OpenFiles(ctx, "Choisir le fichier de la grille d’entretien")
	if err != nil || len(paths) == 0 {
		return nil, err
	}
	b, err := os.ReadFile(paths[0])
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "Impossible de lire le fichier %s.", paths[0])
	}
	g, _, err := i.svc.ImportGrid(ctx, b)
	if err != nil {
		return nil, err
	}
	return &domain.GridInfo{ID: g.ID, Version: g.Version, Title: g.Title}, nil
}
