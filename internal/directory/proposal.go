package directory

import (
	"context"
	"fmt"
	"strings"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/openinghours"
	"github.com/edas92/passerelle/internal/vocab"
)

// Proposal is an initiative a worker adds on the desk ("Proposer une initiative"). It is stored
// as a data·inclusion structure and service marked as a proposal.
type Proposal struct {
	Nom              string   `json:"nom"`           // the initiative's name
	StructureNom     string   `json:"structure_nom"` // the organisation behind it; the initiative's name when empty
	Description      string   `json:"description"`
	Categorie        string   `json:"categorie"`   // a local category code
	Thematiques      []string `json:"thematiques"` // the category's when empty
	Publics          []string `json:"publics"`     // tous-publics when empty
	Frais            string   `json:"frais"`       // "", "gratuit" or "payant"
	FraisPrecisions  string   `json:"frais_precisions"`
	ModesAccueil     []string `json:"modes_accueil"` // en-presentiel when empty
	Adresse          string   `json:"adresse"`
	Commune          string   `json:"commune"` // name, INSEE code or postcode
	Telephone        string   `json:"telephone"`
	Courriel         string   `json:"courriel"`
	SiteWeb          string   `json:"site_web"`
	Horaires         string   `json:"horaires"` // OpenStreetMap opening_hours, optional
	ConditionsAcces  string   `json:"conditions_acces"`
	ContactNomPrenom string   `json:"contact_nom_prenom"`
	PeutDonner       bool     `json:"peut_donner"`
	AccesTransport   string   `json:"acces_transport"`
}

// Propose checks and stores a proposed initiative and returns its service UUID. EINVALID with
// every problem listed (French) when the proposal is incomplete or wrong.
func (d *Directory) Propose(ctx context.Context, p Proposal) (string, error) {
	st, sv, err := d.buildProposal(p)
	if err != nil {
		return "", err
	}
	d.writes.Lock()
	defer d.writes.Unlock()
	if err := d.store.CreateProposal(ctx, st, sv); err != nil {
		return "", fmt.Errorf("propose: %w", err)
	}
	d.index.Upsert([]domain.Structure{st}, []domain.Service{sv})
	d.log.Info("initiative proposed", "service", sv.UUID)
	return sv.UUID, nil
}

func (d *Directory) buildProposal(p Proposal) (domain.Structure, domain.Service, error) {
	var problems []string
	opt := func(s string) *string {
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		return &s
	}
	nom := strings.TrimSpace(p.Nom)
	stNom := strings.TrimSpace(p.StructureNom)
	if stNom == "" {
		stNom = nom
	}
	today := d.now().Format("2006-01-02")
	st := domain.Structure{Source: domain.LocalSource, Nom: stNom, DateMaj: today,
		Telephone: opt(p.Telephone), Courriel: opt(p.Courriel), SiteWeb: opt(p.SiteWeb), Adresse: opt(p.Adresse)}
	st.UUID = domain.NewUUID()
	st.ID = domain.LocalID(st.UUID)
	st.Origin = domain.OriginProposal

	sv := domain.Service{Source: domain.LocalSource, StructureID: st.ID, Nom: nom, Description: strings.TrimSpace(p.Description),
		DateMaj: today, Frais: opt(p.Frais), FraisPrecisions: opt(p.FraisPrecisions), Thematiques: p.Thematiques,
		Publics: p.Publics, ModesAccueil: p.ModesAccueil, Telephone: opt(p.Telephone), Courriel: opt(p.Courriel),
		LienSource: nil, ConditionsAcces: opt(p.ConditionsAcces), ContactNomPrenom: opt(p.ContactNomPrenom),
		HorairesAccueil: opt(p.Horaires), Categorie: p.Categorie, PeutDonner: p.PeutDonner,
		AccesTransport: strings.TrimSpace(p.AccesTransport)}
	sv.UUID = domain.NewUUID()
	sv.ID = domain.LocalID(sv.UUID)
	sv.Origin = domain.OriginProposal

	if c, ok := vocab.CategoryByCode(p.Categorie); ok && len(sv.Thematiques) == 0 {
		sv.Thematiques = c.Thematiques
	} else if p.Categorie != "" && !ok {
		problems = append(problems, fmt.Sprintf("catégorie inconnue « %s »", p.Categorie))
	}
	if len(sv.Publics) == 0 {
		sv.Publics = []string{"tous-publics"}
	}
	if len(sv.ModesAccueil) == 0 {
		sv.ModesAccueil = []string{"en-presentiel"}
	}
	remote := domain.IsRemoteOnly(&sv)
	if c := strings.TrimSpace(p.Commune); c != "" {
		com, err := geo.Resolve(c)
		if err != nil {
			problems = append(problems, domain.ErrorMessage(err))
		} else {
			st.CodeInsee, st.Commune = &com.CodeInsee, &com.Nom
			if pc := departementPostcodes(com); len(pc) == 1 {
				st.CodePostal = &pc[0]
			}
		}
	} else if !remote {
		problems = append(problems, "indiquez la commune où l’initiative accueille le public")
	}
	if h := domain.Str(sv.HorairesAccueil); h != "" {
		if _, err := openinghours.Parse(h); err != nil {
			problems = append(problems, "horaires : "+domain.ErrorMessage(err))
		}
	}
	// The same checks as any imported record, by the same code.
	problems = append(problems, datainclusion.StructureProblems(st)...)
	problems = append(problems, datainclusion.ServiceProblems(sv)...)
	problems = unique(problems) // the structure shares fields with the service: say each once
	if len(problems) > 0 {
		return st, sv, domain.Errorf(domain.EINVALID, "La proposition ne peut pas être enregistrée : %s.", strings.Join(problems, " ; "))
	}
	return st, sv, nil
}

