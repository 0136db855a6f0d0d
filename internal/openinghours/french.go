package openinghours

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// French returns the hours as short French sentences, one per group of days with the same
// hours (« Du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h. »); ok is false when the value
// cannot be read (the caller then shows the raw text) or is empty.
func French(hours string) (sentences []string, ok bool) {
	s, err := Parse(hours)
	if err != nil {
		return nil, false
	}
	return s.French(), true
}

// French returns the hours as short French sentences, one per group of days with the same
// hours, in the order of the value; a later sentence is an exception to the earlier ones
// (« Du lundi au vendredi, de 9 h à 17 h. », « Fermé en août. »). Never empty.
//
// The sentences are built by grouping the days the rules name, then checked: read back with
// "the last sentence that names a day wins", they must say exactly what the rules say for every
// day in every context. When grouping cannot be made that faithful (rare combinations of
// additional and fallback rules), each rule is told on its own, in order.
func (s *Schedule) French() []string {
	if s == nil || len(s.rules) == 0 {
		return nil
	}
	if model, ok := s.sentenceModel(); ok && s.checkable(model) && s.faithful(model) {
		out := make([]string, 0, len(model))
		for i := range model {
			out = append(out, s.sentenceText(model[i].c, model[i].items, &model[i].out))
		}
		if len(out) > 0 {
			return out
		}
	}
	return s.literal()
}

// cond is the part of the year a sentence is about: months, week numbers, holidays (0 = any day).
type cond struct {
	months uint16
	weeks  uint64
	hol    uint8
}

var always = cond{months: allMonths, weeks: allWeeks}

func (c cond) matches(x ctx) bool {
	return c.months>>x.month&1 != 0 && c.weeks>>x.week&1 != 0 &&
		(c.hol == 0 || (c.hol&holPH != 0 && x.ph) || (c.hol&holSH != 0 && x.sh))
}

// covers reports whether every context of d is one of c's.
func (c cond) covers(d cond) bool {
	return d.months&^c.months == 0 && d.weeks&^c.weeks == 0 &&
		(c.hol == 0 || (d.hol != 0 && d.hol&^c.hol == 0))
}

// overlaps is conservative: a public holiday may fall during school holidays.
func (c cond) overlaps(d cond) bool {
	return c.months&d.months != 0 && c.weeks&d.weeks != 0
}

// entry is what the rules say of one weekday (in some nth-of-month contexts) under a condition.
type entry struct {
	c    cond
	day  int
	nth  uint16
	out  outcome
	rule int
}

func (e *entry) overlaps(f *entry) bool {
	return e.day == f.day && e.nth&f.nth != 0 && e.c.overlaps(f.c)
}

func (e *entry) covers(f *entry) bool {
	return e.day == f.day && f.nth&^e.nth == 0 && e.c.covers(f.c)
}

// minus returns e without the contexts of f when the difference can be written as an entry
// (they differ in one dimension only); ok is false otherwise. empty reports nothing is left.
func (e entry) minus(f *entry) (r entry, empty, ok bool) {
	if !(f.c.hol == 0 || (e.c.hol != 0 && e.c.hol&^f.c.hol == 0)) {
		return e, false, false // "not on public holidays" cannot be written
	}
	monthsOut := e.c.months&^f.c.months != 0
	weeksOut := e.c.weeks&^f.c.weeks != 0
	nthOut := e.nth&^f.nth != 0
	switch {
	case monthsOut && !weeksOut && !nthOut:
		e.c.months &^= f.c.months
	case weeksOut && !monthsOut && !nthOut:
		e.c.weeks &^= f.c.weeks
	case nthOut && !monthsOut && !weeksOut:
		e.nth &^= f.nth
	case !monthsOut && !weeksOut && !nthOut:
		return e, true, true
	default:
		return e, false, false
	}
	return e, false, true
}

