package grid

import (
	"math"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

func TestCheckAnswer(t *testing.T) {
	t.Parallel()
	text := func(s string) domain.AnswerValue { return domain.AnswerValue{Text: s} }
	choices := func(c ...string) domain.AnswerValue { return domain.AnswerValue{Choices: c} }
	num := func(f float64) domain.AnswerValue { return domain.AnswerValue{Number: &f} }
	refused := func(label, msg string) string {
		return "Réponse refusée à la question « " + label + " » : " + msg + "."
	}
	tests := []struct {
		name   string
		q      string
		v      domain.AnswerValue
		rating *int
		want   string // "" when valid
	}{
		// choix-unique
		{"single: an option", "a-choix", text("x"), nil, ""},
		{"single: not an option", "a-choix", text("z"), nil,
			refused("Choix ?", "« z » n’est pas une réponse possible (réponses possibles : « x », « y »)")},
		{"single: a list", "a-choix", choices("x"), nil,
			refused("Choix ?", "cette question attend une seule réponse, pas une liste ni un nombre")},
		{"single: cleared", "a-choix", domain.AnswerValue{}, nil, ""},
		// choix-multiples
		{"multiple: options", "a-multi", choices("m3", "m1"), nil, ""},
		{"multiple: one not an option", "a-multi", choices("m1", "m4"), nil,
			refused("Plusieurs ?", "« m4 » n’est pas une réponse possible (réponses possibles : « m1 », « m2 », « m3 »)")},
		{"multiple: twice the same", "a-multi", choices("m1", "m2", "m1"), nil,
			refused("Plusieurs ?", "« m1 » est choisi deux fois")},
		{"multiple: a text", "a-multi", text("m1"), nil,
			refused("Plusieurs ?", "cette question attend une liste de choix")},
		// oui-non
		{"yes/no: non", "a-yn", text("non"), nil, ""},
		{"yes/no without options: oui", "s-yn", text("oui"), nil, ""},
		{"yes/no: capitalised", "a-yn", text("Oui"), nil,
			refused("Oui ou non ?", "« Oui » n’est pas une réponse possible (réponses possibles : « oui », « non »)")},
		{"yes/no: a number", "s-yn", num(1), nil,
			refused("Un médecin ?", "cette question attend une seule réponse, pas une liste ni un nombre")},
		// nombre
		{"number: lower bound", "a-num", num(0), nil, ""},
		{"number: upper bound", "a-num", num(10), nil, ""},
		{"number: decimals", "a-num", num(2.5), nil, ""},
		{"number: below", "a-num", num(-1), nil, refused("Combien ?", "le nombre doit être au moins 0 (reçu : -1)")},
		{"number: above", "a-num", num(10.5), nil, refused("Combien ?", "le nombre doit être au plus 10 (reçu : 10,5)")},
		{"number: not a number", "a-num", num(math.NaN()), nil, refused("Combien ?", "ce n’est pas un nombre valide")},
		{"number: infinite", "a-num", num(math.Inf(1)), nil, refused("Combien ?", "ce n’est pas un nombre valide")},
		{"number: a text", "a-num", text("3"), nil, refused("Combien ?", "cette question attend un nombre")},
		// echelle
		{"scale: 1", "a-auto", num(1), nil, ""},
		{"scale: 5 with the worker's rating", "a-auto", num(5), ptr(3), ""},
		{"scale: 0", "a-auto", num(0), nil, refused("Où en êtes-vous ?", "la note doit être un nombre entier de 1 à 5 (reçu : 0)")},
		{"scale: 6", "a-auto", num(6), nil, refused("Où en êtes-vous ?", "la note doit être un nombre entier de 1 à 5 (reçu : 6)")},
		{"scale: 2.5", "a-auto", num(2.5), nil, refused("Où en êtes-vous ?", "la note doit être un nombre entier de 1 à 5 (reçu : 2,5)")},
		{"scale: a text", "a-auto", text("3"), nil, refused("Où en êtes-vous ?", "cette question attend une note")},
		{"scale: worker's rating 0", "a-auto", num(3), ptr(0), refused("Où en êtes-vous ?", "la note du travailleur social doit être un nombre entier de 1 à 5 (reçu : 0)")},
		{"scale: worker's rating 6", "a-auto", num(3), ptr(6), refused("Où en êtes-vous ?", "la note du travailleur social doit être un nombre entier de 1 à 5 (reçu : 6)")},
		{"scale: worker's rating alone", "a-auto", domain.AnswerValue{}, ptr(3),
			refused("Où en êtes-vous ?", "la note du travailleur social accompagne celle de la personne : indiquez d’abord la sienne")},
		{"scale without worker rating: rating", "s-auto", num(2), ptr(2),
			refused("Votre santé ?", "cette question ne prévoit pas de note du travailleur social")},
		{"choice question: rating", "a-choix", text("x"), ptr(2),
			refused("Choix ?", "cette question ne prévoit pas de note du travailleur social")},
		{"scale: cleared", "a-auto", domain.AnswerValue{}, nil, ""},
		// texte-court, texte-long
		{"short text", "a-court", text("Aller au jardin"), nil, ""},
		{"long text at the limit", "a-long", text(strings.Repeat("é", MaxAnswerText)), nil, ""},
		{"long text too long", "a-long", text(strings.Repeat("é", MaxAnswerText+1)), nil,
			refused("Avec vos mots ?", "le texte est trop long : 5\u00a0001 caractères, 5\u00a0000 au plus")},
		{"short text too long", "a-court", text(strings.Repeat("a", 6000)), nil,
			refused("En quelques mots ?", "le texte est trop long : 6\u00a0000 caractères, 5\u00a0000 au plus")},
		{"text badly encoded", "a-court", text("caf\xe9"), nil,
			refused("En quelques mots ?", "le texte contient des caractères illisibles (encodage)")},
		{"text: a list", "a-long", choices("a"), nil, refused("Avec vos mots ?", "cette question attend un texte")},
		// the grid
		{"unknown question", "zz", text("oui"), nil, "La question « zz » n’existe pas dans la grille « t » (version 1)."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := CheckAnswer(testGrid(), tc.q, tc.v, tc.rating)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantInvalid(t, err, tc.want)
		})
	}
}

// TestCheckAnswer_UnknownType checks that a question of a type this version does not know (an
// unchecked grid) takes no answer rather than any.
func TestCheckAnswer_UnknownType(t *testing.T) {
	t.Parallel()
	g := testGrid()
	question(t, &g, "a-long").Type = "curseur"
	wantInvalid(t, CheckAnswer(g, "a-long", domain.AnswerValue{Text: "3"}, nil),
		"Réponse refusée à la question « Avec vos mots ? » : la question est d’un type inconnu « curseur ».")
}
