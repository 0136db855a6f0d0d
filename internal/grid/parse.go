package grid

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
)

// Parse reads a grid file (JSON in UTF-8; a byte-order mark, as Windows Notepad writes, is
// allowed) and validates it. It returns the grid, or the zero grid and an EINVALID
// *domain.Error whose French message lists every problem, each located: JSON syntax (with line
// and column), unknown or repeated fields (a typo in a hand-written file must not pass
// silently), values of the wrong type, and every rule of Validate.
//
// Field names are matched exactly, unlike encoding/json which would take « Label » for
// « label »: the file means what it says. A null value counts as an absent field, and an empty
// list as no list, so that a parsed grid marshals back to an equal grid.
func Parse(b []byte) (domain.Grid, error) {
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	root, msg := readJSON(b)
	if msg != "" {
		return domain.Grid{}, domain.Errorf(domain.EINVALID, "Grille illisible : %s.", msg)
	}
	var p problems
	r := reader{p: &p}
	g := r.grid(root)
	validate(g, &p)
	if err := p.err(g.ID); err != nil {
		return domain.Grid{}, err
	}
	return g, nil
}

// jvalue is a JSON value as written: object members keep their order and their repetitions,
// which encoding/json would silently merge.
type jvalue struct {
	kind jkind
	b    bool
	s    string // a string, or a number's literal
	arr  []*jvalue
	obj  []jmember
}

type jmember struct {
	key string
	val *jvalue
}

type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

// maxJSONDepth bounds nesting: a grid needs about twenty levels; far more is a broken file.
const maxJSONDepth = 64

var errTooDeep = errors.New("too deep")

// readJSON reads one JSON value and nothing after it. On failure it returns a French message.
func readJSON(b []byte) (*jvalue, string) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, "le fichier est vide"
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := readValue(dec, 1)
	if err == nil {
		end := dec.InputOffset()
		if rest := bytes.TrimLeft(b[end:], " \t\r\n"); len(rest) > 0 {
			line, col := lineCol(b, int64(len(b)-len(rest)))
			return nil, fmt.Sprintf("du texte suit la fin de la grille (ligne %d, colonne %d) : un fichier contient une seule grille", line, col)
		}
		return v, ""
	}
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		line, col := lineCol(b, syn.Offset)
		return nil, fmt.Sprintf("le fichier n’est pas du JSON valide (ligne %d, colonne %d) : vérifiez les virgules, les guillemets, les accolades et les crochets juste avant cet endroit", line, col)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return nil, "le fichier s’arrête avant la fin de la grille : une accolade, un crochet ou un guillemet n’est pas fermé"
	case errors.Is(err, errTooDeep):
		return nil, fmt.Sprintf("le fichier est imbriqué trop profondément (%d niveaux au plus)", maxJSONDepth)
	default:
		return nil, "le fichier n’est pas du JSON valide"
	}
}

// lineCol turns a byte offset into a line and a column (in characters), both from 1.
func lineCol(b []byte, off int64) (int, int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	before := b[:off]
	line := 1 + bytes.Count(before, []byte("\n"))
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, 1 + utf8.RuneCount(before)
}

