package grid

import (
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

const (
	typesList      = "choix-unique, choix-multiples, oui-non, nombre, texte-court, texte-long, echelle"
	categoriesList = "tiers-lieu, epicerie-solidaire, jardin-partage, echange-services, repair-cafe, ressourcerie, cafe-social, frigo-solidaire, panier-solidaire, lieu-numerique, benevolat"
	publicsList    = "actifs, beneficiaires-des-minimas-sociaux, demandeurs-emploi, etudiants, familles, femmes, jeunes, personnes-en-situation-de-handicap, personnes-en-situation-durgence, personnes-en-situation-juridique-specifique, personnes-exilees, residents-qpv-frr, seniors, tous-publics"
)

func TestValidate_TestGridIsValid(t *testing.T) {
	t.Parallel()
	if err := Validate(testGrid()); err != nil {
		t.Fatal(err)
	}
}

// TestValidate_Rules breaks one thing per case and checks the whole French message: the
// problem, located, and nothing else.
func TestValidate_Rules(t *testing.T) {
	t.Parallel()
	type grid = domain.Grid
	q := func(g *grid, id string) *domain.Question { return question(t, g, id) }
	a := func(g *grid) *domain.GridDomain { return &g.Domains[0] }
	tests := []struct {
		name   string
		break_ func(g *grid)
		want   string // the whole message
	}{
		// The grid
		{"grid id missing", func(g *grid) { g.ID = "" },
			"Grille invalide : grille : l’identifiant (« id ») est obligatoire."},
		{"grid id not a slug", func(g *grid) { g.ID = "Grille EDAS" },
			"Grille « Grille EDAS » invalide : grille : identifiant « Grille EDAS » invalide : lettres minuscules sans accent, chiffres et tirets seulement (ex. « grille-edas »)."},
		{"grid id with an accent", func(g *grid) { g.ID = "grille-été" },
			"Grille « grille-été » invalide : grille : identifiant « grille-été » invalide : lettres minuscules sans accent, chiffres et tirets seulement (ex. « grille-edas »)."},
		{"grid id too long", func(g *grid) { g.ID = strings.Repeat("g", 101) },
			"Grille « " + strings.Repeat("g", 59) + "… » invalide : grille : identifiant trop long : 101 caractères, 100 au plus."},
		{"version missing", func(g *grid) { g.Version = 0 },
			gridMessage("grille : la version (« version ») doit être un nombre entier à partir de 1 (trouvé : 0)")},
		{"version negative", func(g *grid) { g.Version = -2 },
			gridMessage("grille : la version (« version ») doit être un nombre entier à partir de 1 (trouvé : -2)")},
		{"title missing", func(g *grid) { g.Title = "" },
			gridMessage("grille : le titre (« title ») est obligatoire")},
		{"title blank", func(g *grid) { g.Title = "  \t" },
			gridMessage("grille : le titre (« title ») est obligatoire")},
		{"title too long", func(g *grid) { g.Title = strings.Repeat("é", 501) },
			gridMessage("grille : « title » est trop long : 501 caractères, 500 au plus")},
		{"description too long", func(g *grid) { g.Description = strings.Repeat("d", 2001) },
			gridMessage("grille : « description » est trop long : 2\u00a0001 caractères, 2\u00a0000 au plus")},
		{"no domain", func(g *grid) { g.Domains = nil },
			gridMessage("grille : la grille n’a aucun domaine (« domains ») : il en faut au moins un")},

		// Domains
		{"domain id missing", func(g *grid) { a(g).ID = "" },
			gridMessage("domaine n° 1 : l’identifiant (« id ») est obligatoire")},
		{"domain id not a slug", func(g *grid) { a(g).ID = "Liens_sociaux" },
			gridMessage("domaine « Liens_sociaux » : identifiant « Liens_sociaux » invalide : lettres minuscules sans accent, chiffres et tirets seulement (ex. « liens »)")},
		{"domain id twice", func(g *grid) { g.Domains[1].ID = "a" },
			gridMessage("domaine « a » : identifiant en double : c’est déjà celui du domaine n° 1")},
		{"domain title missing", func(g *grid) { g.Domains[1].Title = "" },
			gridMessage("domaine « s » : le titre (« title ») est obligatoire")},
		{"domain description too long", func(g *grid) { a(g).Description = strings.Repeat("d", 2001) },
			gridMessage("domaine « a » : « description » est trop long : 2\u00a0001 caractères, 2\u00a0000 au plus")},
		{"domain without questions", func(g *grid) { g.Domains = append(g.Domains, domain.GridDomain{ID: "vide", Title: "Vide"}) },
			gridMessage("domaine « vide » : le domaine n’a aucune question (« questions ») : il en faut au moins une")},
		{"domain thématique is a category", func(g *grid) { a(g).Thematiques = []string{"remobilisation"} },
			gridMessage("domaine « a » : « remobilisation » est une catégorie de thématiques, pas une thématique : choisissez une ou plusieurs de ses sous-thématiques (remobilisation--activites-sportives-et-culturelles, remobilisation--benevolat-action-citoyenne, remobilisation--bien-etre-confiance-en-soi, remobilisation--lien-social)")},
		{"domain thématique unknown", func(g *grid) { a(g).Thematiques = []string{"remobilisation--lien-social", "lien-social"} },
			gridMessage("domaine « a » : thématique inconnue « lien-social » : les thématiques sont les codes data·inclusion (ex. « remobilisation--lien-social »)")},
		{"domain category unknown", func(g *grid) { a(g).Categories = []string{"cafe"} },
			gridMessage("domaine « a » : catégorie inconnue « cafe » (catégories possibles : " + categoriesList + ")")},
		{"domain category is a thématique", func(g *grid) { a(g).Categories = []string{"sante--acces-aux-soins"} },
			gridMessage("domaine « a » : « sante--acces-aux-soins » est une thématique data·inclusion, pas une catégorie locale : mettez-la dans « thematiques »")},

		// Questions
		{"question id missing", func(g *grid) { q(g, "a-long").ID = "" },
			gridMessage("domaine « a », question n° 7 : l’identifiant (« id ») est obligatoire")},
		{"question id not a slug", func(g *grid) { q(g, "a-long").ID = "a long" },
			gridMessage("domaine « a », question « a long » : identifiant « a long » invalide : lettres minuscules sans accent, chiffres et tirets seulement (ex. « liens-soutien »)")},
		{"question id twice across domains", func(g *grid) { q(g, "s-auto").ID = "a-long" },
			gridMessage("domaine « s », question « a-long » : identifiant en double : c’est déjà celui d’une question du domaine « a »")},
		{"type unknown", func(g *grid) { g.Domains[1].Questions[0].Type = "curseur" },
			gridMessage("domaine « s », question « s-auto » : type inconnu « curseur » (types possibles : " + typesList + ")")},
		{"type missing", func(g *grid) { q(g, "a-long").Type = "" },
			gridMessage("domaine « a », question « a-long » : le type (« type ») est obligatoire (types possibles : " + typesList + ")")},
		{"label missing", func(g *grid) { q(g, "a-num").Label = " " },
			gridMessage("domaine « a », question « a-num » : le libellé (« label ») est obligatoire : c’est la question posée")},
		{"label too long", func(g *grid) { q(g, "a-num").Label = strings.Repeat("é", 501) },
			gridMessage("domaine « a », question « a-num » : « label » est trop long : 501 caractères, 500 au plus")},
		{"help too long", func(g *grid) { q(g, "a-num").Help = strings.Repeat("é", 2001) },
			gridMessage("domaine « a », question « a-num » : « help » est trop long : 2\u00a0001 caractères, 2\u00a0000 au plus")},
		{"required in a sensitive domain", func(g *grid) { q(g, "s-auto").Required = true },
			gridMessage("domaine « s », question « s-auto » : une question d’un domaine sensible ne peut pas être obligatoire (« required ») : la personne doit pouvoir ne pas répondre")},

		// Options
		{"single choice with one option", func(g *grid) { q(g, "a-choix").Options = q(g, "a-choix").Options[:1] },
			gridMessage("domaine « a », question « a-choix » : une question « choix-unique » demande au moins deux options (« options ») : une seule trouvée")},
		{"multiple choice without options", func(g *grid) { q(g, "a-multi").Options = nil },
			gridMessage("domaine « a », question « a-multi » : une question « choix-multiples » demande au moins deux options (« options ») : aucune trouvée")},
		{"options on a text question", func(g *grid) { q(g, "a-long").Options = []domain.Option{{Value: "v", Label: "V"}} },
			gridMessage("domaine « a », question « a-long » : une question « texte-long » n’a pas d’options : « options » ne sert qu’aux questions à choix et oui-non")},
		{"options on a number question", func(g *grid) { q(g, "a-num").Options = []domain.Option{{Value: "v"}} },
			gridMessage("domaine « a », question « a-num » : une question « nombre » n’a pas d’options : « options » ne sert qu’aux questions à choix et oui-non")},
		{"options on a scale question", func(g *grid) { q(g, "a-auto").Options = []domain.Option{{Value: "1", Label: "1"}} },
			gridMessage("domaine « a », question « a-auto » : une question « echelle » n’a pas d’options : « options » ne sert qu’aux questions à choix et oui-non")},
		{"yes/no options not oui/non", func(g *grid) {
			q(g, "a-yn").Options = []domain.Option{{Value: "yes", Label: "Oui"}, {Value: "no", Label: "Non"}}
		}, gridMessage("domaine « a », question « a-yn » : les options d’une question « oui-non » doivent être exactement « oui » et « non » (trouvé : « yes », « no »)")},
		{"yes/no with a third option", func(g *grid) {
			o := &q(g, "a-yn").Options
			*o = append(*o, domain.Option{Value: "nsp", Label: "Ne sait pas"})
		}, gridMessage("domaine « a », question « a-yn » : les options d’une question « oui-non » doivent être exactement « oui » et « non » (trouvé : « oui », « non », « nsp »)")},
		{"option value missing", func(g *grid) { q(g, "a-multi").Options[2].Value = "" },
			gridMessage("domaine « a », question « a-multi », option n° 3 : la valeur (« value ») est obligatoire : c’est ce qui est enregistré")},
		{"option value twice", func(g *grid) { q(g, "a-multi").Options[2].Value = "m1" },
			gridMessage("domaine « a », question « a-multi », option « m1 » : valeur en double dans la question")},
		{"option label missing", func(g *grid) { q(g, "a-multi").Options[1].Label = "" },
			gridMessage("domaine « a », question « a-multi », option « m2 » : le libellé (« label ») est obligatoire : c’est ce que lit la personne")},
		{"option label too long", func(g *grid) { q(g, "a-multi").Options[1].Label = strings.Repeat("l", 501) },
			gridMessage("domaine « a », question « a-multi », option « m2 » : « label » est trop long : 501 caractères, 500 au plus")},
		{"option thématique is a category", func(g *grid) { q(g, "a-choix").Options[0].Thematiques = []string{"sante"} },
			gridMessage("domaine « a », question « a-choix », option « x » : « sante » est une catégorie de thématiques, pas une thématique : choisissez une ou plusieurs de ses sous-thématiques (sante--acces-aux-soins, sante--addictions, sante--constituer-un-dossier-mdph-invalidite, sante--sante-mentale, sante--sante-sexuelle)")},
		{"option thématique is a local category", func(g *grid) { q(g, "a-choix").Options[0].Thematiques = []string{"jardin-partage"} },
			gridMessage("domaine « a », question « a-choix », option « x » : « jardin-partage » est une catégorie locale, pas une thématique : mettez-la dans « categories »")},
		{"option thématique unknown", func(g *grid) { q(g, "a-choix").Options[0].Thematiques = []string{"remobilisation--lien_social"} },
			gridMessage("domaine « a », question « a-choix », option « x » : thématique inconnue « remobilisation--lien_social » : les thématiques sont les codes data·inclusion (ex. « remobilisation--lien-social »)")},
		{"option category unknown", func(g *grid) { q(g, "a-choix").Options[0].Categories = []string{"jardin"} },
			gridMessage("domaine « a », question « a-choix », option « x » : catégorie inconnue « jardin » (catégories possibles : " + categoriesList + ")")},
		{"option category is a thématique", func(g *grid) {
			q(g, "a-choix").Options[0].Categories = []string{"equipement-et-alimentation--alimentation"}
		}, gridMessage("domaine « a », question « a-choix », option « x » : « equipement-et-alimentation--alimentation » est une thématique data·inclusion, pas une catégorie locale : mettez-la dans « thematiques »")},
		{"option public unknown", func(g *grid) { q(g, "a-choix").Options[1].Publics = []string{"chomeurs"} },
			gridMessage("domaine « a », question « a-choix », option « y » : public inconnu « chomeurs » (publics possibles : " + publicsList + ")")},

		// Numbers, units, scales
		{"min above max", func(g *grid) { q(g, "a-num").Min = ptr(12.5) },
			gridMessage("domaine « a », question « a-num » : « min » (12,5) est plus grand que « max » (10)")},
		{"min on a text question", func(g *grid) { q(g, "a-long").Min = ptr(1.0) },
			gridMessage("domaine « a », question « a-long » : « min » et « max » ne servent qu’aux questions « nombre », pas aux questions « texte-long »")},
		{"max on a scale question", func(g *grid) { q(g, "a-auto").Max = ptr(10.0) },
			gridMessage("domaine « a », question « a-auto » : « min » et « max » ne servent qu’aux questions « nombre », pas aux questions « echelle »")},
		{"unit on a scale question", func(g *grid) { q(g, "a-auto").Unit = "points" },
			gridMessage("domaine « a », question « a-auto » : « unit » ne sert qu’aux questions « nombre », pas aux questions « echelle »")},
		{"scale on a choice question", func(g *grid) { q(g, "a-choix").Scale = &domain.Scale{WorkerRating: true} },
			gridMessage("domaine « a », question « a-choix » : « scale » ne sert qu’aux questions « echelle », pas aux questions « choix-unique »")},
		{"scale label too long", func(g *grid) { q(g, "a-auto").Scale.MaxLabel = strings.Repeat("b", 501) },
			gridMessage("domaine « a », question « a-auto », « scale » : « max_label » est trop long : 501 caractères, 500 au plus")},

		// Conditions
		{"condition on an unknown question", func(g *grid) { q(g, "a-court").ShowIf.Question = "x" },
			gridMessage("domaine « a », question « a-court », condition : la condition renvoie à une question inconnue « x »")},
		{"condition on itself", func(g *grid) { q(g, "a-court").ShowIf = &domain.Condition{Question: "a-court", Answered: ptr(true)} },
			gridMessage("domaine « a », question « a-court », condition : la condition renvoie à la question elle-même")},
		{"condition without criterion", func(g *grid) { q(g, "a-court").ShowIf = &domain.Condition{Question: "a-yn"} },
			gridMessage("domaine « a », question « a-court », condition : la condition n’a aucun critère : il en faut exactement un parmi equals, in, answered, all, any")},
		{"condition with two criteria", func(g *grid) { q(g, "a-court").ShowIf.In = []string{"oui"} },
			gridMessage("domaine « a », question « a-court », condition : la condition a plusieurs critères (equals, in) : il en faut exactement un parmi equals, in, answered, all, any")},
		{"condition without question", func(g *grid) { q(g, "a-court").ShowIf.Question = "" },
			gridMessage("domaine « a », question « a-court », condition : il manque « question » : l’identifiant de la question dont dépend celle-ci")},
		{"condition with question and all", func(g *grid) {
			q(g, "a-court").ShowIf = &domain.Condition{Question: "a-yn", All: []domain.Condition{{Question: "a-yn", Equals: "non"}}}
		}, gridMessage("domaine « a », question « a-court », condition : « question » ne va pas avec « all » ou « any » : indiquez-la dans chaque condition de la liste")},
		{"equals not an option", func(g *grid) { q(g, "s-yn").ShowIf.Equals = "z" },
			gridMessage("domaine « s », question « s-yn », condition : la valeur « z » n’est pas une réponse possible de la question « a-choix » (valeurs possibles : « x », « y »)")},
		{"in with a value not an option", func(g *grid) {
			q(g, "a-long").ShowIf = &domain.Condition{Question: "a-multi", In: []string{"m1", "m4"}}
		}, gridMessage("domaine « a », question « a-long », condition : la valeur « m4 » n’est pas une réponse possible de la question « a-multi » (valeurs possibles : « m1 », « m2 », « m3 »)")},
		{"equals on yes/no not oui or non", func(g *grid) { q(g, "a-court").ShowIf.Equals = "Non" },
			gridMessage("domaine « a », question « a-court », condition : la valeur « Non » n’est pas une réponse possible de la question « a-yn » (valeurs possibles : « oui », « non »)")},
		{"equals on a yes/no question without options", func(g *grid) {
			q(g, "a-yn").Options = nil
			q(g, "a-court").ShowIf.Equals = "peut-être"
		}, gridMessage("domaine « a », question « a-court », condition : la valeur « peut-être » n’est pas une réponse possible de la question « a-yn » (valeurs possibles : « oui », « non »)")},
		{"equals on a text question", func(g *grid) { q(g, "a-num").ShowIf = &domain.Condition{Question: "a-long", Equals: "bonjour"} },
			gridMessage("domaine « a », question « a-num », condition : la question « a-long » est de type « texte-long » : la condition ne peut utiliser que « answered »")},
		{"in on a number question", func(g *grid) { q(g, "a-long").ShowIf = &domain.Condition{Question: "a-num", In: []string{"1", "2"}} },
			gridMessage("domaine « a », question « a-long », condition : la question « a-num » est de type « nombre » : la condition ne peut utiliser que « answered »")},
		{"equals on a scale question", func(g *grid) { q(g, "a-long").ShowIf = &domain.Condition{Question: "a-auto", Equals: "1"} },
			gridMessage("domaine « a », question « a-long », condition : la question « a-auto » est de type « echelle » : la condition ne peut utiliser que « answered »")},
		{"nested condition on an unknown question", func(g *grid) {
			q(g, "a-court").ShowIf = &domain.Condition{Any: []domain.Condition{
				{Question: "a-yn", Equals: "non"},
				{All: []domain.Condition{{Question: "a-num", Answered: ptr(true)}, {Question: "zz", Answered: ptr(true)}}},
			}}
		}, gridMessage("domaine « a », question « a-court », condition, « any » n° 2, « all » n° 2 : la condition renvoie à une question inconnue « zz »")},
		{"conditions nested too deep", func(g *grid) {
			c := domain.Condition{Question: "a-yn", Equals: "non"}
			for range maxCondDepth {
				c = domain.Condition{All: []domain.Condition{c}}
			}
			q(g, "a-court").ShowIf = &c
		}, gridMessage("domaine « a », question « a-court », condition" + strings.Repeat(", « all » n° 1", maxCondDepth) + " : conditions imbriquées trop profondément : 8 niveaux au plus")},
		{"loop of two questions", func(g *grid) { q(g, "a-yn").ShowIf = &domain.Condition{Question: "a-court", Answered: ptr(false)} },
			gridMessage("domaine « a », question « a-yn » : les conditions forment une boucle : a-yn → a-court → a-yn")},
		{"loop of three questions", func(g *grid) {
			q(g, "a-choix").ShowIf = &domain.Condition{Question: "a-long", Answered: ptr(true)}
			q(g, "a-long").ShowIf = &domain.Condition{All: []domain.Condition{{Question: "a-num", Answered: ptr(true)}, {Question: "a-multi", Equals: "m1"}}}
			q(g, "a-multi").ShowIf = &domain.Condition{Question: "a-choix", In: []string{"x"}}
		}, gridMessage("domaine « a », question « a-choix » : les conditions forment une boucle : a-choix → a-long → a-multi → a-choix")},
		{"condition leaks a sensitive answer", func(g *grid) { q(g, "a-long").ShowIf = &domain.Condition{Question: "s-auto", Answered: ptr(true)} },
			gridMessage("domaine « a », question « a-long », condition : la condition renvoie à la question « s-auto » du domaine sensible « s » : une question d’un domaine non sensible ne peut pas dépendre de réponses sensibles (elle les dévoilerait)")},
		{"condition leaks a sensitive answer inside any", func(g *grid) {
			q(g, "a-court").ShowIf = &domain.Condition{Any: []domain.Condition{{Question: "a-yn", Equals: "non"}, {Question: "s-yn", Equals: "oui"}}}
		}, gridMessage("domaine « a », question « a-court », condition, « any » n° 2 : la condition renvoie à la question « s-yn » du domaine sensible « s » : une question d’un domaine non sensible ne peut pas dépendre de réponses sensibles (elle les dévoilerait)")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := testGrid()
			tc.break_(&g)
			wantInvalid(t, Validate(g), tc.want)
		})
	}
}

