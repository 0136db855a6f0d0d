// Package vocab holds the data·inclusion v1 controlled vocabularies with their French labels,
// and the local categories of the département's guide of collaborative initiatives. It is
// reference data, embedded in the binary; see data/README.md for provenance.
package vocab

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:embed data/*.json
var files embed.FS

// Term is one value of a vocabulary.
type Term struct {
	Value       string `json:"value"`
	Label       string `json:"label"`
	Description string `json:"description,omitempty"`
}

// Vocabulary is a controlled list of values.
type Vocabulary struct {
	Name  string
	Terms []Term
	index map[string]int
}

// Has reports whether v is a value of the vocabulary.
func (v *Vocabulary) Has(value string) bool {
	_, ok := v.index[value]
	return ok
}

// Label returns the French label of a value, or the value itself when unknown.
func (v *Vocabulary) Label(value string) string {
	if i, ok := v.index[value]; ok {
		return v.Terms[i].Label
	}
	return value
}

func newVocabulary(name string, terms []Term) *Vocabulary {
	v := &Vocabulary{Name: name, Terms: terms, index: make(map[string]int, len(terms))}
	for i, t := range terms {
		v.index[t.Value] = i
	}
	return v
}

func load(name, file string) *Vocabulary {
	b, err := files.ReadFile("data/" + file)
	if err != nil {
		panic(fmt.Sprintf("vocab: %s: %v", file, err)) // embedded: cannot happen in a built binary
	}
	var terms []Term
	if err := json.Unmarshal(b, &terms); err != nil {
		panic(fmt.Sprintf("vocab: %s: %v", file, err))
	}
	for i := range terms {
		terms[i].Label = strings.TrimSpace(terms[i].Label)
	}
	return newVocabulary(name, terms)
}

// The data·inclusion v1 vocabularies.
var (
	Thematiques             = load("thematiques", "thematiques.json")
	Publics                 = load("publics", "publics.json")
	Frais                   = load("frais", "frais.json")
	ModesAccueil            = load("modes_accueil", "modes-accueil.json")
	ModesMobilisation       = load("modes_mobilisation", "modes-mobilisation.json")
	PersonnesMobilisatrices = load("mobilisable_par", "personnes-mobilisatrices.json")
	TypesServices           = load("type", "types-de-services.json")
	ReseauxPorteurs         = load("reseaux_porteurs", "reseaux-porteurs.json")
)

// ThemeCategories are the 16 categories of data·inclusion thématiques: the prefix of a sub-theme
// code before "--". Their labels are not in the vocabulary files; these are the schema
// documentation's names.
var ThemeCategories = newVocabulary("categories_thematiques", []Term{
	{Value: "choisir-un-metier", Label: "Choisir un métier"},
	{Value: "creer-une-entreprise", Label: "Créer une entreprise"},
	{Value: "difficultes-administratives-ou-juridiques", Label: "Difficultés administratives ou juridiques"},
	{Value: "difficultes-financieres", Label: "Difficultés financières"},
	{Value: "equipement-et-alimentation", Label: "Équipement et alimentation"},
	{Value: "famille", Label: "Famille"},
	{Value: "lecture-ecriture-calcul", Label: "Lecture, écriture, calcul"},
	{Value: "logement-hebergement", Label: "Logement et hébergement"},
	{Value: "mobilite", Label: "Mobilité"},
	{Value: "numerique", Label: "Numérique"},
	{Value: "preparer-sa-candidature", Label: "Préparer sa candidature"},
	{Value: "remobilisation", Label: "Remobilisation"},
	{Value: "sante", Label: "Santé"},
	{Value: "se-former", Label: "Se former"},
	{Value: "souvrir-a-linternational", Label: "S’ouvrir à l’international"},
	{Value: "trouver-un-emploi", Label: "Trouver un emploi"},
})

// ThemeCategory returns the category of a thématique code: the code itself when it is a
// category, the prefix before "--" for a sub-theme.
func ThemeCategory(code string) string {
	cat, _, _ := strings.Cut(code, "--")
	return cat
}

// ThemeLabel returns the French label of a category or sub-theme code.
func ThemeLabel(code string) string {
	if ThemeCategories.Has(code) {
		return ThemeCategories.Label(code)
	}
	return Thematiques.Label(code)
}
