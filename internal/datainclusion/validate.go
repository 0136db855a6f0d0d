package datainclusion

import (
	"fmt"
	"math"
	"net/netip"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/vocab"
)

// problems collects every problem of one record, so that a rejection says all that is wrong at
// once instead of making the user fix and re-import one field at a time.
type problems struct {
	list []problem
	bad  uint64 // bit i: field i already has a problem (its later rules are skipped)
}

// problem is one French sentence; order sorts the reason in field order.
type problem struct {
	order int
	msg   string
}

// recordLevel orders the problems that belong to no field after the fields'.
const recordLevel = 1 << 10

// field records a problem of field i, named lab in the reason.
func (p *problems) field(i int, lab, msg string) {
	p.bad |= 1 << uint(i)
	p.list = append(p.list, problem{i, lab + " : " + msg})
}

// fieldf is field with a format.
func (p *problems) fieldf(i int, lab, format string, args ...any) {
	p.field(i, lab, fmt.Sprintf(format, args...))
}

// add records a problem that belongs to no single field.
func (p *problems) add(msg string) { p.list = append(p.list, problem{recordLevel, msg}) }

func (p *problems) isBad(i int) bool { return p.bad&(1<<uint(i)) != 0 }
func (p *problems) ok() bool         { return len(p.list) == 0 }

// messages returns the problems in field order.
func (p *problems) messages() []string {
	sort.SliceStable(p.list, func(a, b int) bool { return p.list[a].order < p.list[b].order })
	out := make([]string, len(p.list))
	for i, x := range p.list {
		out[i] = x.msg
	}
	return out
}

// reason joins the problems into one French reason.
func (p *problems) reason() string { return strings.Join(p.messages(), " ; ") }

func (p *problems) reset() {
	p.list = p.list[:0]
	p.bad = 0
}

// ValidateStructure checks a structure against the data·inclusion v1 schema and Passerelle's
// common-sense rules (the same rules as an import). It returns nil when the structure is valid,
// else an EINVALID *domain.Error whose French message lists every problem.
func ValidateStructure(st domain.Structure) error {
	if msgs := StructureProblems(st); len(msgs) > 0 {
		return domain.Errorf(domain.EINVALID, "Structure « %s » invalide : %s.", st.ID, strings.Join(msgs, " ; "))
	}
	return nil
}

// StructureProblems returns what is wrong with a structure, in French, one entry per problem;
// none when it is valid.
func StructureProblems(st domain.Structure) []string {
	var p problems
	validate(structureFields, &st, false, &p)
	return p.messages()
}

// ServiceProblems returns what is wrong with a service, in French, one entry per problem; none
// when it is valid.
func ServiceProblems(sv domain.Service) []string {
	var p problems
	validate(serviceFields, &sv, false, &p)
	return p.messages()
}

// ValidateService checks a service like an import does. It returns nil when the service is
// valid, else an EINVALID *domain.Error whose French message lists every problem.
func ValidateService(sv domain.Service) error {
	if msgs := ServiceProblems(sv); len(msgs) > 0 {
		return domain.Errorf(domain.EINVALID, "Service « %s » invalide : %s.", sv.ID, strings.Join(msgs, " ; "))
	}
	return nil
}