// entries replays the rules into per-day entries: a normal rule replaces the entries it covers,
// an additional rule extends the entry it falls in, a fallback rule fills what nothing names.
// ok is false when an additional rule straddles several entries.
func (s *Schedule) entries() ([]entry, bool) {
	var es []entry
	for i := range s.rules {
		r := &s.rules[i]
		var own outcome
		s.set(i, &own)
		var front, back []entry // a fallback rule's entries, placed once the rule is read
		for k := 0; k < int(r.nparts); k++ {
			pt := &r.parts[k]
			c := cond{months: r.months, weeks: r.weeks, hol: pt.hol}
			for d := 0; d < 7; d++ {
				if pt.wd[d] == 0 {
					continue
				}
				e := entry{c: c, day: d, nth: pt.wd[d], out: own, rule: i}
				switch r.kind {
				case kindNormal:
					kept := es[:0]
					for _, x := range es {
						// The parts of one rule say the same thing: "PH,Sa" keeps both
						// « les jours fériés » and « le samedi ».
						if x.rule == i || !e.covers(&x) {
							kept = append(kept, x)
						}
					}
					es = append(kept, e)
				case kindAdditional:
					last := -1
					for j := len(es) - 1; j >= 0; j-- {
						if es[j].overlaps(&e) {
							last = j
							break
						}
					}
					e.out = outcome{}
					if last >= 0 {
						if !es[last].covers(&e) {
							return nil, false
						}
						e.out = es[last].out
					}
					s.add(i, &e.out)
					if last >= 0 && es[last].c == e.c && es[last].nth == e.nth {
						es[last].out = e.out
					} else {
						es = append(es, e)
					}
				case kindFallback:
					covered, tangled := false, false
					for j := range es {
						if !es[j].overlaps(&e) {
							continue
						}
						ne, empty, ok := e.minus(&es[j])
						switch {
						case !ok:
							tangled = true
						case empty:
							covered = true
						default:
							e = ne
						}
						if covered {
							break
						}
					}
					switch {
					case covered:
					case tangled:
						// Still overlapping what earlier rules say: put it first, where "the
						// last sentence wins" lets it apply only where nothing else does.
						front = append(front, e)
					default:
						back = append(back, e)
					}
				}
			}
		}
		if len(front) > 0 {
			es = append(front, es...)
		}
		es = append(es, back...)
	}
	return es, true
}

// item is a weekday in a sentence, with the nth-of-month contexts it covers.
type item struct {
	day int
	nth uint16
}

// sentence says one thing (out) of some days (items) under a condition.
type sentence struct {
	c     cond
	out   outcome
	items []item
}

func (m *sentence) overlaps(e *entry) bool {
	if !m.c.overlaps(e.c) {
		return false
	}
	for _, it := range m.items {
		if it.day == e.day && it.nth&e.nth != 0 {
			return true
		}
	}
	return false
}

// sentenceModel groups the entries into sentences, never moving an entry before one it overlaps.
func (s *Schedule) sentenceModel() ([]sentence, bool) {
	es, ok := s.entries()
	if !ok {
		return nil, false
	}
	for i := range es {
		if es[i].nth != allNth && !phrasable(es[i].nth) {
			return nil, false // ranks left by a fallback rule that no French words name
		}
	}
	var ss []sentence
	clear := func(from int, e *entry) bool {
		for k := from; k < len(ss); k++ {
			if ss[k].overlaps(e) {
				return false
			}
		}
		return true
	}
	for ei := range es {
		e := &es[ei]
		placed := false
		for j := len(ss) - 1; j >= 0; j-- {
			if ss[j].c == e.c && ss[j].out == e.out {
				if clear(j+1, e) {
					ss[j].items = append(ss[j].items, item{e.day, e.nth})
					placed = true
				}
				break
			}
		}
		if placed {
			continue
		}
		pos := len(ss)
		for j := len(ss) - 1; j >= 0; j-- {
			if ss[j].c == e.c {
				if clear(j+1, e) {
					pos = j + 1
				}
				break
			}
		}
		ss = append(ss, sentence{})
		copy(ss[pos+1:], ss[pos:])
		ss[pos] = sentence{c: e.c, out: e.out, items: []item{{e.day, e.nth}}}
	}
	// Closures left over from a rule that later rules overrode in part ("Jul-Aug off;
	// Mo-Fr 09:00-12:00" leaves Saturday and Sunday of the summer closed) say nothing the
	// reader needs: drop the days that close nothing open before. Explicit closures of
	// ordinary days ("Sa,Su off") and whole closures ("Fermé en août.") stay.
	var kept []sentence
	for k := range ss {
		m := ss[k]
		if m.out.n == 0 && m.out.cmt == 0 && !m.out.over && m.c != always && !s.defaultUnknown && !allDays(m.items) {
			var its []item
			for _, it := range m.items {
				probe := entry{c: m.c, day: it.day, nth: it.nth}
				for j := 0; j < k; j++ {
					if ss[j].out.n > 0 && ss[j].overlaps(&probe) {
						its = append(its, it)
						break
					}
				}
			}
			m.items = its
		}
		if len(m.items) > 0 {
			kept = append(kept, m)
		}
	}
	return kept, true
}

