// Package curated holds the hand-written demo directory that Passerelle shows on its first
// launch: fictitious collaborative initiatives in every commune of the Hauts-de-Seine, written
// as a social worker would describe them. The generator program (../gen) writes it to the
// embedded data·inclusion files; tests compare both so that they never drift apart.
//
// The records are written as short specifications (directory.go); this file turns them into
// data·inclusion records, deriving what is mechanical (identifiers, postcodes, coordinates,
// fictitious contacts, dates) so that the specifications stay readable.
package curated

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/edas92/passerelle/internal/demo/internal/fiction"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/vocab"
)

// Notice ends every description of the demo directory (fiction.Notice).
const Notice = fiction.Notice

// structure is the specification of one structure and its services.
type structure struct {
	slug       string // local part of the id; derived from nom and commune when empty
	nom        string
	insee      string
	cp         string // code_postal, when not the commune's main one (Meudon-la-Forêt: 92360)
	adresse    string
	complement string
	desc       string
	horaires   string   // OpenStreetMap opening_hours, or free text as real data has; "" = null
	transport  string   // default passerelle_acces_transport of its services
	reseaux    []string // reseaux_porteurs
	age        int      // days between date_maj and fiction.Reference; 0 = derived from the id
	services   []service
}

// service is the specification of one service. Zero values mean the common case: gratuit,
// tous-publics, en présentiel, eligible in the whole département, the category's thématiques,
// reachable by usagers and professionals who come or call, at the structure's address.
type service struct {
	slug        string
	nom         string
	cat         string // local category code (vocab.Categories)
	typ         string // data·inclusion type; "" = null
	desc        string
	themes      []string // replaces the category's thématiques
	plus        []string // added to them
	publics     []string
	publicsPrec string
	frais       string // "" = gratuit; payant; unknownFees = null
	fraisPrec   string
	modes       []string // nil = en-presentiel
	zone        zone
	conditions  string
	orientation bool   // only on a social worker's referral: mobilisable_par professionnels
	lien        bool   // has a lien_mobilisation (online registration)
	noMob       bool   // modes_mobilisation and mobilisable_par null (a fridge: one just goes)
	mobPrec     string // mobilisation_precisions
	contact     string // contact_nom_prenom
	adresse     string // own address in the structure's commune; "" = the structure's
	horaires    string // own hours; "" = the structure's
	transport   string // overrides the structure's
	peutDonner  bool
	age         int
}

// onReferral is the access condition of services open only on a social worker's referral.
const onReferral = "Sur orientation d’un travailleur social."

// unknownFees marks a service whose frais is null.
const unknownFees = "?"

// Kinds of eligibility zone.
const (
	zoneDepartement = iota // ["92"]
	zoneNone               // null
	zoneResidents          // listed communes, « Réservé aux habitants de … »
	zoneTerritory          // every commune of a territory (EPT)
)

// zone is a service's zone_eligibilite; the zero value is the whole département.
type zone struct {
	kind  int
	codes []string
}

// noZone leaves zone_eligibilite null, as many real records do.
var noZone = zone{kind: zoneNone}

// residents restricts a service to the inhabitants of the given communes.
func residents(insee ...string) zone { return zone{kind: zoneResidents, codes: insee} }

// territory restricts a service to the communes of the territory (EPT) of insee.
func territory(insee string) zone { return zone{kind: zoneTerritory, codes: []string{insee}} }

// Directory returns the demo directory's structures and services, in a stable order. Meta is
// left empty: the records go through the import like any data·inclusion file.
func Directory() ([]domain.Structure, []domain.Service) {
	return build(directory)
}

// JSON returns the demo directory as the data·inclusion v1 files structures.json and
// services.json: arrays, indented for readable diffs, ending with a newline.
func JSON() (structures, services []byte, err error) {
	sts, svs := Directory()
	if structures, err = encode(sts); err != nil {
		return nil, nil, fmt.Errorf("encode structures: %w", err)
	}
	if services, err = encode(svs); err != nil {
		return nil, nil, fmt.Errorf("encode services: %w", err)
	}
	return structures, services, nil
}