func readValue(dec *json.Decoder, depth int) (*jvalue, error) {
	if depth > maxJSONDepth {
		return nil, errTooDeep
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case nil:
		return &jvalue{kind: jNull}, nil
	case bool:
		return &jvalue{kind: jBool, b: t}, nil
	case json.Number:
		return &jvalue{kind: jNumber, s: t.String()}, nil
	case string:
		return &jvalue{kind: jString, s: t}, nil
	case json.Delim:
		v := &jvalue{kind: jArray}
		if t == '{' {
			v.kind = jObject
		}
		for dec.More() {
			if v.kind == jObject {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := kt.(string) // the decoder only gives a string here
				val, err := readValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				v.obj = append(v.obj, jmember{key, val})
			} else {
				val, err := readValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				v.arr = append(v.arr, val)
			}
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
		return v, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// kindName names a JSON kind for a French message.
func kindName(v *jvalue) string {
	switch v.kind {
	case jBool:
		return "un booléen (" + strconv.FormatBool(v.b) + ")"
	case jNumber:
		return "un nombre (" + v.s + ")"
	case jString:
		return "un texte (" + quote(v.s) + ")"
	case jArray:
		return "une liste"
	case jObject:
		return "un objet"
	}
	return "null"
}

// The fields of each kind of object, in the documentation's order.
var (
	gridFields      = []string{"id", "version", "title", "description", "domains"}
	domainFields    = []string{"id", "title", "description", "sensitive", "thematiques", "categories", "questions"}
	questionFields  = []string{"id", "type", "label", "help", "required", "options", "min", "max", "unit", "scale", "show_if"}
	optionFields    = []string{"value", "label", "thematiques", "categories", "publics", "give"}
	scaleFields     = []string{"min_label", "max_label", "worker_rating"}
	conditionFields = []string{"question", "equals", "in", "answered", "all", "any"}
)

// reader builds a grid from the JSON tree, recording in p what does not fit.
type reader struct{ p *problems }

// fields calls set for each known field of object v that is not null, and reports repeated and
// unknown fields.
func (r *reader) fields(v *jvalue, loc string, known []string, set func(key string, val *jvalue)) {
	seen := map[string]bool{}
	var meant []string
	for _, m := range v.obj {
		if !slices.Contains(known, m.key) {
			if s := suggest(m.key, known); s != "" {
				r.p.addf(loc, "champ inconnu %s (vouliez-vous dire « %s » ?)", quote(m.key), s)
				meant = append(meant, s)
			} else {
				r.p.addf(loc, "champ inconnu %s (champs possibles ici : %s)", quote(m.key), strings.Join(known, ", "))
			}
			continue
		}
		if seen[m.key] {
			r.p.addf(loc, "le champ « %s » est présent deux fois", m.key)
			continue
		}
		seen[m.key] = true
		if m.val.kind != jNull {
			set(m.key, m.val)
		}
	}
	// « lable » is reported with its hint; saying again that « label » is missing would be the
	// same mistake twice.
	for _, s := range meant {
		if !seen[s] {
			r.p.silence(loc, s)
		}
	}
}

// member returns the string value of a field of v, "" when absent or not a string: what a
// location is named after, before the object is read.
func member(v *jvalue, key string) string {
	for _, m := range v.obj {
		if m.key == key && m.val.kind == jString {
			return m.val.s
		}
	}
	return ""
}

func (r *reader) str(v *jvalue, loc, key string) string {
	if v.kind != jString {
		r.p.markBad(loc, key, fmt.Sprintf("« %s » doit être un texte entre guillemets, pas %s", key, kindName(v)))
		return ""
	}
	return v.s
}

func (r *reader) boolean(v *jvalue, loc, key string) bool {
	if v.kind != jBool {
		r.p.markBad(loc, key, fmt.Sprintf("« %s » doit valoir true ou false, pas %s", key, kindName(v)))
		return false
	}
	return v.b
}

func (r *reader) integer(v *jvalue, loc, key string) int {
	if v.kind == jNumber {
		if n, err := strconv.Atoi(v.s); err == nil {
			return n
		}
	}
	r.p.markBad(loc, key, fmt.Sprintf("« %s » doit être un nombre entier, pas %s", key, kindName(v)))
	return 0
}

func (r *reader) number(v *jvalue, loc, key string) *float64 {
	if v.kind != jNumber {
		r.p.markBad(loc, key, fmt.Sprintf("« %s » doit être un nombre, pas %s", key, kindName(v)))
		return nil
	}
	f, err := strconv.ParseFloat(v.s, 64)
	if err != nil {
		r.p.markBad(loc, key, fmt.Sprintf("« %s » est un nombre hors limites (%s)", key, v.s))
		return nil
	}
	return &f
}

// strings reads a list of texts; an empty list is nil.
func (r *reader) strings(v *jvalue, loc, key string) []string {
	if v.kind != jArray {
		r.p.markBad(loc, key, fmt.Sprintf("« %s » doit être une liste de textes ([\"…\", \"…\"]), pas %s", key, kindName(v)))
		return nil
	}
	var out []string
	for k, e := range v.arr {
		if e.kind != jString {
			r.p.markBad(loc, key, fmt.Sprintf("« %s » : l’élément n° %d doit être un texte entre guillemets, pas %s", key, k+1, kindName(e)))
			continue
		}
		out = append(out, e.s)
	}
	return out
}

// objects reads a list of objects, leaving out (and reporting) what is not an object.
func (r *reader) objects(v *jvalue, loc, key string) []*jvalue {
	if v.kind != jArray {
		r.p.markBad(loc, key, fmt.Sprintf("« %s » doit être une liste d’objets ([{…}, {…}]), pas %s", key, kindName(v)))
		return nil
	}
	var out []*jvalue
	for k, e := range v.arr {
		if e.kind != jObject {
			r.p.markBad(loc, key, fmt.Sprintf("« %s » : l’élément n° %d doit être un objet ({…}), pas %s", key, k+1, kindName(e)))
			continue
		}
		out = append(out, e)
	}
	return out
}

func (r *reader) grid(v *jvalue) domain.Grid {
	var g domain.Grid
	if v.kind != jObject {
		r.p.markBad(gridLoc, "domains", "le fichier doit contenir un objet JSON ({ \"id\": …, \"domains\": […] }), pas "+kindName(v))
		for _, f := range []string{"id", "version", "title"} {
			r.p.silence(gridLoc, f)
		}
		return g
	}
	r.fields(v, gridLoc, gridFields, func(key string, val *jvalue) {
		switch key {
		case "id":
			g.ID = r.str(val, gridLoc, key)
		case "version":
			g.Version = r.integer(val, gridLoc, key)
		case "title":
			g.Title = r.str(val, gridLoc, key)
		case "description":
			g.Description = r.str(val, gridLoc, key)
		case "domains":
			for _, dv := range r.objects(val, gridLoc, key) {
				g.Domains = append(g.Domains, r.domain(dv, len(g.Domains)))
			}
		}
	})
	return g
}

func (r *reader) domain(v *jvalue, i int) domain.GridDomain {
	var d domain.GridDomain
	loc := domainLoc(i, member(v, "id"))
	r.fields(v, loc, domainFields, func(key string, val *jvalue) {
		switch key {
		case "id":
			d.ID = r.str(val, loc, key)
		case "title":
			d.Title = r.str(val, loc, key)
		case "description":
			d.Description = r.str(val, loc, key)
		case "sensitive":
			d.Sensitive = r.boolean(val, loc, key)
		case "thematiques":
			d.Thematiques = r.strings(val, loc, key)
		case "categories":
			d.Categories = r.strings(val, loc, key)
		case "questions":
			for _, qv := range r.objects(val, loc, key) {
				d.Questions = append(d.Questions, r.question(qv, loc, len(d.Questions)))
			}
		}
	})
	return d
}

func (r *reader) question(v *jvalue, dloc string, j int) domain.Question {
	var q domain.Question
	loc := questionLoc(dloc, j, member(v, "id"))
	r.fields(v, loc, questionFields, func(key string, val *jvalue) {
		switch key {
		case "id":
			q.ID = r.str(val, loc, key)
		case "type":
			q.Type = r.str(val, loc, key)
		case "label":
			q.Label = r.str(val, loc, key)
		case "help":
			q.Help = r.str(val, loc, key)
		case "required":
			q.Required = r.boolean(val, loc, key)
		case "options":
			for _, ov := range r.objects(val, loc, key) {
				q.Options = append(q.Options, r.option(ov, loc, len(q.Options)))
			}
		case "min":
			q.Min = r.number(val, loc, key)
		case "max":
			q.Max = r.number(val, loc, key)
		case "unit":
			q.Unit = r.str(val, loc, key)
		case "scale":
			if val.kind != jObject {
				r.p.markBad(loc, key, "« scale » doit être un objet ({ \"min_label\": …, \"max_label\": … }), pas "+kindName(val))
				return
			}
			q.Scale = r.scale(val, scaleLoc(loc))
		case "show_if":
			if val.kind != jObject {
				r.p.markBad(loc, key, "« show_if » doit être un objet ({ \"question\": …, \"equals\": … }), pas "+kindName(val))
				return
			}
			c := r.condition(val, conditionLoc(loc))
			q.ShowIf = &c
		}
	})
	return q
}

func (r *reader) option(v *jvalue, qloc string, k int) domain.Option {
	var o domain.Option
	loc := optionLoc(qloc, k, member(v, "value"))
	r.fields(v, loc, optionFields, func(key string, val *jvalue) {
		switch key {
		case "value":
			o.Value = r.str(val, loc, key)
		case "label":
			o.Label = r.str(val, loc, key)
		case "thematiques":
			o.Thematiques = r.strings(val, loc, key)
		case "categories":
			o.Categories = r.strings(val, loc, key)
		case "publics":
			o.Publics = r.strings(val, loc, key)
		case "give":
			o.Give = r.boolean(val, loc, key)
		}
	})
	return o
}

func (r *reader) scale(v *jvalue, loc string) *domain.Scale {
	var s domain.Scale
	r.fields(v, loc, scaleFields, func(key string, val *jvalue) {
		switch key {
		case "min_label":
			s.MinLabel = r.str(val, loc, key)
		case "max_label":
			s.MaxLabel = r.str(val, loc, key)
		case "worker_rating":
			s.WorkerRating = r.boolean(val, loc, key)
		}
	})
	return &s
}

func (r *reader) condition(v *jvalue, loc string) domain.Condition {
	var c domain.Condition
	empty := func(key, msg string) { r.p.markBad(loc, "criteria", fmt.Sprintf("« %s » %s", key, msg)) }
	r.fields(v, loc, conditionFields, func(key string, val *jvalue) {
		switch key {
		case "question":
			c.Question = r.str(val, loc, key)
		case "equals":
			c.Equals = r.str(val, loc, key)
			if val.kind == jString && val.s == "" {
				empty(key, "est vide : indiquez la valeur attendue")
			}
		case "in":
			c.In = r.strings(val, loc, key)
			if val.kind == jArray && len(val.arr) == 0 {
				empty(key, "est une liste vide : indiquez au moins une valeur")
			}
		case "answered":
			b := r.boolean(val, loc, key)
			if val.kind == jBool {
				c.Answered = &b
			}
		case "all", "any":
			var list []domain.Condition
			for _, cv := range r.objects(val, loc, key) {
				list = append(list, r.condition(cv, subConditionLoc(loc, key, len(list))))
			}
			if val.kind == jArray && len(val.arr) == 0 {
				empty(key, "est une liste vide : indiquez au moins une condition")
			}
			if key == "all" {
				c.All = list
			} else {
				c.Any = list
			}
		}
	})
	// A criterion that was written but could not be read (wrong type, misspelt name) must not
	// also be reported as missing.
	for _, k := range conditionFields[1:] {
		if r.p.isBad(loc, k) {
			r.p.silence(loc, "criteria")
		}
	}
	return c
}

// suggest returns the known field a mistyped one most likely meant (« Label », « showIf »,
// « thematique », « lable »), or "".
func suggest(key string, known []string) string {
	norm := func(s string) string {
		return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(s))
	}
	nk := norm(key)
	// Two edits (« lable ») for a word of three letters or more, one for shorter ones.
	best, bestDist := "", min(2, utf8.RuneCountInString(nk)/3+1)+1
	for _, k := range known {
		if norm(k) == nk {
			return k
		}
		if d := distance(nk, norm(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, in characters.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 64 // no field name is that long: not a typo of one
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