func allDays(items []item) bool {
	var every uint8
	for _, it := range items {
		if it.nth == allNth {
			every |= 1 << it.day
		}
	}
	return every == 0x7F
}

// checkable bounds the cost of faithful: a value with many rules, sentences and contexts (no
// real one) is told rule by rule rather than checked for seconds.
func (s *Schedule) checkable(model []sentence) bool {
	n := int(s.ctxs.nMonths) * int(s.ctxs.nWeeks) * 7
	if s.ctxs.nthUsed {
		n *= 9
	}
	if s.ctxs.sh {
		n *= 2
	}
	if s.ctxs.ph {
		n *= 2
	}
	work := len(s.rules)
	for i := range model {
		work += len(model[i].items)
	}
	return n*work <= 4_000_000
}

// faithful checks the sentences against the rules, day by day, context by context.
func (s *Schedule) faithful(model []sentence) bool {
	var o outcome
	zero := outcome{}
	for d := 0; d < 7; d++ {
		ok := s.each(true, func(c ctx) bool {
			matched := s.eval(d, c, &o)
			got, gotMatched := &zero, false
		search:
			for k := len(model) - 1; k >= 0; k-- {
				if !model[k].c.matches(c) {
					continue
				}
				for _, it := range model[k].items {
					if it.day == d && it.nth>>c.nth&1 != 0 {
						got, gotMatched = &model[k].out, true
						break search
					}
				}
			}
			if matched == gotMatched {
				return o == *got
			}
			// A closed day and no sentence read the same when unnamed days are closed.
			return !s.defaultUnknown && o == zero && *got == zero
		})
		if !ok {
			return false
		}
	}
	return true
}

// literal tells each rule on its own, in order: the reading of last resort.
func (s *Schedule) literal() []string {
	var out []string
	for i := range s.rules {
		r := &s.rules[i]
		var o outcome
		s.set(i, &o)
		first := true
		for k := 0; k < int(r.nparts); k++ {
			pt := &r.parts[k]
			var items []item
			for d := 0; d < 7; d++ {
				if pt.wd[d] != 0 {
					items = append(items, item{d, pt.wd[d]})
				}
			}
			c := cond{months: r.months, weeks: r.weeks, hol: pt.hol}
			var text string
			if r.state == stateClosed && r.times { // a closing rule with hours: say which
				var shown outcome
				for _, sp := range s.spans[r.spanLo:r.spanHi] {
					insertSpan(&shown, sp)
				}
				shown.cmt = o.cmt
				text = s.closedHours(c, items, &shown)
			} else {
				text = s.sentenceText(c, items, &o)
			}
			if first && r.kind == kindAdditional {
				text = "En plus, " + lowerFirst(text)
			} else if first && r.kind == kindFallback {
				text = "Sinon, " + lowerFirst(text)
			}
			first = false
			out = append(out, text)
		}
	}
	return out
}