// validate applies the value rules of every field of r that has no problem yet, then the rules
// that tie fields together. csv chooses how fields are named in the reasons.
func validate[R any](fs *fieldSet[R], r *R, csv bool, p *problems) {
	for i := range fs.fields {
		if p.isBad(i) {
			continue
		}
		f := &fs.fields[i]
		lab := f.label(csv)
		switch f.kind {
		case kText:
			v := *f.text(r)
			if v == "" {
				p.field(i, lab, "obligatoire, ne doit pas être vide")
			} else if f.check != nil {
				if m := f.check(v); m != "" {
					p.field(i, lab, m)
				}
			}
		case kExtText:
			if v := *f.text(r); v != "" && f.check != nil {
				if m := f.check(v); m != "" {
					p.field(i, lab, m)
				}
			}
		case kOptText:
			if v := *f.opt(r); v != nil && f.check != nil {
				if m := f.check(*v); m != "" {
					p.field(i, lab, m)
				}
			}
		case kList:
			validateList(f, i, lab, *f.items(r), p)
		case kNumber:
			if v := *f.num(r); v != nil {
				if math.IsNaN(*v) || math.IsInf(*v, 0) {
					p.field(i, lab, "n’est pas un nombre fini")
				} else if f.numCheck != nil {
					if m := f.numCheck(*v); m != "" {
						p.field(i, lab, m)
					}
				}
			}
		case kInteger:
			if v := *f.int(r); v != nil && f.numCheck != nil {
				if m := f.numCheck(float64(*v)); m != "" {
					p.field(i, lab, m)
				}
			}
		}
	}
	validatePoint(fs, r, csv, p)
}

func validateList[R any](f *field[R], i int, lab string, v []string, p *problems) {
	if v == nil {
		return
	}
	if len(v) == 0 && f.list.minItems {
		p.field(i, lab, "la liste ne peut pas être vide (laisser le champ vide ou null si l’information manque)")
		return
	}
	for j, it := range v {
		if f.check != nil {
			if m := f.check(it); m != "" {
				p.field(i, lab, m)
			}
		}
		if f.list.unique {
			for _, prev := range v[:j] {
				if prev == it {
					p.fieldf(i, lab, "%s figure plusieurs fois", quote(it))
					break
				}
			}
		}
	}
	if f.list.check != nil && !p.isBad(i) {
		if m := f.list.check(v); m != "" {
			p.field(i, lab, m)
		}
	}
}

// validatePoint checks latitude and longitude together: both or neither, and a point in France.
func validatePoint[R any](fs *fieldSet[R], r *R, csv bool, p *problems) {
	li, gi := fs.byName["latitude"], fs.byName["longitude"]
	if p.isBad(li) || p.isBad(gi) {
		return
	}
	lf, gf := &fs.fields[li], &fs.fields[gi]
	lat, lon := *lf.num(r), *gf.num(r)
	ll, gl := lf.label(csv), gf.label(csv)
	switch {
	case lat == nil && lon == nil:
	case lon == nil:
		p.fieldf(li, ll, "%s est donnée sans %s (il faut les deux ou aucune)", num(*lat), gl)
	case lat == nil:
		p.fieldf(gi, gl, "%s est donnée sans %s (il faut les deux ou aucune)", num(*lon), ll)
	case inFrance(*lat, *lon):
	case inFrance(*lon, *lat):
		p.field(li, ll+", "+gl, fmt.Sprintf("latitude et longitude semblent inversées (%s %s, %s %s)",
			ll, num(*lat), gl, num(*lon)))
		p.bad |= 1 << uint(gi)
	default:
		p.field(li, ll+", "+gl, fmt.Sprintf("le point (%s, %s) est hors de France (métropole et départements d’outre-mer)",
			num(*lat), num(*lon)))
		p.bad |= 1 << uint(gi)
	}
}

// box is a latitude/longitude rectangle.
type box struct{ latMin, latMax, lonMin, lonMax float64 }

// franceBoxes are generous rectangles around mainland France with Corsica and around the
// overseas départements (and the collectivités whose codes share their prefixes); a directory
// point outside them is a typo or an inversion, not a real place.
var franceBoxes = []box{
	{41.3, 51.2, -5.3, 9.7},       // métropole et Corse
	{15.8, 18.2, -63.2, -60.9},    // Guadeloupe, Saint-Barthélemy, Saint-Martin
	{14.3, 14.95, -61.3, -60.8},   // Martinique
	{2.1, 5.8, -54.7, -51.5},      // Guyane
	{-21.45, -20.85, 55.2, 55.9},  // La Réunion
	{46.7, 47.2, -56.5, -56.1},    // Saint-Pierre-et-Miquelon
	{-13.05, -12.6, 44.95, 45.35}, // Mayotte
}

