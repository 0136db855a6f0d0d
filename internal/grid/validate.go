package grid

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/vocab"
)

// Limits of a grid's texts. They are for sanity, not style: a label is read aloud in front of a
// person, so even 500 characters is far more than a good one needs.
const (
	MaxID          = 100  // identifiers of the grid, domains and questions
	MaxLabel       = 500  // titles, labels, option values, scale labels, units
	MaxHelp        = 2000 // help texts and descriptions
	MaxAnswerText  = 5000 // a text answer, in the person's words
	maxCondDepth   = 8    // nesting of all/any: deeper is surely a mistake, and bounds recursion
	minChoiceCount = 2
)

// questionTypes are the question types a grid may use, in the order the documentation gives them.
var questionTypes = []string{
	domain.QSingle, domain.QMultiple, domain.QYesNo, domain.QNumber,
	domain.QShortText, domain.QLongText, domain.QScale,
}

// Validate checks a grid built in memory with the same rules as Parse. It returns nil when the
// grid is valid, else an EINVALID *domain.Error whose French message lists every problem, each
// located (« domaine « sante », question « sante-soins » : … »).
func Validate(g domain.Grid) error {
	var p problems
	validate(g, &p)
	return p.err(g.ID)
}

// qref locates a question of the grid being checked.
type qref struct {
	q      *domain.Question
	domain int    // index in g.Domains
	order  int    // position in the whole grid
	loc    string // for messages
}

// validate applies every rule to g and records what is wrong in p.
func validate(g domain.Grid, p *problems) {
	checkID(p, gridLoc, g.ID, "grille-edas")
	if g.Version < 1 {
		p.fieldf(gridLoc, "version", "la version (« version ») doit être un nombre entier à partir de 1 (trouvé : %d)", g.Version)
	}
	checkText(p, gridLoc, "title", g.Title, MaxLabel, "le titre (« title ») est obligatoire")
	checkText(p, gridLoc, "description", g.Description, MaxHelp, "")
	if len(g.Domains) == 0 {
		p.field(gridLoc, "domains", "la grille n’a aucun domaine (« domains ») : il en faut au moins un")
	}

	domainIDs := map[string]int{}
	index := map[string]qref{} // question id → its first occurrence
	var order []string         // question ids in grid order, first occurrences only
	for i := range g.Domains {
		d := &g.Domains[i]
		dloc := domainLoc(i, d.ID)
		checkID(p, dloc, d.ID, "liens")
		if prev, dup := domainIDs[d.ID]; dup && d.ID != "" {
			p.fieldf(dloc, "id", "identifiant en double : c’est déjà celui du domaine n° %d", prev+1)
		} else if d.ID != "" {
			domainIDs[d.ID] = i
		}
		checkText(p, dloc, "title", d.Title, MaxLabel, "le titre (« title ») est obligatoire")
		checkText(p, dloc, "description", d.Description, MaxHelp, "")
		checkThematiques(p, dloc, d.Thematiques)
		checkCategories(p, dloc, d.Categories)
		if len(d.Questions) == 0 {
			p.field(dloc, "questions", "le domaine n’a aucune question (« questions ») : il en faut au moins une")
		}
		for j := range d.Questions {
			q := &d.Questions[j]
			qloc := questionLoc(dloc, j, q.ID)
			checkID(p, qloc, q.ID, "liens-soutien")
			if prev, dup := index[q.ID]; dup && q.ID != "" {
				p.fieldf(qloc, "id", "identifiant en double : c’est déjà celui d’une question du %s", domainLoc(prev.domain, g.Domains[prev.domain].ID))
			} else if q.ID != "" {
				index[q.ID] = qref{q: q, domain: i, order: len(order), loc: qloc}
				order = append(order, q.ID)
			}
			checkQuestion(p, qloc, q, d.Sensitive)
		}
	}

	// Conditions last: they refer to questions anywhere in the grid.
	for i := range g.Domains {
		d := &g.Domains[i]
		for j := range d.Questions {
			q := &d.Questions[j]
			if q.ShowIf == nil {
				continue
			}
			qloc := questionLoc(domainLoc(i, d.ID), j, q.ID)
			c := condChecker{p: p, g: &g, index: index, owner: q.ID, ownerDomain: i}
			c.check(q.ShowIf, conditionLoc(qloc), 1)
		}
	}
	checkCycles(p, g, index, order)
}

// checkID checks an identifier: required, a slug, not too long.
func checkID(p *problems, loc, id, example string) {
	switch {
	case id == "":
		p.field(loc, "id", "l’identifiant (« id ») est obligatoire")
	case !isSlug(id):
		p.fieldf(loc, "id", "identifiant %s invalide : lettres minuscules sans accent, chiffres et tirets seulement (ex. « %s »)", quote(id), example)
	case len(id) > MaxID:
		p.fieldf(loc, "id", "identifiant trop long : %d caractères, %d au plus", len(id), MaxID)
	}
}

