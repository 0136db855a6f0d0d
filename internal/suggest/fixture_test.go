package suggest

import (
	"math"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/search"
)

// testNow is a Monday: « ouvert aujourd’hui » is a Monday, « ouvert demain » a Tuesday.
var testNow = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

const (
	src      = "t"
	nanterre = "92050"
	rueil    = "92063"
	suresnes = "92073"
	genne    = "92036" // Gennevilliers, about 8 km from Nanterre
)

// at returns the point dx km east and dy km north of a commune's centre.
func at(insee string, dx, dy float64) (lat, lon *float64) {
	c, _ := geo.ByInsee(insee)
	la := c.Lat + dy/111.2
	lo := c.Lon + dx/(111.2*math.Cos(c.Lat*math.Pi/180))
	return &la, &lo
}

func structure(id, nom, insee string) domain.Structure {
	st := domain.Structure{ID: src + "--" + id, Source: src, Nom: nom, DateMaj: "2026-09-01"}
	st.UUID = domain.RecordUUID(domain.KindStructure, src, st.ID)
	st.Origin = domain.OriginImport
	if insee != "" {
		c, _ := geo.ByInsee(insee)
		st.CodeInsee, st.Commune = domain.Ptr(insee), domain.Ptr(c.Nom)
	}
	return st
}

// service is a free-standing service with its own place (dx, dy km from the commune's centre),
// received on site, for everyone, updated recently; mod sets the rest.
func service(id, structureID, nom, insee string, dx, dy float64, mod func(*domain.Service)) domain.Service {
	sv := domain.Service{ID: src + "--" + id, Source: src, StructureID: src + "--" + structureID, Nom: nom,
		DateMaj: "2026-10-01", Publics: []string{"tous-publics"}, ModesAccueil: []string{"en-presentiel"}}
	sv.UUID = domain.RecordUUID(domain.KindService, src, sv.ID)
	sv.Origin = domain.OriginImport
	if insee != "" {
		c, _ := geo.ByInsee(insee)
		sv.CodeInsee, sv.Commune = domain.Ptr(insee), domain.Ptr(c.Nom)
		sv.Adresse = domain.Ptr("1 place de la Boule")
		sv.Latitude, sv.Longitude = at(insee, dx, dy)
	}
	if mod != nil {
		mod(&sv)
	}
	return sv
}