func inFrance(lat, lon float64) bool {
	for _, b := range franceBoxes {
		if lat >= b.latMin && lat <= b.latMax && lon >= b.lonMin && lon <= b.lonMax {
			return true
		}
	}
	return false
}

// The value rules. Each returns "" when the value is fine, else a French sentence naming the
// value (the caller puts the field name in front).

func length(min, max int) func(string) string {
	return func(s string) string {
		n := utf8.RuneCountInString(s)
		if n < min || n > max {
			return fmt.Sprintf("%s compte %d caractères, il en faut entre %d et %d", quote(s), n, min, max)
		}
		return ""
	}
}

func checkDate(s string) string {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return quote(s) + " n’est pas une date réelle au format AAAA-MM-JJ"
	}
	return ""
}

func checkSiret(s string) string {
	if len(s) != 14 || !digits(s) {
		return quote(s) + " n’est pas un numéro SIRET (14 chiffres)"
	}
	return ""
}

func checkCodePostal(s string) string {
	if len(s) != 5 || !digits(s) {
		return quote(s) + " n’est pas un code postal (5 chiffres)"
	}
	return ""
}

// checkCodeInsee applies the schema pattern (5 word characters), then checks that the code can
// exist: in the Hauts-de-Seine one of its 36 communes, elsewhere a real département prefix.
func checkCodeInsee(s string) string {
	if len(s) != 5 || !wordChars(s) {
		return quote(s) + " n’est pas un code INSEE de commune (5 caractères)"
	}
	if strings.HasPrefix(s, geo.Departement) {
		if !geo.InDepartement(s) {
			return quote(s) + " n’est pas le code INSEE d’une des 36 communes des Hauts-de-Seine"
		}
		return ""
	}
	if !departementPrefix(s) {
		return quote(s) + " ne commence pas par un numéro de département existant (01 à 95, 2A, 2B, 971 à 976)"
	}
	return ""
}

// departementPrefix reports whether a 5-character code starts with a département (01–95 but
// 20, 2A, 2B, 971–976) followed by digits.
func departementPrefix(s string) bool {
	switch {
	case s[:2] == "2A" || s[:2] == "2B":
		return digits(s[2:])
	case !digits(s):
		return false
	case s[:2] == "97":
		return s[2] >= '1' && s[2] <= '6'
	default:
		d := int(s[0]-'0')*10 + int(s[1]-'0')
		return d >= 1 && d <= 95 && d != 20
	}
}

// checkZone accepts what one of the schema's patterns for zone_eligibilite accepts: a commune
// code (5 word characters, which covers country codes 99xxx), a département (2–3 word
// characters), an EPCI (9 digits), or "france".
func checkZone(s string) string {
	switch {
	case s == "france":
	case (len(s) == 5 || len(s) == 2 || len(s) == 3) && wordChars(s):
	case len(s) == 9 && digits(s):
	default:
		return quote(s) + " n’est pas un code de zone (commune, département, EPCI, pays ou « france »)"
	}
	return ""
}

func checkEmail(s string) string {
	if !validEmail(s) {
		return quote(s) + " n’est pas une adresse de courriel valide"
	}
	return ""
}