// sentenceText writes one sentence.
func (s *Schedule) sentenceText(c cond, items []item, o *outcome) string {
	days, all := dayPhrase(items)
	cp := condPhrase(c)
	var b strings.Builder
	if o.n == 0 && !o.over {
		switch {
		case all && cp == "":
			b.WriteString("Fermé")
		case all:
			b.WriteString("Fermé " + cp)
		case cp == "":
			b.WriteString("Fermé " + days)
		default:
			b.WriteString(upperFirst(cp) + ", fermé " + days)
		}
		s.writeComment(&b, o.cmt)
		b.WriteByte('.')
		return b.String()
	}
	// A comment alone: « Sur rendez-vous. », « Le samedi (sur rendez-vous). »
	if o.n == 1 && !o.over && o.sp[0].flags&(spanImplicit|spanUnknown) == spanImplicit|spanUnknown {
		cmt := s.comment(o.sp[0].cmt)
		if cmt == "" {
			cmt = s.comment(o.cmt)
		}
		if cmt != "" {
			switch {
			case all && cp == "":
				b.WriteString(upperFirst(cmt))
			case all:
				b.WriteString(upperFirst(cp) + " : " + cmt)
			case cp == "":
				b.WriteString(upperFirst(days) + " (" + cmt + ")")
			default:
				b.WriteString(upperFirst(cp) + ", " + days + " (" + cmt + ")")
			}
			return endSentence(b.String())
		}
	}
	switch {
	case cp == "":
		b.WriteString(upperFirst(days))
	case all && c.hol != 0: // « Les jours fériés, de 10 h à 12 h. »
		b.WriteString(upperFirst(cp))
	default:
		b.WriteString(upperFirst(cp) + ", " + days)
	}
	b.WriteString(", ")
	b.WriteString(s.hoursPhrase(o))
	b.WriteByte('.')
	return b.String()
}

// closedHours writes a closing rule that names hours (literal reading only).
func (s *Schedule) closedHours(c cond, items []item, o *outcome) string {
	days, all := dayPhrase(items)
	cp := condPhrase(c)
	var b strings.Builder
	switch {
	case all && cp == "":
		b.WriteString("Fermé")
	case all:
		b.WriteString("Fermé " + cp)
	case cp == "":
		b.WriteString("Fermé " + days)
	default:
		b.WriteString(upperFirst(cp) + ", fermé " + days)
	}
	b.WriteString(", ")
	b.WriteString(s.hoursPhrase(o))
	b.WriteByte('.')
	return b.String()
}

func endSentence(t string) string {
	if strings.HasSuffix(t, ".") || strings.HasSuffix(t, "!") || strings.HasSuffix(t, "?") {
		return t
	}
	return t + "."
}

func (s *Schedule) comment(ref uint8) string {
	if ref == 0 || int(ref) > len(s.rules) {
		return ""
	}
	return s.rules[ref-1].comment
}

func (s *Schedule) writeComment(b *strings.Builder, ref uint8) {
	if c := s.comment(ref); c != "" {
		b.WriteString(" (" + c + ")")
	}
}

// hoursPhrase writes the spans of a day: « de 9 h à 12 h et de 14 h à 17 h (sur rendez-vous) ».
func (s *Schedule) hoursPhrase(o *outcome) string {
	if o.over {
		return "horaires trop découpés pour être résumés"
	}
	parts := make([]string, 0, o.n)
	lastCmt := uint8(0)
	for k := 0; k < int(o.n); k++ {
		sp := o.sp[k]
		t := spanText(sp)
		cmt := s.comment(sp.cmt)
		if sp.flags&spanUnknown != 0 && cmt == "" {
			if t == "" {
				t = "ouverture à confirmer"
			} else {
				t += " (à confirmer)"
			}
		}
		// A comment goes after the last of the spans it applies to.
		if cmt != "" && (k+1 == int(o.n) || o.sp[k+1].cmt != sp.cmt) {
			if t == "" {
				t = cmt
			} else {
				t += " (" + cmt + ")"
			}
			lastCmt = sp.cmt
		}
		if t != "" {
			parts = append(parts, t)
		}
	}
	out := joinFr(parts)
	if o.cmt != 0 && o.cmt != lastCmt {
		if c := s.comment(o.cmt); c != "" {
			out += " (" + c + ")"
		}
	}
	return out
}

