package grid

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

func TestParse_TestGrid(t *testing.T) {
	t.Parallel()
	g, err := Parse([]byte(testGridJSON))
	if err != nil {
		t.Fatal(err)
	}
	if want := testGrid(); !reflect.DeepEqual(g, want) {
		t.Fatalf("parsed grid differs:\n got %+v\nwant %+v", g, want)
	}
}

func TestParse_RoundTrip(t *testing.T) {
	t.Parallel()
	for _, g := range []domain.Grid{testGrid(), Default()} {
		b, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", g.ID, err)
		}
		if !reflect.DeepEqual(back, g) {
			t.Fatalf("%s changed through JSON", g.ID)
		}
	}
}

// edit returns testGridJSON with old replaced by new; old must occur exactly once.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if n := strings.Count(testGridJSON, old); n != 1 {
		t.Fatalf("%q occurs %d times in testGridJSON", old, n)
	}
	return strings.Replace(testGridJSON, old, new, 1)
}

// TestParse_Problems checks what only a file can get wrong: syntax, unknown and repeated fields,
// types. One broken thing per case, and the whole French message.
func TestParse_Problems(t *testing.T) {
	t.Parallel()
	const (
		questionFieldList = "id, type, label, help, required, options, min, max, unit, scale, show_if"
		courtCond         = "domaine « a », question « a-court », condition : "
	)
	optionsAsObject := edit(t, `"options": [
          {"value": "x", "label": "X", "thematiques": ["remobilisation--lien-social"], "categories": ["jardin-partage"]},
          {"value": "y", "label": "Y", "publics": ["demandeurs-emploi"]}
        ]`, `"options": {"x": "X", "y": "Y"}`)
	tests := []struct {
		name string
		in   string
		want string
	}{
		// Syntax
		{"empty file", "", "Grille illisible : le fichier est vide."},
		{"blank file", " \r\n\t", "Grille illisible : le fichier est vide."},
		{"missing comma", edit(t, `"version": 1,`, `"version": 1`),
			"Grille illisible : le fichier n’est pas du JSON valide (ligne 4, colonne 3) : vérifiez les virgules, les guillemets, les accolades et les crochets juste avant cet endroit."},
		{"bracket closed by a brace", "{\"id\": \"t\", \"title\": \"é\",\n \"version\": 1,\n \"domains\": [}",
			"Grille illisible : le fichier n’est pas du JSON valide (ligne 3, colonne 14) : vérifiez les virgules, les guillemets, les accolades et les crochets juste avant cet endroit."},
		{"truncated file", testGridJSON[:200],
			"Grille illisible : le fichier s’arrête avant la fin de la grille : une accolade, un crochet ou un guillemet n’est pas fermé."},
		{"two grids in one file", testGridJSON + "\n{}",
			"Grille illisible : du texte suit la fin de la grille (ligne 45, colonne 1) : un fichier contient une seule grille."},
		{"too deep", strings.Repeat("[", 100) + strings.Repeat("]", 100),
			"Grille illisible : le fichier est imbriqué trop profondément (64 niveaux au plus)."},
		{"not an object", `[{"id": "t"}]`,
			`Grille invalide : grille : le fichier doit contenir un objet JSON ({ "id": …, "domains": […] }), pas une liste.`},

		// Unknown and repeated fields
		{"misspelt grid field", edit(t, `"title": "Test"`, `"titel": "Test"`),
			gridMessage("grille : champ inconnu « titel » (vouliez-vous dire « title » ?)")},
		{"field in the wrong case", edit(t, `"label": "X"`, `"Label": "X"`),
			gridMessage("domaine « a », question « a-choix », option « x » : champ inconnu « Label » (vouliez-vous dire « label » ?)")},
		{"camel case field", edit(t, `"show_if": {"question": "a-yn"`, `"showIf": {"question": "a-yn"`),
			gridMessage("domaine « a », question « a-court » : champ inconnu « showIf » (vouliez-vous dire « show_if » ?)")},
		{"singular for plural", edit(t, `"publics": ["demandeurs-emploi"]`, `"public": ["demandeurs-emploi"]`),
			gridMessage("domaine « a », question « a-choix », option « y » : champ inconnu « public » (vouliez-vous dire « publics » ?)")},
		{"misspelt criterion", edit(t, `"equals": "non"`, `"equal": "non"`),
			gridMessage(courtCond + "champ inconnu « equal » (vouliez-vous dire « equals » ?)")},
		{"misspelt scale field", edit(t, `"worker_rating": true`, `"worker_ratings": true`),
			gridMessage("domaine « a », question « a-auto », « scale » : champ inconnu « worker_ratings » (vouliez-vous dire « worker_rating » ?)")},
		{"unknown field without a likely meaning", edit(t, `"label": "Combien ?"`, `"label": "Combien ?", "couleur": "bleu"`),
			gridMessage("domaine « a », question « a-num » : champ inconnu « couleur » (champs possibles ici : " + questionFieldList + ")")},
		{"unknown domain field", edit(t, `"sensitive": true,`, `"sensitive": true, "sensible": true,`),
			gridMessage("domaine « s » : champ inconnu « sensible » (champs possibles ici : id, title, description, sensitive, thematiques, categories, questions)")},
		{"field twice", edit(t, `"label": "Choix ?"`, `"label": "Choix ?", "label": "Autre"`),
			gridMessage("domaine « a », question « a-choix » : le champ « label » est présent deux fois")},

		// Types
		{"version as text", edit(t, `"version": 1`, `"version": "1"`),
			gridMessage("grille : « version » doit être un nombre entier, pas un texte (« 1 »)")},
		{"version with decimals", edit(t, `"version": 1`, `"version": 1.5`),
			gridMessage("grille : « version » doit être un nombre entier, pas un nombre (1.5)")},
		{"domain id as number", edit(t, `"id": "s"`, `"id": 5`),
			"Grille « t » invalide : domaine n° 2 : « id » doit être un texte entre guillemets, pas un nombre (5)."},
		{"sensitive as text", edit(t, `"sensitive": true`, `"sensitive": "oui"`),
			gridMessage("domaine « s » : « sensitive » doit valoir true ou false, pas un texte (« oui »)")},
		{"label as number", edit(t, `"label": "Choix ?"`, `"label": 42`),
			gridMessage("domaine « a », question « a-choix » : « label » doit être un texte entre guillemets, pas un nombre (42)")},
		{"required as text", edit(t, `"label": "Oui ou non ?", "required": true`, `"label": "Oui ou non ?", "required": "oui"`),
			gridMessage("domaine « a », question « a-yn » : « required » doit valoir true ou false, pas un texte (« oui »)")},
		{"options as an object", optionsAsObject,
			gridMessage("domaine « a », question « a-choix » : « options » doit être une liste d’objets ([{…}, {…}]), pas un objet")},
		{"option that is not an object", edit(t, `{"value": "y", "label": "Y", "publics": ["demandeurs-emploi"]}`, `"y"`),
			gridMessage("domaine « a », question « a-choix » : « options » : l’élément n° 2 doit être un objet ({…}), pas un texte (« y »)")},
		{"thématiques as text", edit(t, `"thematiques": ["sante--acces-aux-soins"]`, `"thematiques": "sante--acces-aux-soins"`),
			gridMessage(`domaine « s » : « thematiques » doit être une liste de textes (["…", "…"]), pas un texte (« sante--acces-aux-soins »)`)},
		{"thématique as number", edit(t, `"thematiques": ["numerique--acquerir-un-equipement"]`, `"thematiques": ["numerique--acquerir-un-equipement", 3]`),
			gridMessage("domaine « a », question « a-multi », option « m2 » : « thematiques » : l’élément n° 2 doit être un texte entre guillemets, pas un nombre (3)")},
		{"min as text", edit(t, `"min": 0`, `"min": "0"`),
			gridMessage("domaine « a », question « a-num » : « min » doit être un nombre, pas un texte (« 0 »)")},
		{"max out of range", edit(t, `"max": 10`, `"max": 1e400`),
			gridMessage("domaine « a », question « a-num » : « max » est un nombre hors limites (1e400)")},
		{"scale as boolean", edit(t, `"scale": {}`, `"scale": true`),
			gridMessage(`domaine « s », question « s-auto » : « scale » doit être un objet ({ "min_label": …, "max_label": … }), pas un booléen (true)`)},
		{"show_if as text", edit(t, `"show_if": {"question": "a-yn", "equals": "non"}`, `"show_if": "a-yn = non"`),
			gridMessage(`domaine « a », question « a-court » : « show_if » doit être un objet ({ "question": …, "equals": … }), pas un texte (« a-yn = non »)`)},
		{"in as text", edit(t, `"equals": "non"`, `"in": "non"`),
			gridMessage(courtCond + `« in » doit être une liste de textes (["…", "…"]), pas un texte (« non »)`)},
		{"in empty", edit(t, `"equals": "non"`, `"in": []`),
			gridMessage(courtCond + "« in » est une liste vide : indiquez au moins une valeur")},
		{"equals empty", edit(t, `"equals": "non"`, `"equals": ""`),
			gridMessage(courtCond + "« equals » est vide : indiquez la valeur attendue")},
		{"answered as text", edit(t, `"equals": "non"`, `"answered": "oui"`),
			gridMessage(courtCond + "« answered » doit valoir true ou false, pas un texte (« oui »)")},
		{"any empty", edit(t, `{"question": "a-yn", "equals": "non"}`, `{"any": []}`),
			gridMessage(courtCond + "« any » est une liste vide : indiquez au moins une condition")},
		{"all with a text", edit(t, `{"question": "a-yn", "equals": "non"}`, `{"all": ["a-yn"]}`),
			gridMessage(courtCond + "« all » : l’élément n° 1 doit être un objet ({…}), pas un texte (« a-yn »)")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g, err := Parse([]byte(tc.in))
			wantInvalid(t, err, tc.want)
			if !reflect.DeepEqual(g, domain.Grid{}) {
				t.Fatalf("a failed Parse returned a grid: %+v", g)
			}
		})
	}
}

