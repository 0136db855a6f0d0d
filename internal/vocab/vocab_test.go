package vocab

import "testing"

func TestVocabularies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v    *Vocabulary
		want int
	}{
		{Thematiques, 69}, {ThemeCategories, 16}, {Publics, 14}, {TypesServices, 6}, {Frais, 2},
		{ModesAccueil, 2}, {ModesMobilisation, 4}, {PersonnesMobilisatrices, 2}, {ReseauxPorteurs, 108},
	} {
		if len(tc.v.Terms) != tc.want {
			t.Errorf("%s: %d terms, want %d", tc.v.Name, len(tc.v.Terms), tc.want)
		}
		for _, term := range tc.v.Terms {
			if term.Label == "" {
				t.Errorf("%s: %s has no label", tc.v.Name, term.Value)
			}
		}
	}
	for _, th := range Thematiques.Terms {
		if !ThemeCategories.Has(ThemeCategory(th.Value)) {
			t.Errorf("sub-theme %s has no category", th.Value)
		}
	}
	if Thematiques.Label("remobilisation--lien-social") != "Lien social" || ThemeLabel("sante") != "Santé" ||
		Publics.Label("inconnu") != "inconnu" {
		t.Error("labels")
	}
}

func TestCategories(t *testing.T) {
	t.Parallel()
	if len(Categories) != 11 {
		t.Fatalf("%d categories, want the guide's 11", len(Categories))
	}
	for _, c := range Categories {
		if len(c.Thematiques) == 0 || c.Label == "" || len(c.Keywords) == 0 {
			t.Errorf("category %s incomplete", c.Code)
		}
		for _, th := range c.Thematiques {
			if !Thematiques.Has(th) {
				t.Errorf("category %s maps to unknown thématique %s", c.Code, th)
			}
		}
		if got, ok := CategoryByCode(c.Code); !ok || got.Code != c.Code {
			t.Errorf("CategoryByCode(%s)", c.Code)
		}
	}
}

func TestInferCategory(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		names []string
		want  string
	}{
		{[]string{"Épicerie solidaire Le Panier du Cœur"}, "epicerie-solidaire"},
		{[]string{"Les Jardins de la Lune"}, "jardin-partage"},
		{[]string{"Tiers-Lieu La Fabrique"}, "tiers-lieu"},
		{[]string{"SEL de Montrouge"}, "echange-services"},
		{[]string{"Accorderie de Gennevilliers"}, "echange-services"},
		{[]string{"Repair Café de Sèvres"}, "repair-cafe"},
		{[]string{"Café des aidants"}, "cafe-social"},
		{[]string{"Frigo solidaire du marché"}, "frigo-solidaire"},
		{[]string{"AMAP des Coteaux"}, "panier-solidaire"},
		{[]string{"Point numérique de la médiathèque"}, "lieu-numerique"},
		{[]string{"Atelier cuisine", "Épicerie sociale du Centre"}, "epicerie-solidaire"}, // from the structure's name
		{[]string{"Conseil juridique gratuit"}, ""},
		{[]string{"Selles et harnais"}, ""}, // « sel » is a word, not a prefix
	} {
		if got := InferCategory(tc.names...); got != tc.want {
			t.Errorf("InferCategory(%q) = %q, want %q", tc.names, got, tc.want)
		}
	}
}