func spanText(sp span) string {
	switch {
	case sp.flags&spanImplicit != 0:
		if sp.flags&spanUnknown != 0 {
			return ""
		}
		return "horaires non précisés"
	case sp.flags&spanNoEnd != 0:
		return "à partir de " + frTime(int(sp.from))
	case sp.from == 0 && sp.to == dayMin:
		return "24 h sur 24"
	}
	t := "de " + frTime(int(sp.from)) + " à " + frTime(int(sp.to))
	if sp.flags&spanOpenEnd != 0 {
		t += " au moins"
	}
	return t
}

// frTime writes minutes as French hours: « 9 h », « 9 h 30 », « minuit ».
func frTime(m int) string {
	m %= dayMin
	h, mm := m/60, m%60
	if h == 0 && mm == 0 {
		return "minuit"
	}
	t := itoa(h) + " h"
	if mm != 0 {
		if mm < 10 {
			t += " 0" + itoa(mm)
		} else {
			t += " " + itoa(mm)
		}
	}
	return t
}

var (
	frDays   = [7]string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}
	frMonths = [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
		"septembre", "octobre", "novembre", "décembre"}
	frOrdinals = map[int]string{1: "premier", 2: "deuxième", 3: "troisième", 4: "quatrième",
		5: "cinquième", -1: "dernier", -2: "avant-dernier"}
)

// dayPhrase writes the days of a sentence (« du lundi au vendredi et le premier samedi du
// mois »); all reports every day of every week.
func dayPhrase(items []item) (string, bool) {
	var every uint8
	var nth [7]uint16
	for _, it := range items {
		if it.nth == allNth {
			every |= 1 << it.day
		} else {
			nth[it.day] |= it.nth
		}
	}
	for d := range nth {
		if nth[d] == allNth {
			every |= 1 << d
		}
		if every>>d&1 != 0 {
			nth[d] = 0
		}
	}
	if every == 0x7F {
		return "tous les jours", true
	}
	var parts []string
	for _, run := range runs(uint64(every), 7, true) {
		if run[1] >= 3 {
			parts = append(parts, "du "+frDays[run[0]]+" au "+frDays[(run[0]+run[1]-1)%7])
			continue
		}
		for k := 0; k < run[1]; k++ {
			parts = append(parts, "le "+frDays[(run[0]+k)%7])
		}
	}
	for d := range nth {
		if nth[d] != 0 {
			parts = append(parts, nthPhrase(d, nth[d])...)
		}
	}
	return joinFr(parts), false
}

// ranks names the nth-of-month contexts of mask as ranks (1…5, -1…-5), fewest first; ok is
// false when no set of ranks names exactly mask.
func ranks(mask uint16) (chosen []int, ok bool) {
	cands := [...]int{1, 2, 3, 4, -1, 5, -2, -3, -4, -5}
	var got uint16
	for _, n := range cands {
		if m := nthMaskOf(n); m&^mask == 0 && m&^got != 0 {
			chosen = append(chosen, n)
			got |= m
		}
	}
	// Drop any rank the others already cover (greedy order can pick one too many).
	for k := 0; k < len(chosen); k++ {
		var rest uint16
		for j, n := range chosen {
			if j != k {
				rest |= nthMaskOf(n)
			}
		}
		if rest == mask {
			chosen = append(chosen[:k], chosen[k+1:]...)
			k--
		}
	}
	return chosen, got == mask // dropping covered ranks keeps the union
}

func phrasable(mask uint16) bool {
	_, ok := ranks(mask)
	return ok
}

// nthPhrase writes nth weekdays of the month: « le premier et le troisième jeudi du mois ».
// Masks come from ranks written in the value, or are checked with phrasable.
func nthPhrase(day int, mask uint16) []string {
	chosen, _ := ranks(mask)
	var words, far []string
	for _, n := range chosen {
		if w, ok := frOrdinals[n]; ok {
			words = append(words, le(w))
		} else {
			far = append(far, "le "+frOrdinals[-n]+" "+frDays[day]+" du mois en partant de la fin")
		}
	}
	var out []string
	if len(words) > 0 {
		out = append(out, joinFr(words)+" "+frDays[day]+" du mois")
	}
	return append(out, far...)
}

func nthMaskOf(n int) uint16 {
	if n < 0 {
		return nthNeg(-n)
	}
	return nthPos(n)
}