func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // keep « & » and quotes readable in diffs
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// build turns specifications into records. It panics on a specification error (an unknown
// commune or category): the specifications are constants of this package, and the tests run it.
func build(specs []structure) ([]domain.Structure, []domain.Service) {
	var (
		sts []domain.Structure
		svs []domain.Service
	)
	for i, sp := range specs {
		c := commune(sp.insee)
		id := domain.DemoSource + "--" + slugFor(sp.slug, sp.nom, c)
		local := strings.TrimPrefix(id, domain.DemoSource+"--")
		cp := sp.cp
		if cp == "" {
			cp = fiction.PostalCode(c)
		}
		lat, lon := place(c, id)
		st := domain.Structure{
			ID:              id,
			Source:          domain.DemoSource,
			Nom:             sp.nom,
			DateMaj:         fiction.DateMaj(age(sp.age, id)),
			Telephone:       domain.Ptr(fiction.Phone(100 * (i + 1))),
			Courriel:        domain.Ptr(fiction.Email(local)),
			SiteWeb:         domain.Ptr(fiction.Website(local)),
			HorairesAccueil: optional(sp.horaires),
			ReseauxPorteurs: sp.reseaux,
			Description:     domain.Ptr(withNotice(sp.desc)),
			Adresse:         domain.Ptr(sp.adresse),
			CodePostal:      domain.Ptr(cp),
			CodeInsee:       domain.Ptr(c.CodeInsee),
			Commune:         domain.Ptr(c.Nom),
			Latitude:        domain.Ptr(lat),
			Longitude:       domain.Ptr(lon),
		}
		st.ComplementAdresse = optional(sp.complement)
		if fiction.Hash(id+"/access")%4 == 0 {
			st.AccessibiliteLieu = domain.Ptr(fiction.Website("accessibilite/" + local))
		}
		sts = append(sts, st)
		for j, ss := range sp.services {
			svs = append(svs, buildService(sp, st, cp, 100*(i+1)+j+1, ss))
		}
	}
	return sts, svs
}

func buildService(sp structure, st domain.Structure, cp string, phone int, ss service) domain.Service {
	c := commune(sp.insee)
	cat, ok := vocab.CategoryByCode(ss.cat)
	if !ok {
		panic(fmt.Sprintf("curated: %s: unknown category %q", ss.nom, ss.cat))
	}
	id := domain.DemoSource + "--" + slugFor(ss.slug, ss.nom, c)
	local := strings.TrimPrefix(id, domain.DemoSource+"--")
	remote := len(ss.modes) > 0 && !slices.Contains(ss.modes, "en-presentiel")
	sv := domain.Service{
		ID:                     id,
		Source:                 domain.DemoSource,
		StructureID:            st.ID,
		Nom:                    ss.nom,
		Description:            withNotice(ss.desc),
		DateMaj:                fiction.DateMaj(age(ss.age, id)),
		Type:                   optional(ss.typ),
		Thematiques:            themes(cat, ss),
		Publics:                orDefault(ss.publics, "tous-publics"),
		PublicsPrecisions:      optional(ss.publicsPrec),
		ContactNomPrenom:       optional(ss.contact),
		ModesAccueil:           orDefault(ss.modes, "en-presentiel"),
		MobilisationPrecisions: optional(ss.mobPrec),
		HorairesAccueil:        optional(ss.horaires),
		Categorie:              cat.Code,
		PeutDonner:             ss.peutDonner,
	}
	switch ss.frais {
	case "":
		sv.Frais = domain.Ptr("gratuit")
	case unknownFees:
	default:
		sv.Frais = domain.Ptr(ss.frais)
	}
	sv.FraisPrecisions = optional(ss.fraisPrec)

	// Contacts: a remote service must be reachable; the others have their own line or address
	// about two times out of three, else the structure's applies.
	h := fiction.Hash(id + "/contact")
	if remote || h%3 != 0 {
		sv.Telephone = domain.Ptr(fiction.Phone(phone))
	}
	if remote || h%5 < 3 {
		sv.Courriel = domain.Ptr(fiction.Email(local))
	}

	conditions := ss.conditions
	switch ss.zone.kind {
	case zoneDepartement:
		sv.ZoneEligibilite = []string{geo.Departement}
	case zoneResidents:
		sv.ZoneEligibilite = slices.Clone(ss.zone.codes)
		names := make([]string, len(ss.zone.codes))
		for k, code := range ss.zone.codes {
			names[k] = commune(code).Nom
		}
		conditions = join("Réservé aux habitants "+ofCommunes(names)+".", conditions)
	case zoneTerritory:
		ept := commune(ss.zone.codes[0]).EPT
		for _, co := range geo.Communes() {
			if co.EPT == ept {
				sv.ZoneEligibilite = append(sv.ZoneEligibilite, co.CodeInsee)
			}
		}
		conditions = join("Réservé aux habitants du territoire "+ept+".", conditions)
	}
	if ss.orientation && ss.conditions == "" {
		conditions = join(conditions, onReferral)
	}
	sv.ConditionsAcces = optional(conditions)

	switch {
	case ss.noMob:
	case ss.orientation:
		sv.MobilisablePar = []string{"professionnels"}
		sv.ModesMobilisation = []string{"telephoner", "envoyer-un-courriel"}
	case remote:
		sv.MobilisablePar = []string{"usagers", "professionnels"}
		sv.ModesMobilisation = []string{"telephoner", "envoyer-un-courriel"}
	default:
		sv.MobilisablePar = []string{"usagers", "professionnels"}
		sv.ModesMobilisation = []string{"se-presenter", "telephoner"}
	}
	if ss.lien {
		sv.LienMobilisation = domain.Ptr(fiction.Website(local + "/inscription"))
		sv.ModesMobilisation = append(sv.ModesMobilisation, "utiliser-lien-mobilisation")
	}

	if ss.adresse != "" {
		lat, lon := place(c, id)
		sv.Adresse = domain.Ptr(ss.adresse)
		sv.CodePostal = domain.Ptr(cp)
		sv.CodeInsee = domain.Ptr(c.CodeInsee)
		sv.Commune = domain.Ptr(c.Nom)
		sv.Latitude = domain.Ptr(lat)
		sv.Longitude = domain.Ptr(lon)
	}
	if !remote {
		sv.AccesTransport = ss.transport
		if sv.AccesTransport == "" {
			sv.AccesTransport = sp.transport
		}
	}
	return sv
}