// fixture is a small directory around Nanterre, Rueil-Malmaison and Suresnes, with the traps of
// suggestions. Distances are from the centre of Nanterre.
//
//	01 café social, 0,5 km, paid               02 café social, 1,2 km, free (beats 01)
//	03 tiers-lieu (lien social + réseau), 2,5 km  04 phone line, remote only, free
//	05 épicerie, eligible in Rueil only          06 épicerie, Nanterre, 1 km, free
//	07 club for jeunes only, 0,3 km              08 jardin partagé, open only Sa[1]
//	09 bénévolat, give place, Suresnes           10 ressourcerie, give place, paid
//	11 café social in Gennevilliers (too far)    12 accès aux soins, 0,8 km
//	13 café social, closed every day, 0,4 km     14 café social, stale record, 1,2 km
func fixture() ([]domain.Structure, []domain.Service) {
	sts := []domain.Structure{
		structure("st-nant", "Association Nanterre Ensemble", nanterre),
		structure("st-rueil", "Rueil Solidarité", rueil),
		structure("st-sur", "Suresnes Bénévoles", suresnes),
		structure("st-gen", "Gennevilliers Accueil", genne),
		structure("st-tel", "Réseau Écoute", ""),
	}
	free := func(s *domain.Service) { s.Frais = domain.Ptr("gratuit") }
	paid := func(s *domain.Service) { s.Frais = domain.Ptr("payant") }
	svs := []domain.Service{
		service("svc-01", "st-nant", "Café social des Provinces", nanterre, 0.5, 0, func(s *domain.Service) {
			paid(s)
			s.Categorie, s.HorairesAccueil = "cafe-social", domain.Ptr("Tu 14:00-18:00")
		}),
		service("svc-02", "st-nant", "Café social du Parc", nanterre, 0, 1.2, func(s *domain.Service) {
			free(s)
			s.Categorie, s.HorairesAccueil = "cafe-social", domain.Ptr("Tu 14:00-18:00")
		}),
		service("svc-03", "st-nant", "La Fabrique, tiers-lieu", nanterre, -2.5, 0, func(s *domain.Service) {
			free(s)
			s.Categorie, s.HorairesAccueil = "tiers-lieu", domain.Ptr("Mo-Sa 09:00-19:00")
		}),
		service("svc-04", "st-tel", "Ligne d’écoute Allô Voisins", "", 0, 0, func(s *domain.Service) {
			free(s)
			s.ModesAccueil = []string{"a-distance"}
			s.Thematiques = []string{"remobilisation--lien-social"}
			s.HorairesAccueil = domain.Ptr("Mo-Fr 09:00-17:00")
			s.ZoneEligibilite = []string{"99100"}
		}),
		service("svc-05", "st-rueil", "Épicerie solidaire de Rueil", rueil, 0, 0, func(s *domain.Service) {
			free(s)
			s.Categorie, s.HorairesAccueil = "epicerie-solidaire", domain.Ptr("Mo-Fr 09:00-17:00")
			s.ZoneEligibilite = []string{rueil}
		}),
		service("svc-06", "st-nant", "Épicerie solidaire Les Paniers", nanterre, 1, 0, func(s *domain.Service) {
			free(s)
			s.Categorie, s.HorairesAccueil = "epicerie-solidaire", domain.Ptr("We,Fr 10:00-12:00")
			s.ZoneEligibilite = []string{nanterre}
		}),
		service("svc-07", "st-nant", "Club des jeunes", nanterre, 0.3, 0, func(s *domain.Service) {
			free(s)
			s.Thematiques, s.Publics = []string{"remobilisation--lien-social"}, []string{"jeunes"}
			s.HorairesAccueil = domain.Ptr("We 14:00-18:00")
		}),
		service("svc-08", "st-nant", "Jardin partagé des Fontenelles", nanterre, 0, -2, func(s *domain.Service) {
			free(s)
			s.Categorie, s.HorairesAccueil = "jardin-partage", domain.Ptr("Sa[1] 10:00-12:00")
		}),
		service("svc-09", "st-sur", "Bénévoles du Cœur", suresnes, 0, 0, func(s *domain.Service) {
			free(s)
			s.Categorie, s.PeutDonner = "benevolat", true
			s.ZoneEligibilite = []string{"200057982"} // Paris Ouest La Défense: Nanterre is in it
		}),
		service("svc-10", "st-nant", "Ressourcerie La Boucle", nanterre, 0, 1.8, func(s *domain.Service) {
			paid(s)
			s.Categorie, s.PeutDonner = "ressourcerie", true
			s.HorairesAccueil = domain.Ptr("We 10:00-17:00")
		}),
		service("svc-11", "st-gen", "Café social de Gennevilliers", genne, 0, 0, func(s *domain.Service) {
			free(s)
			s.Categorie, s.HorairesAccueil = "cafe-social", domain.Ptr("Mo-Fr 09:00-17:00")
		}),
		service("svc-12", "st-nant", "Permanence accès aux soins", nanterre, 0, 0.8, func(s *domain.Service) {
			free(s)
			s.Thematiques, s.HorairesAccueil = []string{"sante--acces-aux-soins"}, domain.Ptr("Th 09:00-12:00")
		}),
		service("svc-13", "st-nant", "Café social fermé", nanterre, -0.4, 0, func(s *domain.Service) {
			free(s)
			s.Categorie, s.HorairesAccueil = "cafe-social", domain.Ptr("Mo-Su off")
		}),
		service("svc-14", "st-nant", "Café social ancien", nanterre, 0, 1.2, func(s *domain.Service) {
			free(s)
			s.Categorie, s.HorairesAccueil, s.DateMaj = "cafe-social", domain.Ptr("Tu 14:00-18:00"), "2024-01-01"
		}),
	}
	return sts, svs
}

func newFixtureIndex() *search.Index {
	ix := search.New(search.Options{Now: func() time.Time { return testNow }})
	sts, svs := fixture()
	ix.Replace(sts, svs)
	return ix
}

// Needs of a completed interview, in grid order.
var (
	needIsolement = domain.Need{Domain: "lien-social", DomainTitle: "Lien social et isolement",
		Thematiques: []string{"remobilisation--lien-social"}, Categories: []string{"cafe-social"}}
	needReseau = domain.Need{Domain: "emploi", DomainTitle: "Emploi et réseau",
		Thematiques: []string{"preparer-sa-candidature--developper-son-reseau"}, Publics: []string{"demandeurs-emploi"}}
	needAlimentation = domain.Need{Domain: "alimentation", DomainTitle: "Alimentation",
		Categories: []string{"epicerie-solidaire"}}
	needSante = domain.Need{Domain: "sante", DomainTitle: "Santé", Sensitive: true,
		Thematiques: []string{"sante"}}
	needDonner = domain.Need{Domain: "donner", DomainTitle: "Envie de donner", Give: true,
		Categories: []string{"benevolat"}}
	// A domain answered without any need (all is well): it must not count.
	needNone = domain.Need{Domain: "logement", DomainTitle: "Logement", Words: []string{"ça va"}}
)