// runs returns the runs of set bits of mask (width bits) as [start, length], in order of start;
// with cyclic, a run may wrap from the last bit to the first.
func runs(mask uint64, width int, cyclic bool) [][2]int {
	full := uint64(1)<<width - 1
	mask &= full
	if mask == 0 {
		return nil
	}
	if mask == full {
		return [][2]int{{0, width}}
	}
	var out [][2]int
	start := 0
	if cyclic { // start where a run starts, so a run wrapping past the last bit stays whole
		for mask>>start&1 == 0 || mask>>((start+width-1)%width)&1 != 0 {
			start++
		}
	}
	for k := 0; k < width; {
		b := (start + k) % width
		if mask>>b&1 == 0 {
			k++
			continue
		}
		n := 0
		for k < width && mask>>((start+k)%width)&1 != 0 {
			n++
			k++
		}
		out = append(out, [2]int{b, n})
	}
	// Order by start, Monday (or January) first.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j][0] < out[j-1][0]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// condPhrase writes the part of the year a sentence is about, or "" for the whole year.
func condPhrase(c cond) string {
	var parts []string
	if c.months != allMonths {
		parts = append(parts, monthsPhrase(c.months))
	}
	if c.weeks != allWeeks {
		parts = append(parts, weeksPhrase(c.weeks))
	}
	switch c.hol {
	case holPH:
		parts = append(parts, "les jours fériés")
	case holSH:
		parts = append(parts, "pendant les vacances scolaires")
	case holPH | holSH:
		parts = append(parts, "les jours fériés et pendant les vacances scolaires")
	}
	return strings.Join(parts, ", ")
}

// monthsPhrase: « de septembre à juin », « en juillet et en août », « d'octobre à mars ».
func monthsPhrase(mask uint16) string {
	var parts []string
	for _, run := range runs(uint64(mask), 12, true) {
		if run[1] >= 3 {
			parts = append(parts, de(frMonths[run[0]])+" à "+frMonths[(run[0]+run[1]-1)%12])
			continue
		}
		for k := 0; k < run[1]; k++ {
			parts = append(parts, "en "+frMonths[(run[0]+k)%12])
		}
	}
	return joinFr(parts)
}

// le elides before a vowel: « l'avant-dernier ».
func le(w string) string {
	if r, _ := utf8.DecodeRuneInString(w); strings.ContainsRune("aeiouéâ", r) {
		return "l'" + w
	}
	return "le " + w
}

// de elides before a vowel: « d'avril », « d'août », « d'octobre ».
func de(w string) string {
	if r, _ := utf8.DecodeRuneInString(w); strings.ContainsRune("aeiouéâ", r) {
		return "d'" + w
	}
	return "de " + w
}

const oddWeeks = 0x15555555555555 // weeks 1, 3, …, 53

// weeksPhrase: « les semaines impaires », « les semaines 10 à 20 », « la semaine 5 ».
func weeksPhrase(mask uint64) string {
	switch mask {
	case oddWeeks:
		return "les semaines impaires"
	case oddWeeks << 1 & allWeeks:
		return "les semaines paires"
	}
	rs := runs(mask, 53, false)
	if len(rs) == 1 && rs[0][1] == 1 {
		return "la semaine " + itoa(rs[0][0]+1)
	}
	var parts []string
	for _, run := range rs {
		switch run[1] {
		case 1:
			parts = append(parts, itoa(run[0]+1))
		case 2:
			parts = append(parts, itoa(run[0]+1), itoa(run[0]+2))
		default:
			parts = append(parts, itoa(run[0]+1)+" à "+itoa(run[0]+run[1]))
		}
	}
	return "les semaines " + joinFr(parts)
}

// joinFr joins with commas and « et » before the last.
func joinFr(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " et " + parts[len(parts)-1]
}

func upperFirst(t string) string {
	r, n := utf8.DecodeRuneInString(t)
	if n == 0 {
		return t
	}
	return string(unicode.ToUpper(r)) + t[n:]
}

func lowerFirst(t string) string {
	r, n := utf8.DecodeRuneInString(t)
	if n == 0 {
		return t
	}
	return string(unicode.ToLower(r)) + t[n:]
}