// isSlug reports whether s is made of [a-z0-9-] only.
func isSlug(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// checkText checks a text field: required when missing is non-empty, and at most max characters.
func checkText(p *problems, loc, field, s string, max int, missing string) {
	if strings.TrimSpace(s) == "" {
		if missing != "" {
			p.field(loc, field, missing)
		}
		return
	}
	if n := utf8.RuneCountInString(s); n > max {
		p.fieldf(loc, field, "« %s » est trop long : %s caractères, %s au plus", field, frThousands(n), frThousands(max))
	}
}

// checkQuestion applies the rules of one question that need no other question.
func checkQuestion(p *problems, qloc string, q *domain.Question, sensitive bool) {
	known := slices.Contains(questionTypes, q.Type)
	switch {
	case q.Type == "":
		p.fieldf(qloc, "type", "le type (« type ») est obligatoire (types possibles : %s)", strings.Join(questionTypes, ", "))
	case !known:
		p.fieldf(qloc, "type", "type inconnu %s (types possibles : %s)", quote(q.Type), strings.Join(questionTypes, ", "))
	}
	checkText(p, qloc, "label", q.Label, MaxLabel, "le libellé (« label ») est obligatoire : c’est la question posée")
	checkText(p, qloc, "help", q.Help, MaxHelp, "")
	if sensitive && q.Required {
		p.field(qloc, "required", "une question d’un domaine sensible ne peut pas être obligatoire (« required ») : la personne doit pouvoir ne pas répondre")
	}

	checkOptions(p, qloc, q, known)

	if q.Min != nil || q.Max != nil {
		switch {
		case known && q.Type != domain.QNumber:
			p.fieldf(qloc, "min", "« min » et « max » ne servent qu’aux questions « nombre », pas aux questions %s", quote(q.Type))
		case q.Min != nil && !finite(*q.Min):
			p.field(qloc, "min", "« min » n’est pas un nombre valide")
		case q.Max != nil && !finite(*q.Max):
			p.field(qloc, "max", "« max » n’est pas un nombre valide")
		case q.Min != nil && q.Max != nil && *q.Min > *q.Max:
			p.fieldf(qloc, "min", "« min » (%s) est plus grand que « max » (%s)", frNumber(*q.Min), frNumber(*q.Max))
		}
	}
	if q.Unit != "" {
		if known && q.Type != domain.QNumber {
			p.fieldf(qloc, "unit", "« unit » ne sert qu’aux questions « nombre », pas aux questions %s", quote(q.Type))
		} else {
			checkText(p, qloc, "unit", q.Unit, MaxLabel, "")
		}
	}
	if q.Scale != nil {
		if known && q.Type != domain.QScale {
			p.fieldf(qloc, "scale", "« scale » ne sert qu’aux questions « echelle », pas aux questions %s", quote(q.Type))
		} else {
			sloc := scaleLoc(qloc)
			checkText(p, sloc, "min_label", q.Scale.MinLabel, MaxLabel, "")
			checkText(p, sloc, "max_label", q.Scale.MaxLabel, MaxLabel, "")
		}
	}
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// checkOptions checks the options of a question against its type, then each option.
func checkOptions(p *problems, qloc string, q *domain.Question, known bool) {
	n := len(q.Options)
	switch q.Type {
	case domain.QSingle, domain.QMultiple:
		if n < minChoiceCount {
			found := "aucune"
			if n == 1 {
				found = "une seule"
			}
			p.fieldf(qloc, "options", "une question %s demande au moins deux options (« options ») : %s trouvée", quote(q.Type), found)
		}
	case domain.QYesNo:
		if n > 0 && !isYesNo(q.Options) {
			vals := make([]string, n)
			for k, o := range q.Options {
				vals[k] = o.Value
			}
			p.fieldf(qloc, "options", "les options d’une question « oui-non » doivent être exactement « oui » et « non » (trouvé : %s)", quoteList(vals))
		}
	default:
		if n > 0 {
			if known {
				p.fieldf(qloc, "options", "une question %s n’a pas d’options : « options » ne sert qu’aux questions à choix et oui-non", quote(q.Type))
			}
			return // the options themselves would only add noise
		}
	}
	seen := map[string]bool{}
	for k := range q.Options {
		o := &q.Options[k]
		oloc := optionLoc(qloc, k, o.Value)
		switch {
		case o.Value == "":
			p.field(oloc, "value", "la valeur (« value ») est obligatoire : c’est ce qui est enregistré")
		case seen[o.Value]:
			p.field(oloc, "value", "valeur en double dans la question")
		case utf8.RuneCountInString(o.Value) > MaxLabel:
			p.fieldf(oloc, "value", "« value » est trop longue : %s caractères, %s au plus", frThousands(utf8.RuneCountInString(o.Value)), frThousands(MaxLabel))
		}
		seen[o.Value] = true
		checkText(p, oloc, "label", o.Label, MaxLabel, "le libellé (« label ») est obligatoire : c’est ce que lit la personne")
		checkThematiques(p, oloc, o.Thematiques)
		checkCategories(p, oloc, o.Categories)
		checkPublics(p, oloc, o.Publics)
	}
}

// isYesNo reports whether options are exactly "oui" and "non", in any order.
func isYesNo(opts []domain.Option) bool {
	return len(opts) == 2 &&
		(opts[0].Value == domain.Yes && opts[1].Value == domain.No || opts[0].Value == domain.No && opts[1].Value == domain.Yes)
}

// checkThematiques checks data·inclusion sub-theme codes, with a hint for the usual mistakes: a
// category code (too vague to match services well) or a local category in the wrong list.
func checkThematiques(p *problems, loc string, vals []string) {
	if p.isBad(loc, "thematiques") {
		return
	}
	for _, t := range vals {
		switch {
		case vocab.Thematiques.Has(t):
		case vocab.ThemeCategories.Has(t):
			p.addf(loc, "%s est une catégorie de thématiques, pas une thématique : choisissez une ou plusieurs de ses sous-thématiques (%s)",
				quote(t), strings.Join(subThemes(t), ", "))
		case isCategory(t):
			p.addf(loc, "%s est une catégorie locale, pas une thématique : mettez-la dans « categories »", quote(t))
		default:
			p.addf(loc, "thématique inconnue %s : les thématiques sont les codes data·inclusion (ex. « remobilisation--lien-social »)", quote(t))
		}
	}
}

// checkCategories checks local category codes of the guide.
func checkCategories(p *problems, loc string, vals []string) {
	if p.isBad(loc, "categories") {
		return
	}
	for _, c := range vals {
		switch {
		case isCategory(c):
		case vocab.Thematiques.Has(c) || vocab.ThemeCategories.Has(c):
			p.addf(loc, "%s est une thématique data·inclusion, pas une catégorie locale : mettez-la dans « thematiques »", quote(c))
		default:
			p.addf(loc, "catégorie inconnue %s (catégories possibles : %s)", quote(c), strings.Join(categoryCodes(), ", "))
		}
	}
}

// checkPublics checks data·inclusion publics.
func checkPublics(p *problems, loc string, vals []string) {
	if p.isBad(loc, "publics") {
		return
	}
	for _, v := range vals {
		if !vocab.Publics.Has(v) {
			p.addf(loc, "public inconnu %s (publics possibles : %s)", quote(v), strings.Join(publicCodes(), ", "))
		}
	}
}

func isCategory(code string) bool {
	_, ok := vocab.CategoryByCode(code)
	return ok
}

func subThemes(category string) []string {
	var out []string
	for _, t := range vocab.Thematiques.Terms {
		if vocab.ThemeCategory(t.Value) == category {
			out = append(out, t.Value)
		}
	}
	return out
}

func categoryCodes() []string {
	out := make([]string, len(vocab.Categories))
	for i, c := range vocab.Categories {
		out[i] = c.Code
	}
	return out
}

func publicCodes() []string {
	out := make([]string, len(vocab.Publics.Terms))
	for i, t := range vocab.Publics.Terms {
		out[i] = t.Value
	}
	return out
}

// condChecker checks the condition of one question (its owner).
type condChecker struct {
	p           *problems
	g           *domain.Grid
	index       map[string]qref
	owner       string
	ownerDomain int
}

// criteria returns the names of the criteria set in c, in the documentation's order.
func criteria(c *domain.Condition) []string {
	var set []string
	if c.Equals != "" {
		set = append(set, "equals")
	}
	if len(c.In) > 0 {
		set = append(set, "in")
	}
	if c.Answered != nil {
		set = append(set, "answered")
	}
	if len(c.All) > 0 {
		set = append(set, "all")
	}
	if len(c.Any) > 0 {
		set = append(set, "any")
	}
	return set
}

const criteriaList = "equals, in, answered, all, any"

func (cc *condChecker) check(c *domain.Condition, loc string, depth int) {
	p := cc.p
	if depth > maxCondDepth {
		p.addf(loc, "conditions imbriquées trop profondément : %d niveaux au plus", maxCondDepth)
		return
	}
	set := criteria(c)
	switch {
	case len(set) == 0:
		p.field(loc, "criteria", "la condition n’a aucun critère : il en faut exactement un parmi "+criteriaList)
	case len(set) > 1:
		p.fieldf(loc, "criteria", "la condition a plusieurs critères (%s) : il en faut exactement un parmi %s", strings.Join(set, ", "), criteriaList)
	}
	if len(c.All) > 0 || len(c.Any) > 0 {
		if c.Question != "" {
			p.field(loc, "question", "« question » ne va pas avec « all » ou « any » : indiquez-la dans chaque condition de la liste")
		}
		for k := range c.All {
			cc.check(&c.All[k], subConditionLoc(loc, "all", k), depth+1)
		}
		for k := range c.Any {
			cc.check(&c.Any[k], subConditionLoc(loc, "any", k), depth+1)
		}
		return
	}
	if c.Question == "" {
		if len(set) > 0 {
			p.field(loc, "question", "il manque « question » : l’identifiant de la question dont dépend celle-ci")
		}
		return
	}
	if p.isBad(loc, "question") {
		return
	}
	ref, ok := cc.index[c.Question]
	switch {
	case !ok:
		p.addf(loc, "la condition renvoie à une question inconnue %s", quote(c.Question))
		return
	case c.Question == cc.owner:
		p.add(loc, "la condition renvoie à la question elle-même")
		return
	}
	if rd := &cc.g.Domains[ref.domain]; rd.Sensitive && !cc.g.Domains[cc.ownerDomain].Sensitive {
		p.addf(loc, "la condition renvoie à la question %s du domaine sensible %s : une question d’un domaine non sensible ne peut pas dépendre de réponses sensibles (elle les dévoilerait)",
			quote(c.Question), quote(rd.ID))
	}
	if c.Equals == "" && len(c.In) == 0 {
		return
	}
	allowed := answerValues(ref.q)
	switch {
	case allowed == nil:
		if slices.Contains(questionTypes, ref.q.Type) {
			p.addf(loc, "la question %s est de type %s : la condition ne peut utiliser que « answered »", quote(c.Question), quote(ref.q.Type))
		}
		return
	case len(allowed) == 0 || p.isBad(ref.loc, "options"):
		return // the referred question's options are wrong, and said so there
	}
	vals := c.In
	if c.Equals != "" {
		vals = append([]string{c.Equals}, c.In...)
	}
	for _, v := range vals {
		if !slices.Contains(allowed, v) {
			p.addf(loc, "la valeur %s n’est pas une réponse possible de la question %s (valeurs possibles : %s)", quote(v), quote(c.Question), quoteList(allowed))
		}
	}
}

// answerValues returns the values a choice or yes/no question can take, nil for other types.
func answerValues(q *domain.Question) []string {
	switch q.Type {
	case domain.QYesNo:
		return []string{domain.Yes, domain.No}
	case domain.QSingle, domain.QMultiple:
		vals := make([]string, 0, len(q.Options))
		for _, o := range q.Options {
			vals = append(vals, o.Value)
		}
		return vals
	}
	return nil
}

// refs appends the questions a condition refers to, each once.
func refs(c *domain.Condition, out []string) []string {
	if c.Question != "" && !slices.Contains(out, c.Question) {
		out = append(out, c.Question)
	}
	for k := range c.All {
		out = refs(&c.All[k], out)
	}
	for k := range c.Any {
		out = refs(&c.Any[k], out)
	}
	return out
}

// checkCycles finds the loops of conditions (a shown if b, b shown if a): such questions could
// never be shown. Each loop is named once, from its question that comes first in the grid.
func checkCycles(p *problems, g domain.Grid, index map[string]qref, order []string) {
	edges := map[string][]string{}
	for _, d := range g.Domains {
		for _, q := range d.Questions {
			if q.ShowIf == nil || q.ID == "" {
				continue
			}
			if _, first := edges[q.ID]; first {
				continue // a duplicate id: its first occurrence counts
			}
			var to []string
			for _, r := range refs(q.ShowIf, nil) {
				if _, ok := index[r]; ok && r != q.ID {
					to = append(to, r)
				}
			}
			edges[q.ID] = to
		}
	}

	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	reported := map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		color[id] = grey
		stack = append(stack, id)
		for _, next := range edges[id] {
			switch color[next] {
			case white:
				visit(next)
			case grey:
				start := slices.Index(stack, next)
				cycle := slices.Clone(stack[start:])
				// Start from the question that comes first in the grid, so that one loop
				// always reads the same way, however it was reached.
				first := 0
				for k, c := range cycle {
					if index[c].order < index[cycle[first]].order {
						first = k
					}
				}
				cycle = append(cycle[first:], cycle[:first]...)
				key := strings.Join(cycle, "\x00")
				if !reported[key] {
					reported[key] = true
					names := append(cycle, cycle[0])
					p.addf(index[cycle[0]].loc, "les conditions forment une boucle : %s", strings.Join(names, " → "))
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[id] = black
	}
	for _, id := range order {
		if color[id] == white {
			visit(id)
		}
	}
}
