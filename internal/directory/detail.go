package directory

import (
	"context"
	"fmt"
	"strings"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/openinghours"
	"github.com/edas92/passerelle/internal/vocab"
)

// Hours are a service's opening hours, raw and in plain French.
type Hours struct {
	Raw           string    `json:"raw"`       // the OpenStreetMap opening_hours value, "" when none
	Sentences     []string  `json:"sentences"` // plain French; empty when Raw is empty or unreadable
	Readable      bool      `json:"readable"`
	Week          [7]string `json:"week"` // Monday…Sunday: domain.DayOpen, DayClosed, DaySometimes, DayUnknown
	FromStructure bool      `json:"from_structure"`
}

// Label is a code with its French label.
type Label struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// Detail is everything the detail pane shows about one service.
type Detail struct {
	Service        domain.Service   `json:"service"`
	Structure      domain.Structure `json:"structure"`
	UUID           string           `json:"uuid"`
	StructureUUID  string           `json:"structure_uuid"`
	Origin         domain.Origin    `json:"origin"`
	Deleted        bool             `json:"deleted"`
	Location       domain.Location  `json:"location"`
	Hours          Hours            `json:"hours"`
	Freshness      domain.Freshness `json:"freshness"`
	Categorie      *Label           `json:"categorie"` // explicit or inferred; nil when none
	Thematiques    []Label          `json:"thematiques"`
	Publics        []Label          `json:"publics"`
	Frais          string           `json:"frais"` // French label, "" when unknown
	Type           string           `json:"type"`
	ModesAccueil   []string         `json:"modes_accueil"` // French labels
	Mobilisation   []string         `json:"mobilisation"`  // French labels of modes_mobilisation
	MobilisablePar []string         `json:"mobilisable_par"`
	Eligibilite    string           `json:"eligibilite"` // plain French: who may come, by place
	Note           domain.Note      `json:"note"`
}

// Detail returns what the detail pane shows about a service. ENOTFOUND when unknown.
func (d *Directory) Detail(ctx context.Context, serviceUUID string) (Detail, error) {
	sv, err := d.store.Service(ctx, serviceUUID)
	if err != nil {
		return Detail{}, err
	}
	st, err := d.store.Structure(ctx, domain.StructureUUIDOf(&sv))
	if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		return Detail{}, fmt.Errorf("detail: %w", err)
	}
	note, err := d.store.Note(ctx, serviceUUID)
	if err != nil {
		return Detail{}, fmt.Errorf("detail: %w", err)
	}
	det := Detail{
		Service: sv, Structure: st, UUID: sv.UUID, StructureUUID: st.UUID, Origin: sv.Origin,
		Deleted: sv.DeletedAt != nil, Location: domain.EffectiveLocation(&sv, &st),
		Freshness: domain.FreshnessOf(sv.DateMaj, d.now()), Note: note,
		Frais: labelOrEmpty(vocab.Frais, domain.Str(sv.Frais)), Type: labelOrEmpty(vocab.TypesServices, domain.Str(sv.Type)),
		Eligibilite: eligibility(sv.ZoneEligibilite),
	}
	raw := domain.EffectiveHours(&sv, &st)
	det.Hours = Hours{Raw: raw, Week: openinghours.Week(raw), FromStructure: sv.HorairesAccueil == nil && raw != ""}
	if raw != "" {
		det.Hours.Sentences, det.Hours.Readable = openinghours.French(raw)
	}
	code := sv.Categorie
	if code == "" {
		code = vocab.InferCategory(sv.Nom, st.Nom)
	}
	if c, ok := vocab.CategoryByCode(code); ok {
		det.Categorie = &Label{Code: c.Code, Label: c.Label}
	}
	for _, t := range sv.Thematiques {
		det.Thematiques = append(det.Thematiques, Label{t, vocab.Thematiques.Label(t)})
	}
	for _, p := range sv.Publics {
		det.Publics = append(det.Publics, Label{p, vocab.Publics.Label(p)})
	}
	det.ModesAccueil = labels(vocab.ModesAccueil, sv.ModesAccueil)
	det.Mobilisation = labels(vocab.ModesMobilisation, sv.ModesMobilisation)
	det.MobilisablePar = labels(vocab.PersonnesMobilisatrices, sv.MobilisablePar)
	return det, nil
}

func labelOrEmpty(v *vocab.Vocabulary, code string) string {
	if code == "" {
		return ""
	}
	return v.Label(code)
}

func labels(v *vocab.Vocabulary, codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		out = append(out, v.Label(c))
	}
	return out
}

// eligibility says in plain French who may come, from zone_eligibilite.
func eligibility(zone []string) string {
	if len(zone) == 0 {
		return "Aucune condition de lieu de résidence indiquée."
	}
	var parts []string
	for _, z := range zone {
		if z == "france" || z == "99100" {
			return "Ouvert aux habitants de toute la France."
		}
		parts = append(parts, geo.ZoneName(z))
	}
	return "Réservé aux habitants de : " + strings.Join(parts, ", ") + "."
}
