package demo_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/demo"
	"github.com/edas92/passerelle/internal/demo/curated"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/vocab"
)

// The basic data·inclusion v1 rules that internal/vocab and internal/geo can check, plus the
// promises of the demo data (fictitious contacts, places near their commune, the notice). The
// full validator lives in internal/datainclusion; these checks keep this package self-standing.

var (
	fictitiousPhone = regexp.MustCompile(`^01 99 00 \d\d \d\d$`)
	postcode        = regexp.MustCompile(`^\d{5}$`)
)

const (
	fictitiousSite = "https://example.org/"
	maxKm          = 1.0 // from the commune's centroid
)

// problems collects what is wrong with one record.
type problems []string

func (p *problems) addf(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func checkStructure(st domain.Structure) problems {
	var p problems
	checkCommon(&p, st.ID, st.Source, st.Nom, st.DateMaj)
	if st.Description != nil {
		checkDescription(&p, *st.Description)
	}
	checkContacts(&p, st.Telephone, st.Courriel)
	for name, u := range map[string]*string{"site_web": st.SiteWeb, "lien_source": st.LienSource, "accessibilite_lieu": st.AccessibiliteLieu} {
		if u != nil && !strings.HasPrefix(*u, fictitiousSite) {
			p.addf("%s %q is not on example.org", name, *u)
		}
	}
	checkList(&p, "reseaux_porteurs", st.ReseauxPorteurs, vocab.ReseauxPorteurs, false)
	if st.Siret != nil {
		p.addf("siret %q: the demo must not carry a SIRET (a real company might have it)", *st.Siret)
	}
	checkAddress(&p, st.Adresse, st.CodePostal, st.CodeInsee, st.Commune, st.Latitude, st.Longitude)
	if st.CodeInsee == nil {
		p.addf("structure without an address")
	}
	return p
}

func checkService(sv domain.Service) problems {
	var p problems
	checkCommon(&p, sv.ID, sv.Source, sv.Nom, sv.DateMaj)
	if sv.StructureID == "" {
		p.addf("structure_id missing")
	}
	checkDescription(&p, sv.Description)
	checkContacts(&p, sv.Telephone, sv.Courriel)
	if sv.Type != nil && !vocab.TypesServices.Has(*sv.Type) {
		p.addf("type %q unknown", *sv.Type)
	}
	checkList(&p, "thematiques", sv.Thematiques, vocab.Thematiques, false)
	checkList(&p, "publics", sv.Publics, vocab.Publics, true)
	checkList(&p, "modes_accueil", sv.ModesAccueil, vocab.ModesAccueil, false)
	checkList(&p, "modes_mobilisation", sv.ModesMobilisation, vocab.ModesMobilisation, true)
	checkList(&p, "mobilisable_par", sv.MobilisablePar, vocab.PersonnesMobilisatrices, true)
	if sv.Frais != nil && !vocab.Frais.Has(*sv.Frais) {
		p.addf("frais %q unknown", *sv.Frais)
	}
	if sv.FraisPrecisions != nil && (sv.Frais == nil || *sv.Frais != "payant") {
		p.addf("frais_precisions without frais payant")
	}
	if sv.ZoneEligibilite != nil && len(sv.ZoneEligibilite) == 0 {
		p.addf("zone_eligibilite is empty rather than null")
	}
	for _, z := range sv.ZoneEligibilite {
		if z != geo.Departement && !geo.InDepartement(z) {
			p.addf("zone_eligibilite %q is neither the département nor one of its communes", z)
		}
	}
	if hasDuplicates(sv.ZoneEligibilite) {
		p.addf("zone_eligibilite has duplicates")
	}
	if sv.LienMobilisation != nil {
		if !strings.HasPrefix(*sv.LienMobilisation, fictitiousSite) {
			p.addf("lien_mobilisation %q is not on example.org", *sv.LienMobilisation)
		}
		if !slices.Contains(sv.ModesMobilisation, "utiliser-lien-mobilisation") {
			p.addf("lien_mobilisation without the mode utiliser-lien-mobilisation")
		}
	}
	cat, ok := vocab.CategoryByCode(sv.Categorie)
	if !ok {
		p.addf("passerelle_categorie %q unknown", sv.Categorie)
	} else if !slices.ContainsFunc(cat.Thematiques, func(t string) bool { return slices.Contains(sv.Thematiques, t) }) {
		p.addf("thematiques %v share nothing with category %s", sv.Thematiques, sv.Categorie)
	}
	if len(sv.ModesAccueil) == 0 {
		p.addf("modes_accueil missing")
	}
	if domain.IsRemoteOnly(&sv) {
		if sv.Adresse != nil || sv.CodeInsee != nil || sv.Latitude != nil {
			p.addf("remote-only service with an address of its own")
		}
		if sv.AccesTransport != "" {
			p.addf("remote-only service with transport access")
		}
		if sv.Telephone == nil && sv.Courriel == nil && sv.LienMobilisation == nil {
			p.addf("remote-only service with no way to reach it")
		}
	}
	if sv.CodeInsee != nil || sv.Adresse != nil || sv.Latitude != nil {
		checkAddress(&p, sv.Adresse, sv.CodePostal, sv.CodeInsee, sv.Commune, sv.Latitude, sv.Longitude)
	}
	return p
}

func checkCommon(p *problems, id, source, nom, dateMaj string) {
	if source != domain.DemoSource {
		p.addf("source %q, want %q", source, domain.DemoSource)
	}
	if !strings.HasPrefix(id, domain.DemoSource+"--") || len(id) <= len(domain.DemoSource)+2 {
		p.addf("id %q does not start with %s--", id, domain.DemoSource)
	}
	if n := utf8.RuneCountInString(nom); n < 3 || n > 150 {
		p.addf("nom %q has %d characters, want 3 to 150", nom, n)
	}
	if strings.TrimSpace(nom) != nom {
		p.addf("nom %q has surrounding spaces", nom)
	}
	d, err := time.Parse(time.DateOnly, dateMaj)
	if err != nil {
		p.addf("date_maj %q: %v", dateMaj, err)
	} else if d.After(demo.ReferenceDate) {
		p.addf("date_maj %s is after the reference date", dateMaj)
	}
}

func checkDescription(p *problems, desc string) {
	if n := utf8.RuneCountInString(desc); n < 5 || n > 10000 {
		p.addf("description has %d characters, want 5 to 10,000", n)
	}
	if !strings.HasSuffix(desc, curated.Notice) {
		p.addf("description does not end with the demo notice: %q", desc)
	}
}

func checkContacts(p *problems, tel, mail *string) {
	if tel != nil && !fictitiousPhone.MatchString(*tel) {
		p.addf("telephone %q is outside the range reserved for fiction", *tel)
	}
	if mail != nil && (!strings.HasSuffix(*mail, "@example.org") || strings.Count(*mail, "@") != 1 || strings.HasPrefix(*mail, "@")) {
		p.addf("courriel %q is not a fictitious example.org address", *mail)
	}
}

func checkList(p *problems, name string, list []string, v *vocab.Vocabulary, nonEmpty bool) {
	if list != nil && len(list) == 0 && nonEmpty {
		p.addf("%s is empty rather than null", name)
	}
	for _, x := range list {
		if !v.Has(x) {
			p.addf("%s: %q is not in the vocabulary", name, x)
		}
	}
	if hasDuplicates(list) {
		p.addf("%s %v has duplicates", name, list)
	}
}

func checkAddress(p *problems, adresse, cp, insee, commune *string, lat, lon *float64) {
	if adresse == nil || cp == nil || insee == nil || commune == nil || lat == nil || lon == nil {
		p.addf("incomplete address: adresse, code_postal, code_insee, commune, latitude and longitude go together")
		return
	}
	c, ok := geo.ByInsee(*insee)
	if !ok {
		p.addf("code_insee %q is not a commune of the département", *insee)
		return
	}
	if *commune != c.Nom {
		p.addf("commune %q, want %q for %s", *commune, c.Nom, c.CodeInsee)
	}
	if !postcode.MatchString(*cp) || !strings.HasPrefix(*cp, geo.Departement) || !slices.Contains(c.CodesPostaux, *cp) {
		p.addf("code_postal %s is not a Hauts-de-Seine postcode of %s", *cp, c.Nom)
	}
	if strings.TrimSpace(*adresse) == "" {
		p.addf("empty adresse")
	}
	if d := geo.DistanceKm(*lat, *lon, c.Lat, c.Lon); d > maxKm {
		p.addf("coordinates %.5f,%.5f are %.2f km from the centre of %s", *lat, *lon, d, c.Nom)
	}
}

func hasDuplicates(list []string) bool {
	for i, x := range list {
		if slices.Contains(list[i+1:], x) {
			return true
		}
	}
	return false
}

// effectiveCommune returns the INSEE code where a service is received, or its structure's for
// a remote-only one.
func effectiveCommune(sv *domain.Service, st *domain.Structure) string {
	return domain.EffectiveLocation(sv, st).CodeInsee
}