// validEmail follows what the schema's "email" format accepts (RFC 5322 addr-spec without
// comments), minus what no directory needs: an empty local part, an IP address as domain, or a
// domain without a dot ("contact@mairie" is a typo).
func validEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 {
		return false
	}
	local, host := s[:at], s[at+1:]
	if len(local) > 64 {
		return false
	}
	if len(local) > 1 && local[0] == '"' && local[len(local)-1] == '"' {
		if strings.ContainsAny(local[1:len(local)-1], `\"`) {
			return false
		}
	} else {
		if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
			return false
		}
		for i := 0; i < len(local); i++ {
			c := local[i]
			if !isAlnum(c) && !strings.ContainsRune(".!#$%&'*+-/=?^_`{|}~", rune(c)) {
				return false
			}
		}
	}
	host = strings.TrimSuffix(host, ".")
	if len(host) > 253 || !strings.Contains(host, ".") {
		return false
	}
	for _, label := range strings.Split(host, ".") {
		if len(label) < 1 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if !isAlnum(label[i]) && label[i] != '-' {
				return false
			}
		}
	}
	return true
}

// checkURL accepts an absolute http or https address of 1 to 2083 characters (the schema asks
// for an absolute URI; a directory link must open in a browser).
func checkURL(s string) string {
	if s == "" {
		return "ne doit pas être vide (null si l’information manque)"
	}
	if n := utf8.RuneCountInString(s); n > 2083 {
		return fmt.Sprintf("%s compte %d caractères, 2083 au plus", quote(s), n)
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		if err == nil && u.Scheme == "" {
			return quote(s) + " n’est pas une adresse web complète : il manque « https:// » au début"
		}
		return quote(s) + " n’est pas une adresse web complète (http:// ou https://)"
	}
	if h := u.Hostname(); strings.Contains(h, ":") {
		// url.Parse does not check IPv6 literals; the schema does.
		a, err := netip.ParseAddr(h)
		if err != nil || a.Zone() != "" || !strings.Contains(u.Host, "[") {
			return quote(s) + " contient une adresse IPv6 invalide"
		}
	}
	return ""
}

func inVocab(v *vocab.Vocabulary, noun string) func(string) string {
	hint := ""
	if len(v.Terms) <= 6 {
		vals := make([]string, len(v.Terms))
		for i, t := range v.Terms {
			vals[i] = t.Value
		}
		hint = " (valeurs possibles : " + strings.Join(vals, ", ") + ")"
	}
	return func(s string) string {
		if v.Has(s) {
			return ""
		}
		return fmt.Sprintf("%s n’est pas %s%s", quote(s), noun, hint)
	}
}

func checkTousPublics(v []string) string {
	if len(v) < 2 {
		return ""
	}
	for _, x := range v {
		if x == "tous-publics" {
			return "« tous-publics » ne peut pas être combiné avec d’autres publics (" + strings.Join(v, ", ") + ")"
		}
	}
	return ""
}

var categoryCodes = func() string {
	codes := make([]string, len(vocab.Categories))
	for i, c := range vocab.Categories {
		codes[i] = c.Code
	}
	return strings.Join(codes, ", ")
}()

func checkCategorie(s string) string {
	if _, ok := vocab.CategoryByCode(s); !ok {
		return quote(s) + " n’est pas une catégorie du guide (" + categoryCodes + ")"
	}
	return ""
}

func checkLatitude(v float64) string {
	if v < -90 || v > 90 {
		return num(v) + " n’est pas une latitude (entre -90 et 90)"
	}
	return ""
}

func checkLongitude(v float64) string {
	if v < -180 || v > 180 {
		return num(v) + " n’est pas une longitude (entre -180 et 180)"
	}
	return ""
}

func atLeast(min float64) func(float64) string {
	return func(v float64) string {
		if v < min {
			if min == 0 {
				return num(v) + " ne peut pas être négatif"
			}
			return fmt.Sprintf("%s est inférieur au minimum %s", num(v), num(min))
		}
		return ""
	}
}

// quote shows a value in a reason: between French quotes, shortened, on one line.
func quote(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s)
	return "« " + s + " »"
}

// num shows a number in a reason, in its shortest exact form.
func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// wordChars matches the regular-expression class \w: ASCII letters, digits and underscore.
func wordChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && s[i] != '_' {
			return false
		}
	}
	return s != ""
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