// TestParse_Accepted checks what a file may do that the in-memory grid cannot show.
func TestParse_Accepted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     string
		change func(g *domain.Grid) // what the parsed grid is, from testGrid
	}{
		{"byte-order mark", "\uFEFF" + testGridJSON, func(*domain.Grid) {}},
		{"null is an absent field", edit(t, `"help": "Notez ses mots."`, `"help": null`),
			func(g *domain.Grid) { g.Domains[0].Questions[6].Help = "" }},
		{"empty list is no list", edit(t, `"categories": ["cafe-social"]`, `"categories": []`),
			func(g *domain.Grid) { g.Domains[0].Categories = nil }},
		{"windows line ends", strings.ReplaceAll(testGridJSON, "\n", "\r\n"), func(*domain.Grid) {}},
		{"integer written as a number with exponent for min", edit(t, `"min": 0`, `"min": 0e0`), func(*domain.Grid) {}},
		{"answered false kept", edit(t, `"equals": "non"`, `"answered": false`),
			func(g *domain.Grid) {
				g.Domains[0].Questions[5].ShowIf = &domain.Condition{Question: "a-yn", Answered: ptr(false)}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g, err := Parse([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			want := testGrid()
			tc.change(&want)
			if !reflect.DeepEqual(g, want) {
				t.Fatalf("got %+v\nwant %+v", g, want)
			}
		})
	}
}

// TestParse_SeveralProblems checks that file problems and rule problems come in one message:
// what the file gets wrong first, then the rules, each once.
func TestParse_SeveralProblems(t *testing.T) {
	t.Parallel()
	in := testGridJSON
	for _, r := range [][2]string{
		{`"title": "Test"`, `"titel": "Test"`}, // misspelt: not also « title missing »
		{`"type": "echelle", "label": "Votre santé ?"`, `"type": "curseur", "label": "Votre santé ?"`},
		{`"label": "Choix ?"`, `"label": 42`}, // wrong type: not also « label missing »
		{`"categories": ["benevolat"]`, `"categories": ["benevolat", "jardin"]`},
		{`"min": 0`, `"min": 20`},
		{`"equals": "x"`, `"equals": "z"`},
	} {
		if strings.Count(in, r[0]) != 1 {
			t.Fatalf("%q is not once in the grid", r[0])
		}
		in = strings.Replace(in, r[0], r[1], 1)
	}
	_, err := Parse([]byte(in))
	wantInvalid(t, err, gridMessage(
		"grille : champ inconnu « titel » (vouliez-vous dire « title » ?)",
		"domaine « a », question « a-choix » : « label » doit être un texte entre guillemets, pas un nombre (42)",
		"domaine « a », question « a-multi », option « m1 » : catégorie inconnue « jardin » (catégories possibles : "+categoriesList+")",
		"domaine « a », question « a-num » : « min » (20) est plus grand que « max » (10)",
		"domaine « s », question « s-auto » : type inconnu « curseur » (types possibles : "+typesList+")",
		"domaine « s », question « s-yn », condition : la valeur « z » n’est pas une réponse possible de la question « a-choix » (valeurs possibles : « x », « y »)",
	))
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ key, want string }{
		{"lable", "label"}, {"Label", "label"}, {"showIf", "show_if"}, {"show-if", "show_if"},
		{"thematique", "thematiques"}, {"Thématiques", "thematiques"}, {"ID", "id"},
		{"couleur", ""}, {"x", ""}, {strings.Repeat("a", 200), ""},
	} {
		if got := suggest(tc.key, append(questionFields, optionFields...)); got != tc.want {
			t.Errorf("suggest(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
}
