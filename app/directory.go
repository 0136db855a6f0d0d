package app

import (
	"github.com/edas92/passerelle/internal/directory"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/vocab"
)

// Directory is the Annuaire screen: search, detail, proposals, notes.
type Directory struct {
	core *core
	dir  *directory.Directory
}

// Search runs a query (see domain.SearchQuery; communes may be names, INSEE codes or
// postcodes). Errors: invalid (French message: unknown commune, day, theme…).
func (d *Directory) Search(q domain.SearchQuery) (domain.SearchResult, error) {
	ctx := d.core.context()
	if err := d.core.waitLoaded(ctx); err != nil {
		return domain.SearchResult{}, err
	}
	return d.dir.Search(ctx, q)
}

// Detail returns everything the detail pane shows about a service. Errors: not_found.
func (d *Directory) Detail(serviceUUID string) (directory.Detail, error) {
	return d.dir.Detail(d.core.context(), serviceUUID)
}

// SetNote saves the worker's private note on a service (empty text removes it).
// Errors: not_found, invalid (too long).
func (d *Directory) SetNote(serviceUUID, body string) (domain.Note, error) {
	return d.dir.SetNote(d.core.context(), serviceUUID, body)
}

// Propose stores an initiative proposed by the worker and returns its service UUID.
// Errors: invalid (every problem listed, in French).
func (d *Directory) Propose(p directory.Proposal) (string, error) {
	ctx := d.core.context()
	if err := d.core.waitLoaded(ctx); err != nil {
		return "", err
	}
	id, err := d.dir.Propose(ctx, p)
	if err == nil {
		d.core.emit(EventDirectoryChanged)
	}
	return id, err
}

// Withdraw removes a proposal or a demo record from the directory (it can be restored).
// Errors: not_found, conflict (a record of the département's directory).
func (d *Directory) Withdraw(serviceUUID string) error {
	err := d.dir.SetDeleted(d.core.context(), serviceUUID, true)
	if err == nil {
		d.core.emit(EventDirectoryChanged)
	}
	return err
}

// Restore puts back a withdrawn proposal or demo record (the undo of Withdraw). Errors: not_found.
func (d *Directory) Restore(serviceUUID string) error {
	err := d.dir.SetDeleted(d.core.context(), serviceUUID, false)
	if err == nil {
		d.core.emit(EventDirectoryChanged)
	}
	return err
}

// Status says how big the directory is and whether it holds demo data.
type Status struct {
	Loaded       bool   `json:"loaded"`
	Services     int    `json:"services"`
	DemoServices int    `json:"demo_services"` // live demo (fictitious) services
	DemoLoaded   bool   `json:"demo_loaded"`   // the demo directory was loaded at this start
	Error        string `json:"error"`         // French, when the directory could not be loaded
}

// Status returns the directory's status without waiting for it to load.
func (d *Directory) Status() Status { return d.status() }

func (d *Directory) status() Status {
	select {
	case <-d.core.loaded:
	default:
		return Status{}
	}
	st := Status{Loaded: true, Services: d.dir.Size(), DemoLoaded: d.core.demoNew}
	if d.core.loadErr != nil {
		st.Error = domain.ErrorMessage(d.core.loadErr)
	}
	n, err := d.dir.DemoServices(d.core.context())
	if err != nil {
		d.core.log.Error("count demo services", "err", err)
	}
	st.DemoServices = n
	return st
}

// LoadDemo loads (or restores) the embedded demo directory of fictitious initiatives and returns
// how many services it holds.
func (d *Directory) LoadDemo() (int, error) {
	ctx := d.core.context()
	if err := d.core.waitLoaded(ctx); err != nil {
		return 0, err
	}
	if _, err := d.dir.LoadDemo(ctx, nil); err != nil {
		return 0, err
	}
	d.core.emit(EventDirectoryChanged)
	return d.dir.DemoServices(ctx)
}

// RemoveDemo withdraws every demo record and returns how many services went.
func (d *Directory) RemoveDemo() (int, error) {
	n, err := d.dir.RemoveDemo(d.core.context())
	if err == nil {
		d.core.emit(EventDirectoryChanged)
	}
	return n, err
}

// Reference is the fixed reference data the screens need (labels, communes), loaded once.
type Reference struct {
	Communes        []geo.Commune    `json:"communes"`
	Categories      []vocab.Category `json:"categories"`
	ThemeCategories []vocab.Term     `json:"theme_categories"`
	Thematiques     []vocab.Term     `json:"thematiques"`
	Publics         []vocab.Term     `json:"publics"`
	Frais           []vocab.Term     `json:"frais"`
	ModesAccueil    []vocab.Term     `json:"modes_accueil"`
	NearKmDefault   int              `json:"near_km_default"`
}

// Reference returns the communes and vocabularies with their French labels.
func (d *Directory) Reference() Reference {
	return Reference{
		Communes: geo.Communes(), Categories: vocab.Categories,
		ThemeCategories: vocab.ThemeCategories.Terms, Thematiques: vocab.Thematiques.Terms,
		Publics: vocab.Publics.Terms, Frais: vocab.Frais.Terms, ModesAccueil: vocab.ModesAccueil.Terms,
		NearKmDefault: domain.DefaultNearKm,
	}
}

// ReportError sends the directory's curators a worker's report of an error in a service
// (« Signaler une erreur »): it leaves with the next sync. Errors: invalid (empty message),
// not_found (unknown service).
func (d *Directory) ReportError(serviceUUID, message string) error {
	return d.dir.ReportError(d.core.context(), serviceUUID, message)
}
