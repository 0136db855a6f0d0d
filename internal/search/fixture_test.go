package search

import (
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// testNow is the reference time of the tests: freshness is measured from it.
var testNow = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

const src = "t"

func ptr[T any](v T) *T { return &v }

func structure(id, nom, insee, commune string, mod func(*domain.Structure)) domain.Structure {
	st := domain.Structure{ID: src + "--" + id, Source: src, Nom: nom, DateMaj: "2026-01-01"}
	st.UUID = domain.RecordUUID(domain.KindStructure, src, st.ID)
	st.Origin = domain.OriginImport
	if insee != "" {
		st.CodeInsee, st.Commune, st.Adresse = ptr(insee), ptr(commune), ptr("1 rue de la Paix")
	}
	if mod != nil {
		mod(&st)
	}
	return st
}

func service(id, structureID, nom, dateMaj string, mod func(*domain.Service)) domain.Service {
	sv := domain.Service{ID: src + "--" + id, Source: src, StructureID: src + "--" + structureID, Nom: nom,
		DateMaj: dateMaj}
	sv.UUID = domain.RecordUUID(domain.KindService, src, sv.ID)
	sv.Origin = domain.OriginImport
	if mod != nil {
		mod(&sv)
	}
	return sv
}

// uuidOf returns the UUID of a fixture service from its short id ("svc-01").
func uuidOf(id string) string { return domain.RecordUUID(domain.KindService, src, src+"--"+id) }

// fixture is a small directory with the traps of the département: accents and ligatures, commune
// names with articles and hyphens, a postcode shared by two communes, services that inherit
// their structure's place and hours, remote-only and unplaced services, and a deleted one.
//
// Name order (no text): 03 04 10 14 07 13 11 02 01 06 05 08 09.
func fixture() ([]domain.Structure, []domain.Service) {
	sts := []domain.Structure{
		structure("st-coeur", "Association Cœur de Ville", "92050", "Nanterre", func(s *domain.Structure) {
			s.Latitude, s.Longitude = ptr(48.8920), ptr(2.2065)
			s.HorairesAccueil = ptr("Mo-Fr 09:00-17:00")
		}),
		structure("st-relais", "Le Relais Solidaire", "92012", "Boulogne-Billancourt", func(s *domain.Structure) {
			s.CodePostal = ptr("75016") // the part of Boulogne with a Paris postcode
			s.HorairesAccueil = ptr("We 14:00-18:00; Sa 10:00-12:00")
		}),
		structure("st-acc-genne", "Accorderie de Gennevilliers", "92036", "Gennevilliers", nil),
		structure("st-acc-nant", "Accorderie de Nanterre", "92050", "Nanterre", nil),
		structure("st-moulins", "Centre social Les Moulins", "92040", "Issy-les-Moulineaux", nil),
		structure("st-familles", "Maison des Familles", "92048", "Meudon", func(s *domain.Structure) {
			s.CodePostal = ptr("92190") // shared by Meudon and Clamart
			s.Latitude, s.Longitude = ptr(48.8040), ptr(2.2270)
		}),
		structure("st-clamart", "Association Les Jardiniers", "92023", "Clamart", func(s *domain.Structure) {
			s.CodePostal = ptr("92190")
		}),
		structure("st-garenne", "Collectif Garennois", "92035", "La Garenne-Colombes", nil),
		structure("st-coteau", "Ressourcerie du Coteau", "92064", "Saint-Cloud", func(s *domain.Structure) {
			s.HorairesAccueil = ptr("Tu,Th 09:00-12:00")
		}),
		structure("st-num", "Plateforme Numérique Solidaire", "", "", nil),
		structure("st-plessis", "Amicale du Plessis", "92060", "Le Plessis-Robinson", nil),
		structure("st-nowhere", "Fil et Aiguille", "", "", nil),
	}
	svs := []domain.Service{
		service("svc-01", "st-coeur", "Épicerie solidaire Cœur de Ville", "2026-10-01", func(s *domain.Service) {
			s.Description = "Courses à petit prix et ateliers cuisine."
			s.Frais, s.Publics, s.ModesAccueil = ptr("gratuit"), []string{"familles"}, []string{"en-presentiel"}
			s.ZoneEligibilite = []string{"92050"}
		}),
		service("svc-02", "st-relais", "Épicerie sociale du Relais", "2025-06-01", func(s *domain.Service) {
			s.Description = "Produits frais et d’hygiène à prix réduit."
			s.Frais, s.Publics, s.ZoneEligibilite = ptr("payant"), []string{"tous-publics"}, []string{"92"}
		}),
		service("svc-03", "st-acc-genne", "Accorderie de Gennevilliers", "2026-09-01", func(s *domain.Service) {
			s.Description = "Échanger des services entre habitants : une heure vaut une heure."
			s.Frais = ptr("gratuit")
		}),
		service("svc-04", "st-acc-nant", "Accorderie de Nanterre", "2026-09-01", func(s *domain.Service) {
			s.Description = "Échanger des services entre habitants : une heure vaut une heure."
			s.Frais = ptr("gratuit")
		}),
		service("svc-05", "st-moulins", "Jardins partagés des Moulins", "2024-01-01", func(s *domain.Service) {
			s.Description = "Des parcelles à cultiver ensemble."
			s.Frais, s.Publics, s.PeutDonner = ptr("gratuit"), []string{"seniors"}, true
			s.ZoneEligibilite = []string{"200057974"} // Grand Paris Seine Ouest
		}),
		service("svc-06", "st-clamart", "Jardin partagé de la Fontaine", "2026-05-01", func(s *domain.Service) {
			s.Description = "Un potager au pied des immeubles."
			s.CodeInsee, s.Commune = ptr("92023"), ptr("Clamart")
			s.Latitude, s.Longitude = ptr(48.7900), ptr(2.2600)
			s.HorairesAccueil = ptr("Sa[1] 10:00-12:00")
			s.Thematiques, s.Publics = []string{"sante--acces-aux-soins"}, []string{"familles"}
			s.ZoneEligibilite = []string{"france"}
		}),
		service("svc-07", "st-familles", "Café des familles", "2026-08-01", func(s *domain.Service) {
			s.Description = "Un moment pour souffler entre parents."
			s.Thematiques = []string{"famille--soutien-a-la-parentalite-et-a-leducation"}
			s.Publics, s.ModesAccueil = []string{"familles", "seniors"}, []string{"en-presentiel", "a-distance"}
			s.Frais = ptr("gratuit")
		}),
		service("svc-08", "st-garenne", "Repair café Garennois", "2026-07-01", func(s *domain.Service) {
			s.Description = "Réparer ensemble grille-pain et vélos."
			s.Categorie, s.PeutDonner, s.Frais = "repair-cafe", true, ptr("gratuit")
			s.ZoneEligibilite = []string{"92035"}
		}),
		service("svc-09", "st-coteau", "Ressourcerie du Coteau", "2023-01-01", func(s *domain.Service) {
			s.Description = "Vêtements et meubles de seconde main."
			s.Frais = ptr("payant")
			s.ZoneEligibilite = []string{"200057982"} // Paris Ouest La Défense
		}),
		service("svc-10", "st-num", "Aide numérique à distance", "2026-10-15", func(s *domain.Service) {
			s.Description = "Un conseiller vous aide au téléphone pour vos démarches en ligne."
			s.ModesAccueil, s.Publics, s.Frais = []string{"a-distance"}, []string{"jeunes"}, ptr("gratuit")
			s.ZoneEligibilite = []string{"99100"}
		}),
		service("svc-11", "st-plessis", "Club des Épicriens", "2026-01-01", func(s *domain.Service) {
			s.Description = "Dégustations et cuisine entre voisins."
			s.Thematiques, s.Publics = []string{"remobilisation--lien-social"}, []string{"tous-publics"}
		}),
		service("svc-12", "st-coeur", "Épicerie fantôme", "2026-10-01", func(s *domain.Service) {
			s.DeletedAt = ptr(testNow)
		}),
		service("svc-13", "st-relais", "Café des familles", "2026-03-01", func(s *domain.Service) {
			s.Description = "Un moment pour souffler entre parents."
			s.ModesAccueil = []string{"en-presentiel"}
		}),
		service("svc-14", "st-nowhere", "Atelier couture solidaire", "", func(s *domain.Service) {
			s.Description = "Apprendre à coudre et retoucher ses vêtements."
			s.ModesAccueil = []string{"en-presentiel"}
		}),
	}
	return sts, svs
}

func newFixtureIndex() *Index {
	ix := New(Options{Now: func() time.Time { return testNow }})
	sts, svs := fixture()
	ix.Replace(sts, svs)
	return ix
}

// ids returns the short ids of the hits ("01" for t--svc-01).
func ids(res domain.SearchResult) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID[len(src+"--svc-"):]
	}
	return out
}

func hitByID(res domain.SearchResult, short string) *domain.Hit {
	for i := range res.Hits {
		if res.Hits[i].ID == src+"--svc-"+short {
			return &res.Hits[i]
		}
	}
	return nil
}
