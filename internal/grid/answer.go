package grid

import (
	"fmt"
	"math"
	"slices"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
)

// CheckAnswer checks one answer against its question before it is saved: the value's shape
// fits the question type, choices are option values, a number is within the question's bounds,
// a self-assessment is a whole number from 1 to 5, a text has at most MaxAnswerText characters.
// The worker's rating (1 to 5) is allowed only beside the person's answer to a scale question
// whose scale allows it. A zero value with no rating (a cleared answer) is always valid.
//
// Errors: EINVALID with a French message naming the question by its label, also when the
// question is not in the grid.
func CheckAnswer(g domain.Grid, questionID string, v domain.AnswerValue, workerRating *int) error {
	q := findQuestion(g, questionID)
	if q == nil {
		return domain.Errorf(domain.EINVALID, "La question %s n’existe pas dans la grille %s (version %d).", quote(questionID), quote(g.ID), g.Version)
	}
	if msg := answerProblem(q, v, workerRating); msg != "" {
		return domain.Errorf(domain.EINVALID, "Réponse refusée à la question %s : %s.", quote(q.Label), msg)
	}
	return nil
}

func findQuestion(g domain.Grid, id string) *domain.Question {
	for i := range g.Domains {
		for j := range g.Domains[i].Questions {
			if q := &g.Domains[i].Questions[j]; q.ID == id {
				return q
			}
		}
	}
	return nil
}

// answerProblem says what is wrong with an answer, "" when nothing is.
func answerProblem(q *domain.Question, v domain.AnswerValue, workerRating *int) string {
	if workerRating != nil {
		switch {
		case q.Type != domain.QScale || q.Scale == nil || !q.Scale.WorkerRating:
			return "cette question ne prévoit pas de note du travailleur social"
		case *workerRating < domain.ScaleMin || *workerRating > domain.ScaleMax:
			return fmt.Sprintf("la note du travailleur social doit être un nombre entier de %d à %d (reçu : %d)", domain.ScaleMin, domain.ScaleMax, *workerRating)
		case v.Number == nil:
			// The rating stands beside the person's own: without it, it would speak for them.
			return "la note du travailleur social accompagne celle de la personne : indiquez d’abord la sienne"
		}
	}
	if v.IsZero() {
		return "" // a cleared answer
	}
	switch q.Type {
	case domain.QSingle, domain.QYesNo:
		if len(v.Choices) > 0 || v.Number != nil {
			return "cette question attend une seule réponse, pas une liste ni un nombre"
		}
		allowed := answerValues(q)
		if !slices.Contains(allowed, v.Text) {
			return fmt.Sprintf("%s n’est pas une réponse possible (réponses possibles : %s)", quote(v.Text), quoteList(allowed))
		}
	case domain.QMultiple:
		if v.Text != "" || v.Number != nil {
			return "cette question attend une liste de choix"
		}
		allowed := answerValues(q)
		for k, c := range v.Choices {
			if !slices.Contains(allowed, c) {
				return fmt.Sprintf("%s n’est pas une réponse possible (réponses possibles : %s)", quote(c), quoteList(allowed))
			}
			if slices.Contains(v.Choices[:k], c) {
				return fmt.Sprintf("%s est choisi deux fois", quote(c))
			}
		}
	case domain.QNumber:
		if v.Text != "" || len(v.Choices) > 0 || v.Number == nil {
			return "cette question attend un nombre"
		}
		n := *v.Number
		switch {
		case math.IsNaN(n) || math.IsInf(n, 0):
			return "ce n’est pas un nombre valide"
		case q.Min != nil && n < *q.Min:
			return fmt.Sprintf("le nombre doit être au moins %s (reçu : %s)", frNumber(*q.Min), frNumber(n))
		case q.Max != nil && n > *q.Max:
			return fmt.Sprintf("le nombre doit être au plus %s (reçu : %s)", frNumber(*q.Max), frNumber(n))
		}
	case domain.QScale:
		if v.Text != "" || len(v.Choices) > 0 || v.Number == nil {
			return "cette question attend une note"
		}
		if n := *v.Number; n != math.Trunc(n) || n < domain.ScaleMin || n > domain.ScaleMax {
			return fmt.Sprintf("la note doit être un nombre entier de %d à %d (reçu : %s)", domain.ScaleMin, domain.ScaleMax, frNumber(n))
		}
	case domain.QShortText, domain.QLongText:
		if len(v.Choices) > 0 || v.Number != nil {
			return "cette question attend un texte"
		}
		if !utf8.ValidString(v.Text) {
			return "le texte contient des caractères illisibles (encodage)"
		}
		if n := utf8.RuneCountInString(v.Text); n > MaxAnswerText {
			return fmt.Sprintf("le texte est trop long : %s caractères, %s au plus", frThousands(n), frThousands(MaxAnswerText))
		}
	default:
		return fmt.Sprintf("la question est d’un type inconnu %s", quote(q.Type))
	}
	return ""
}
