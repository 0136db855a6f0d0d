package vocab

import (
	"strings"

	"github.com/edas92/passerelle/internal/textfold"
)

// Category is a local category of the département's guide of collaborative initiatives. Each is
// mapped to the data·inclusion thématiques it serves, so that a need expressed as a thématique
// finds the initiatives of the guide, and an initiative of the guide exports as standard data.
type Category struct {
	Code        string   `json:"code"`
	Label       string   `json:"label"`
	Description string   `json:"description"`
	Thematiques []string `json:"thematiques"`
	// Keywords, folded (lower case, no accents), that identify the category in a service's name
	// when the record does not state its category.
	Keywords []string `json:"-"`
}

// Categories are the guide's local categories, in display order.
var Categories = []Category{
	{Code: "tiers-lieu", Label: "Tiers-lieu",
		Description: "Lieu ouvert et partagé : café, atelier, espace de travail, rencontres.",
		Thematiques: []string{"remobilisation--lien-social", "preparer-sa-candidature--developper-son-reseau",
			"creer-une-entreprise--developper-son-entreprise", "numerique--acceder-a-une-connexion-internet"},
		Keywords: []string{"tiers lieu", "tiers lieux", "fablab", "coworking", "fabrique"}},
	{Code: "epicerie-solidaire", Label: "Épicerie solidaire",
		Description: "Courses à petit prix, souvent avec des ateliers cuisine et budget.",
		Thematiques: []string{"equipement-et-alimentation--alimentation", "difficultes-financieres--ameliorer-sa-gestion-budgetaire"},
		Keywords:    []string{"epicerie"}},
	{Code: "jardin-partage", Label: "Jardin partagé",
		Description: "Cultiver ensemble un potager, rencontrer ses voisins.",
		Thematiques: []string{"remobilisation--lien-social", "remobilisation--bien-etre-confiance-en-soi",
			"equipement-et-alimentation--alimentation"},
		Keywords: []string{"jardin", "potager"}},
	{Code: "echange-services", Label: "Échange de services, SEL, accorderie",
		Description: "Échanger du temps et des savoir-faire sans argent.",
		Thematiques: []string{"remobilisation--lien-social", "remobilisation--benevolat-action-citoyenne",
			"preparer-sa-candidature--valoriser-ses-competences"},
		Keywords: []string{"sel", "accorderie", "banque de temps", "echange de services", "echanges de savoirs"}},
	{Code: "repair-cafe", Label: "Repair café",
		Description: "Réparer ensemble ses objets avec des bénévoles.",
		Thematiques: []string{"equipement-et-alimentation--electromenager", "remobilisation--lien-social"},
		Keywords:    []string{"repair", "reparation"}},
	{Code: "ressourcerie", Label: "Ressourcerie, recyclerie",
		Description: "Objets, meubles et vêtements de seconde main à petit prix.",
		Thematiques: []string{"equipement-et-alimentation--habillement", "equipement-et-alimentation--electromenager"},
		Keywords:    []string{"ressourcerie", "recyclerie", "vestiaire"}},
	{Code: "cafe-social", Label: "Café social",
		Description: "Un café pour se poser, parler, sortir de l’isolement.",
		Thematiques: []string{"remobilisation--lien-social", "remobilisation--bien-etre-confiance-en-soi"},
		Keywords:    []string{"cafe social", "cafe solidaire", "cafe des"}},
	{Code: "frigo-solidaire", Label: "Frigo solidaire",
		Description: "Un réfrigérateur en libre-service où chacun donne et prend.",
		Thematiques: []string{"equipement-et-alimentation--alimentation"},
		Keywords:    []string{"frigo"}},
	{Code: "panier-solidaire", Label: "Panier solidaire, AMAP",
		Description: "Paniers de fruits et légumes frais, parfois à prix solidaire.",
		Thematiques: []string{"equipement-et-alimentation--alimentation", "sante--acces-aux-soins"},
		Keywords:    []string{"amap", "panier"}},
	{Code: "lieu-numerique", Label: "Lieu numérique",
		Description: "Aide aux démarches en ligne, accès à un ordinateur, ateliers numériques.",
		Thematiques: []string{"numerique--maitriser-les-fondamentaux-du-numerique", "numerique--acceder-a-des-services-en-ligne",
			"numerique--acceder-a-une-connexion-internet", "numerique--acquerir-un-equipement"},
		Keywords: []string{"numerique", "informatique", "cyber"}},
	{Code: "benevolat", Label: "Bénévolat",
		Description: "Donner de son temps dans une association, reprendre confiance.",
		Thematiques: []string{"remobilisation--benevolat-action-citoyenne", "remobilisation--lien-social",
			"preparer-sa-candidature--valoriser-ses-competences"},
		Keywords: []string{"benevolat", "benevole", "benevoles"}},
}

var categoryIndex = func() map[string]int {
	m := make(map[string]int, len(Categories))
	for i, c := range Categories {
		m[c.Code] = i
	}
	return m
}()

// CategoryByCode returns a local category by its code.
func CategoryByCode(code string) (Category, bool) {
	i, ok := categoryIndex[code]
	if !ok {
		return Category{}, false
	}
	return Categories[i], true
}

// InferCategory returns the local category a service most likely belongs to, from the keywords
// of its name and then of its structure's name, or "" when none matches. Records that state
// their category (passerelle_categorie) do not need it; imported national data never does.
func InferCategory(names ...string) string {
	for _, name := range names {
		key := " " + textfold.Key(name) + " "
		for _, c := range Categories {
			for _, kw := range c.Keywords {
				if strings.Contains(key, " "+kw+" ") || strings.Contains(key, " "+kw+"s ") {
					return c.Code
				}
			}
		}
	}
	return ""
}