// unique keeps the first occurrence of each message, in order.
func unique(msgs []string) []string {
	seen := make(map[string]bool, len(msgs))
	out := msgs[:0]
	for _, m := range msgs {
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}

func departementPostcodes(c geo.Commune) []string {
	var out []string
	for _, pc := range c.CodesPostaux {
		if strings.HasPrefix(pc, geo.Departement) {
			out = append(out, pc)
		}
	}
	return out
}

// SetDeleted withdraws (deleted=true) or restores a service. Only a proposal made on the desk or
// a demo record may be withdrawn: imported records are the département's and come back with
// their next edition. ENOTFOUND when unknown, ECONFLICT for an imported record.
func (d *Directory) SetDeleted(ctx context.Context, serviceUUID string, deleted bool) error {
	d.writes.Lock()
	defer d.writes.Unlock()
	sv, err := d.store.Service(ctx, serviceUUID)
	if err != nil {
		return err
	}
	if sv.Origin == domain.OriginImport {
		return domain.Errorf(domain.ECONFLICT, "Cette initiative vient de l’annuaire du département : elle ne peut pas être retirée depuis ce poste.")
	}
	if err := d.store.SetServiceDeleted(ctx, serviceUUID, deleted); err != nil {
		return fmt.Errorf("set deleted: %w", err)
	}
	if deleted {
		d.index.Remove(serviceUUID)
		return nil
	}
	sv.DeletedAt = nil
	st, err := d.store.Structure(ctx, domain.StructureUUIDOf(&sv))
	if err != nil {
		return fmt.Errorf("set deleted: %w", err)
	}
	d.index.Upsert([]domain.Structure{st}, []domain.Service{sv})
	return nil
}

// SetNote saves the worker's private note on a service (an empty text removes it).
// ENOTFOUND when the service is unknown; EINVALID when the note is too long.
func (d *Directory) SetNote(ctx context.Context, serviceUUID, body string) (domain.Note, error) {
	if len(body) > 20000 {
		return domain.Note{}, domain.Errorf(domain.EINVALID, "La note est trop longue (20 000 caractères au plus).")
	}
	return d.store.SetNote(ctx, serviceUUID, strings.TrimSpace(body))
}

// errorReporter is a store that can send a worker's correction of a service to the directory's
// curators (the desk's SQLite store queues it for the sync server).
type errorReporter interface {
	ReportDirectoryError(ctx context.Context, serviceUUID, message string) error
}

// ReportError sends the curators a worker's report of an error in a service (« signaler une
// erreur »): it leaves with the next sync, and the directory changes only when a curator
// accepts it. Errors: invalid (empty message), not_found (unknown service), unavailable when
// this desk's store cannot send reports.
func (d *Directory) ReportError(ctx context.Context, serviceUUID, message string) error {
	r, ok := d.store.(errorReporter)
	if !ok {
		return domain.Errorf(domain.EUNAVAILABLE, "Ce poste ne peut pas envoyer de signalement.")
	}
	if err := r.ReportDirectoryError(ctx, serviceUUID, message); err != nil {
		return fmt.Errorf("report error: %w", err)
	}
	return nil
}