// TestValidate_Allowed checks what the rules must let through.
func TestValidate_Allowed(t *testing.T) {
	t.Parallel()
	q := func(g *domain.Grid, id string) *domain.Question { return question(t, g, id) }
	tests := []struct {
		name   string
		change func(g *domain.Grid)
	}{
		{"condition on a later question", func(g *domain.Grid) {
			q(g, "a-choix").ShowIf = &domain.Condition{Question: "a-long", Answered: ptr(true)}
		}},
		{"condition on a later domain that is not sensitive", func(g *domain.Grid) {
			g.Domains[1].Sensitive = false
			q(g, "a-long").ShowIf = &domain.Condition{Question: "s-yn", Equals: "oui"}
		}},
		{"sensitive domain depending on another domain", func(g *domain.Grid) {
			q(g, "s-auto").ShowIf = &domain.Condition{Question: "a-yn", Answered: ptr(true)}
		}},
		{"answered on text, number and scale questions", func(g *domain.Grid) {
			q(g, "a-long").ShowIf = &domain.Condition{All: []domain.Condition{
				{Question: "a-num", Answered: ptr(true)}, {Question: "a-auto", Answered: ptr(false)}, {Question: "a-court", Answered: ptr(true)},
			}}
		}},
		{"yes/no without options", func(g *domain.Grid) { q(g, "a-yn").Options = nil }},
		{"yes/no options in the other order", func(g *domain.Grid) {
			o := q(g, "a-yn").Options
			o[0], o[1] = o[1], o[0]
		}},
		{"number without bounds", func(g *domain.Grid) { q(g, "a-num").Min, q(g, "a-num").Max = nil, nil }},
		{"min equal to max", func(g *domain.Grid) { q(g, "a-num").Min = ptr(10.0) }},
		{"scale without settings", func(g *domain.Grid) { q(g, "a-auto").Scale = nil }},
		{"domain without thématiques", func(g *domain.Grid) { g.Domains[0].Thematiques, g.Domains[0].Categories = nil, nil }},
		{"two conditions on one question (no loop)", func(g *domain.Grid) {
			q(g, "a-long").ShowIf = &domain.Condition{Question: "a-court", Answered: ptr(true)}
			q(g, "a-num").ShowIf = &domain.Condition{Question: "a-court", Answered: ptr(true)}
		}},
		{"texts at their maximum length", func(g *domain.Grid) {
			q(g, "a-num").Label = strings.Repeat("é", MaxLabel)
			q(g, "a-num").Help = strings.Repeat("é", MaxHelp)
			g.ID = strings.Repeat("g", MaxID)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := testGrid()
			tc.change(&g)
			if err := Validate(g); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestValidate_SeveralProblems checks that every problem is listed, in grid order, in one
// message.
func TestValidate_SeveralProblems(t *testing.T) {
	t.Parallel()
	g := testGrid()
	g.Version = 0
	g.Domains[0].Questions[1].Type = "curseur"
	g.Domains[0].Questions[2].Options[0].Categories = []string{"jardin"}
	g.Domains[1].Questions[0].Required = true
	g.Domains[1].Questions[1].ShowIf.Question = "inconnue"
	wantInvalid(t, Validate(g), gridMessage(
		"grille : la version (« version ») doit être un nombre entier à partir de 1 (trouvé : 0)",
		"domaine « a », question « a-choix » : type inconnu « curseur » (types possibles : "+typesList+")",
		"domaine « a », question « a-multi », option « m1 » : catégorie inconnue « jardin » (catégories possibles : "+categoriesList+")",
		"domaine « s », question « s-auto » : une question d’un domaine sensible ne peut pas être obligatoire (« required ») : la personne doit pouvoir ne pas répondre",
		"domaine « s », question « s-yn », condition : la condition renvoie à une question inconnue « inconnue »",
	))
}

// TestValidate_LoopReportedOnce checks that a loop reached from several questions is named once.
func TestValidate_LoopReportedOnce(t *testing.T) {
	t.Parallel()
	g := testGrid()
	question(t, &g, "a-yn").ShowIf = &domain.Condition{Question: "a-long", Answered: ptr(true)}
	question(t, &g, "a-long").ShowIf = &domain.Condition{Question: "a-court", Answered: ptr(true)}
	question(t, &g, "a-num").ShowIf = &domain.Condition{Question: "a-long", Answered: ptr(true)} // leads into the loop
	wantInvalid(t, Validate(g), gridMessage(
		"domaine « a », question « a-yn » : les conditions forment une boucle : a-yn → a-long → a-court → a-yn"))
}