func commune(insee string) geo.Commune {
	c, ok := geo.ByInsee(insee)
	if !ok {
		panic("curated: unknown commune " + insee)
	}
	return c
}

// slugFor returns the local id: the given slug, else the name's, followed by the commune's
// unless the name already says it ("epicerie-la-passerelle-nanterre").
func slugFor(slug, nom string, c geo.Commune) string {
	if slug != "" {
		return slug
	}
	s, cs := fiction.Slug(nom), fiction.Slug(c.Nom)
	if strings.Contains(s, cs) {
		return s
	}
	return s + "-" + cs
}

// place puts a record near its commune's centre, in a direction and at a distance that depend on
// its id only, so that a record keeps its place when others are added.
func place(c geo.Commune, id string) (lat, lon float64) {
	return fiction.Near(c, fiction.Unit(fiction.Hash(id+"/r")), fiction.Unit(fiction.Hash(id+"/a")))
}

// age spreads date_maj on purpose, so that every freshness level shows: half the records under
// 6 months old, a third between 6 months and 2 years, the rest older.
func age(days int, id string) int {
	if days > 0 {
		return days
	}
	h := fiction.Hash(id + "/age")
	switch b := h % 6; {
	case b < 3:
		return 3 + int(h>>8%175) // 3 days to about 6 months
	case b < 5:
		return 190 + int(h>>8%530) // about 6 months to 2 years
	default:
		return 735 + int(h>>8%500) // 2 to about 3 and a half years
	}
}

func themes(cat vocab.Category, ss service) []string {
	out := slices.Clone(ss.themes)
	if out == nil {
		out = slices.Clone(cat.Thematiques)
	}
	for _, t := range ss.plus {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func withNotice(desc string) string { return strings.TrimSpace(desc) + " " + Notice }

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func orDefault(list []string, def string) []string {
	if list == nil {
		return []string{def}
	}
	return slices.Clone(list)
}

func join(a, b string) string {
	return strings.TrimSpace(a + " " + b)
}

// ofCommunes writes « de Bagneux », « d’Issy-les-Moulineaux et de Vanves » as French wants.
func ofCommunes(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fiction.OfCommune(n)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " et " + parts[len(parts)-1]
}
