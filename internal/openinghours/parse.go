package openinghours

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/domain"
)

// Limits that keep a hostile or broken value from costing much: no real opening_hours value
// comes near them.
const (
	maxRules = 100 // rules in one value
	maxSpans = 8   // time spans in one rule, and in a day once rules are combined
)

const (
	dayMin = 24 * 60 // minutes in a day
	maxMin = 48 * 60 // latest closing time the syntax allows ("extended time", past midnight)
)

// Rule kinds, from the separator before the rule.
const (
	kindNormal     uint8 = iota // after ";" (or first): replaces earlier rules on the days it names
	kindAdditional              // after ",": adds to earlier rules
	kindFallback                // after "||": applies only where no earlier rule applies
)

// Rule states.
const (
	stateOpen uint8 = iota
	stateClosed
	stateUnknown
)

// Holidays a day selector can name.
const (
	holPH uint8 = 1 << iota // public holidays (jours fériés)
	holSH                   // school holidays (vacances scolaires)
)

// Masks meaning "no restriction".
const (
	allMonths uint16 = 1<<12 - 1
	allWeeks  uint64 = 1<<53 - 1
	allNth    uint16 = 1<<9 - 1
)

// Span flags.
const (
	spanOpenEnd  uint8 = 1 << iota // "10:00-12:00+": may close later
	spanNoEnd                      // "18:00+": no closing time given
	spanImplicit                   // no time selector: the whole day, hours not given
	spanUnknown                    // state unknown for this span
)

// The "nth weekday of the month" dimension. Whether a date is the first, second… or last of its
// weekday in the month depends on its rank k and on how many times that weekday occurs in the
// month (4 or 5), so a weekday falls into one of 9 contexts: (k, 4) for k=1…4 at bits 0…3 and
// (k, 5) for k=1…5 at bits 4…8. Sa[1] is bits 0 and 4; Su[-1] (last) is bits 3 and 8.
func nthPos(n int) uint16 {
	switch {
	case n >= 1 && n <= 4:
		return 1<<(n-1) | 1<<(4+n-1)
	case n == 5:
		return 1 << 8
	}
	return 0
}

func nthNeg(n int) uint16 {
	var m uint16
	if k := 5 - n; k >= 1 { // in a month with 4 occurrences
		m |= 1 << (k - 1)
	}
	if k := 6 - n; k >= 1 { // in a month with 5 occurrences
		m |= 1 << (4 + k - 1)
	}
	return m
}

// span is one time span of a rule or of a day, in minutes from the day's start; to may pass
// 24:00 for hours past midnight, which stay attached to the day they start on.
type span struct {
	from, to int16
	flags    uint8
	cmt      uint8 // 1 + index of the rule whose comment applies; 0 for none
}

// daySel selects days: weekdays (with, per weekday, the nth-of-month contexts it covers) and,
// when hol is set, only the holidays named that fall on those weekdays.
type daySel struct {
	hol uint8
	wd  [7]uint16
}

var everyDay = daySel{wd: [7]uint16{allNth, allNth, allNth, allNth, allNth, allNth, allNth}}

// rule is one rule of a value, e.g. "Sep-Jun Mo-Fr 09:00-12:00 "sur rendez-vous"".
type rule struct {
	kind          uint8
	state         uint8
	explicitState bool
	times         bool // a time selector was given
	nparts        uint8
	months        uint16
	weeks         uint64
	// parts are ORed: "PH,Sa" is two parts ({Sa} and {PH, every weekday}); "PH Sa" is one.
	parts          [2]daySel
	spanLo, spanHi uint16 // the rule's spans in Schedule.spans
	comment        string
}

// Schedule is a parsed opening_hours value. Build it with Parse (the zero value reads as
// unknown). It is never modified once built: its methods may run on several goroutines.
type Schedule struct {
	rules []rule
	spans []span
	ctxs  contexts
	// defaultUnknown: no rule opens anything on ordinary days (the value lists only closures or
	// holidays), so the days it does not name are unknown rather than closed.
	defaultUnknown bool
	// statesOnly: the state of a day follows from the states of the rules alone, without
	// working out its hours (see evalState).
	statesOnly bool
}

// perr is a parse error kept without allocating (Week reads 100,000 values at index time and
// needs no message); Parse turns it into a domain error.
type perr struct {
	kind int
	pos  int // byte offset in the value
	tok  string
}

const (
	errNone = iota
	errEmpty
	errUnknownDay
	errUnknownMonth
	errUnknownWord
	errUnexpected
	errBadTime
	errTimeRange
	errBadNth
	errBadWeek
	errUnclosedComment
	errVariableTime
	errYear
	errDate
	errEaster
	errOffset
	errPeriod
	errTooManyRules
	errTooManySpans
	errEndOfValue
	errMisplaced
)

// message returns the French message of a parse error in s.
func (e perr) message(s string) string {
	pos := utf8.RuneCountInString(s[:min(e.pos, len(s))]) + 1
	q := func(t string) string { return "« " + t + " »" }
	at := " à la position " + itoa(pos)
	switch e.kind {
	case errEmpty:
		return "aucun horaire indiqué"
	case errUnknownDay:
		return "jour inconnu " + q(e.tok) + at
	case errUnknownMonth:
		return "mois inconnu " + q(e.tok) + at
	case errUnknownWord:
		return "mot inconnu " + q(e.tok) + at
	case errBadTime:
		return "heure illisible " + q(e.tok) + at + " (format attendu : 09:00)"
	case errTimeRange:
		return "plage horaire incomplète " + q(e.tok) + at + " (format attendu : 09:00-12:00)"
	case errBadNth:
		return "rang dans le mois illisible " + q(e.tok) + at + " (de 1 à 5, ou -1 pour le dernier)"
	case errBadWeek:
		return "numéro de semaine illisible " + q(e.tok) + at + " (de 1 à 53)"
	case errUnclosedComment:
		return "commentaire sans guillemet fermant" + at
	case errVariableTime:
		return "heure variable " + q(e.tok) + " non prise en charge" + at
	case errYear:
		return "année " + q(e.tok) + " non prise en charge" + at
	case errDate:
		return "date précise " + q(e.tok) + " non prise en charge" + at
	case errEaster:
		return "date variable " + q(e.tok) + " non prise en charge" + at
	case errOffset:
		return "décalage de jours " + q(e.tok) + " non pris en charge" + at
	case errPeriod:
		return "horaire répété " + q(e.tok) + " non pris en charge" + at
	case errTooManyRules:
		return "trop de règles (plus de " + itoa(maxRules) + ")"
	case errTooManySpans:
		return "trop de plages horaires dans une règle (plus de " + itoa(maxSpans) + ")" + at
	case errMisplaced:
		return q(e.tok) + " inattendu" + at
	case errEndOfValue:
		return "horaires incomplets : la fin manque après la position " + itoa(pos-1)
	}
	return "texte inattendu " + q(e.tok) + at
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Parse reads an OpenStreetMap opening_hours value (the format of data·inclusion's
// horaires_accueil). It understands weekdays, ranges and lists, nth weekdays of the month, time
// spans (open end, past midnight), 24/7, off/closed/unknown, PH and SH, months, week numbers,
// comments, and the ";", "," and "||" rule separators; it tolerates extra spaces and lower-case
// names. Anything else (sunrise, easter, years, precise dates…) is refused rather than guessed.
//
// Errors: *domain.Error with code domain.EINVALID and a French message saying what could not be
// read and where (e.g. « jour inconnu « Lu » à la position 1 »), also for an empty value.
func Parse(s string) (*Schedule, error) {
	p := parser{s: s}
	if !p.run() {
		return nil, &domain.Error{Code: domain.EINVALID, Message: p.err.message(s)}
	}
	sch := &Schedule{rules: append([]rule(nil), p.ruleList()...), spans: append([]span(nil), p.spanList()...)}
	sch.finish()
	return sch, nil
}

// parser is a hand-written recursive-descent reader over the bytes of the value. Rules and spans
// go to arrays inside the parser, spilling to the heap past them: a parser on the stack then
// reads a typical value without allocating (see Week). Slices of stack arrays stored through the
// receiver would escape to the heap.
type parser struct {
	s   string
	i   int
	rs  [inlineRules]rule
	nr  int
	rx  []rule // all the rules once they outgrow rs
	ss  [inlineSpans]span
	ns  int
	sx  []span // all the spans once they outgrow ss
	err perr
}

const (
	inlineRules = 6
	inlineSpans = 16
)

func (p *parser) nrules() int { return max(p.nr, len(p.rx)) }
func (p *parser) nspans() int { return max(p.ns, len(p.sx)) }

func (p *parser) addRule(r rule) {
	switch {
	case p.rx != nil:
		p.rx = append(p.rx, r)
	case p.nr < inlineRules:
		p.rs[p.nr] = r
		p.nr++
	default:
		p.rx = append(append(make([]rule, 0, 2*inlineRules), p.rs[:]...), r)
	}
}

func (p *parser) addSpan(sp span) {
	switch {
	case p.sx != nil:
		p.sx = append(p.sx, sp)
	case p.ns < inlineSpans:
		p.ss[p.ns] = sp
		p.ns++
	default:
		p.sx = append(append(make([]span, 0, 2*inlineSpans), p.ss[:]...), sp)
	}
}

func (p *parser) spanAt(k int) *span {
	if p.sx != nil {
		return &p.sx[k]
	}
	return &p.ss[k]
}

func (p *parser) ruleList() []rule {
	if p.rx != nil {
		return p.rx
	}
	return p.rs[:p.nr]
}

func (p *parser) spanList() []span {
	if p.sx != nil {
		return p.sx
	}
	return p.ss[:p.ns]
}

func (p *parser) fail(kind, pos int, tok string) bool {
	p.err = perr{kind: kind, pos: pos, tok: tok}
	return false
}

// run reads the whole value; false with p.err set when it cannot.
func (p *parser) run() bool {
	kind := kindNormal
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			break
		}
		if p.s[p.i] == ';' { // empty rule ("…; ;…" or a leading ";"): harmless
			p.i++
			kind = kindNormal
			continue
		}
		if p.nrules() >= maxRules {
			return p.fail(errTooManyRules, p.i, "")
		}
		if !p.rule(kind) {
			return false
		}
		p.skipSpace()
		if p.i >= len(p.s) {
			break
		}
		switch {
		case strings.HasPrefix(p.s[p.i:], "||"):
			p.i += 2
			kind = kindFallback
		case p.s[p.i] == ';':
			p.i++
			kind = kindNormal
		case p.s[p.i] == ',':
			p.i++
			kind = kindAdditional
		default:
			return p.unexpected(p.i)
		}
	}
	if p.nrules() == 0 {
		return p.fail(errEmpty, 0, "")
	}
	return true
}

// rule reads one rule and appends it.
func (p *parser) rule(kind uint8) bool {
	r := rule{kind: kind, months: allMonths, weeks: allWeeks, spanLo: uint16(p.nspans())}
	start := p.i
	if strings.HasPrefix(p.s[p.i:], "24/7") {
		p.i += 4
		p.addSpan(span{from: 0, to: dayMin})
		r.times = true
	} else if !p.wide(&r) || !p.weekdays(&r) || !p.times(&r) {
		return false
	}
	if !p.modifier(&r) {
		return false
	}
	if p.i == start {
		return p.unexpected(p.i)
	}
	p.skipSpace()
	if p.i < len(p.s) {
		c := p.s[p.i]
		if c != ';' && c != ',' && !strings.HasPrefix(p.s[p.i:], "||") {
			return p.unexpected(p.i)
		}
	}
	if r.nparts == 0 {
		r.parts[0], r.nparts = everyDay, 1
	}
	r.spanHi = uint16(p.nspans())
	if !r.explicitState {
		// A comment alone ("Sa "sur rendez-vous"") says the day is conditional: unknown, as the
		// reference implementations read it. With hours it qualifies them ("Mo 14:00-17:00 "sur
		// rendez-vous""): data·inclusion producers write the hours, then the condition, and the
		// place does receive people then, so those hours stay open.
		if r.comment != "" && !r.times {
			r.state = stateUnknown
		} else {
			r.state = stateOpen
		}
	}
	if r.comment != "" {
		for k := int(r.spanLo); k < p.nspans(); k++ {
			p.spanAt(k).cmt = uint8(p.nrules() + 1)
		}
	}
	p.addRule(r)
	return true
}

// wide reads the selectors that restrict a rule to parts of the year: months and week numbers.
func (p *parser) wide(r *rule) bool {
	had := false
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return true
		}
		if isDigit(p.s[p.i]) {
			j := p.digitsEnd(p.i)
			if j-p.i == 4 && (j >= len(p.s) || p.s[j] != ':') {
				return p.fail(errYear, p.i, p.s[p.i:j])
			}
			break
		}
		w := p.word()
		if m := monthIndex(w); m >= 0 {
			if r.months != allMonths {
				return p.unexpected(p.i)
			}
			if !p.monthSel(r) {
				return false
			}
			had = true
			continue
		}
		if strings.EqualFold(w, "week") {
			if r.weeks != allWeeks {
				return p.unexpected(p.i)
			}
			if !p.weekSel(r) {
				return false
			}
			had = true
			continue
		}
		if strings.EqualFold(w, "easter") {
			return p.fail(errEaster, p.i, w)
		}
		break
	}
	if had {
		p.optionalColon()
	}
	return true
}

// optionalColon skips the ":" some writers put after a selector ("Jan-Jun: Mo-Fr …").
func (p *parser) optionalColon() {
	save := p.i
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == ':' && (p.i+1 >= len(p.s) || !isDigit(p.s[p.i+1])) {
		p.i++
		return
	}
	p.i = save
}

// dateFollows reports whether a day of the month follows a month name ("Dec 25"), which this
// package does not read; a time ("Jan 10:00") is not one.
func (p *parser) dateFollows() (int, bool) {
	j := p.i
	for j < len(p.s) && p.s[j] == ' ' {
		j++
	}
	if j < len(p.s) && isDigit(p.s[j]) {
		k := p.digitsEnd(j)
		if k >= len(p.s) || p.s[k] != ':' {
			return k, true
		}
	}
	return 0, false
}

func (p *parser) monthSel(r *rule) bool {
	var mask uint16
	for {
		at := p.i
		m1 := monthIndex(p.word())
		p.i += 3
		if end, ok := p.dateFollows(); ok {
			return p.fail(errDate, at, p.s[at:end])
		}
		m2 := m1
		save := p.i
		p.skipSpace()
		if p.dash() {
			p.skipSpace()
			at2 := p.i
			w := p.word()
			if m2 = monthIndex(w); m2 < 0 {
				return p.unexpected(at2)
			}
			p.i += 3
			if end, ok := p.dateFollows(); ok {
				return p.fail(errDate, at2, p.s[at2:end])
			}
		} else {
			p.i = save
		}
		for m := m1; ; m = (m + 1) % 12 {
			mask |= 1 << m
			if m == m2 {
				break
			}
		}
		save = p.i
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			p.skipSpace()
			if monthIndex(p.word()) >= 0 {
				continue
			}
		}
		p.i = save
		break
	}
	r.months = mask
	return true
}

func (p *parser) weekSel(r *rule) bool {
	p.i += len("week")
	var mask uint64
	for {
		p.skipSpace()
		at := p.i
		n1, ok := p.number()
		if !ok || n1 < 1 || n1 > 53 {
			return p.fail(errBadWeek, at, p.token(at))
		}
		n2, step := n1, 1
		save := p.i
		p.skipSpace()
		if p.dash() {
			p.skipSpace()
			at2 := p.i
			if n2, ok = p.number(); !ok || n2 < n1 || n2 > 53 {
				return p.fail(errBadWeek, at2, p.token(at2))
			}
			if p.i < len(p.s) && p.s[p.i] == '/' {
				p.i++
				at3 := p.i
				if step, ok = p.number(); !ok || step < 1 {
					return p.fail(errBadWeek, at3, p.token(at3))
				}
			}
		} else {
			p.i = save
		}
		for w := n1; w <= n2; w += step {
			mask |= 1 << (w - 1)
		}
		save = p.i
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			p.skipSpace()
			if p.i < len(p.s) && isDigit(p.s[p.i]) {
				if k := p.digitsEnd(p.i); k >= len(p.s) || p.s[k] != ':' {
					continue
				}
			}
		}
		p.i = save
		break
	}
	r.weeks = mask
	return true
}

// weekdays reads the day selector: weekdays, ranges (wrapping: "Sa-Mo"), nth weekdays
// ("Sa[1]", "Th[1,3]", "Su[-1]") and holidays ("PH", "SH"), with "," for a union and a space
// between holidays and weekdays for an intersection ("SH Mo-Fr": school holidays, Monday to
// Friday). No selector leaves the rule's parts empty (every day).
func (p *parser) weekdays(r *rule) bool {
	p.skipSpace()
	var wd [7]uint16
	var hol uint8
	haveWd, inter, n := false, false, 0
	for {
		at := p.i
		w := p.word()
		if h := holidayBit(w); h != 0 {
			if inter {
				return p.unexpected(at)
			}
			hol |= h
			p.i += 2
			if end, ok := p.offsetFollows(); ok {
				return p.fail(errOffset, at, p.s[at:end])
			}
		} else if d := dayIndex(w); d >= 0 {
			p.i += 2
			if p.i < len(p.s) && p.s[p.i] == '[' {
				mask, ok := p.nth()
				if !ok {
					return false
				}
				if end, ok := p.offsetFollows(); ok {
					return p.fail(errOffset, at, p.s[at:end])
				}
				wd[d] |= mask
			} else {
				save := p.i
				p.skipSpace()
				if p.dash() {
					p.skipSpace()
					at2 := p.i
					d2 := dayIndex(p.word())
					if d2 < 0 {
						return p.unexpectedDay(at2)
					}
					p.i += 2
					if p.i < len(p.s) && p.s[p.i] == '[' {
						return p.unexpected(p.i)
					}
					for k := d; ; k = (k + 1) % 7 {
						wd[k] = allNth
						if k == d2 {
							break
						}
					}
				} else {
					p.i = save
					wd[d] = allNth
				}
			}
			haveWd = true
		} else {
			if n == 0 {
				return true
			}
			return p.unexpectedDay(at)
		}
		n++
		save := p.i
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			p.skipSpace()
			if w := p.word(); holidayBit(w) != 0 || dayIndex(w) >= 0 {
				continue
			}
			p.i = save
			break
		}
		if hol != 0 && !haveWd && p.i > save && dayIndex(p.word()) >= 0 {
			inter = true
			continue
		}
		p.i = save
		break
	}
	switch {
	case inter:
		r.parts[0], r.nparts = daySel{hol: hol, wd: wd}, 1
	case hol != 0 && haveWd: // ordinary days first: French then tells the holidays after them
		r.parts[0] = daySel{wd: wd}
		r.parts[1] = daySel{hol: hol, wd: everyDay.wd}
		r.nparts = 2
	case hol != 0:
		r.parts[0], r.nparts = daySel{hol: hol, wd: everyDay.wd}, 1
	default:
		r.parts[0], r.nparts = daySel{wd: wd}, 1
	}
	p.optionalColon()
	return true
}

// nth reads "[1]", "[1,3]", "[2-3]", "[-1]" after a weekday.
func (p *parser) nth() (uint16, bool) {
	open := p.i
	p.i++ // '['
	var mask uint16
	for {
		p.skipSpace()
		at := p.i
		neg := p.dash()
		n, ok := p.number()
		if !ok || n < 1 || n > 5 {
			return 0, p.fail(errBadNth, at, p.bracketToken(open))
		}
		if neg {
			mask |= nthNeg(n)
		} else {
			save := p.i
			p.skipSpace()
			if p.dash() {
				p.skipSpace()
				n2, ok := p.number()
				if !ok || n2 < n || n2 > 5 {
					return 0, p.fail(errBadNth, at, p.bracketToken(open))
				}
				for k := n; k <= n2; k++ {
					mask |= nthPos(k)
				}
			} else {
				p.i = save
				mask |= nthPos(n)
			}
		}
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return mask, true
		}
		return 0, p.fail(errBadNth, open, p.bracketToken(open))
	}
}

// bracketToken is the text from '[' to the matching ']' (or the end) for a message.
func (p *parser) bracketToken(open int) string {
	j := strings.IndexByte(p.s[open:], ']')
	if j < 0 {
		return p.s[open:]
	}
	return p.s[open : open+j+1]
}

// offsetFollows reports a day offset ("PH +1 day", "Sa[1] -2 days"), which is not read.
func (p *parser) offsetFollows() (int, bool) {
	j := p.i
	for j < len(p.s) && p.s[j] == ' ' {
		j++
	}
	if j >= len(p.s) || (p.s[j] != '+' && p.s[j] != '-') {
		return 0, false
	}
	j++
	for j < len(p.s) && p.s[j] == ' ' {
		j++
	}
	if j >= len(p.s) || !isDigit(p.s[j]) {
		return 0, false
	}
	j = p.digitsEnd(j)
	for j < len(p.s) && p.s[j] == ' ' {
		j++
	}
	k := j
	for k < len(p.s) && isLetter(p.s[k]) {
		k++
	}
	if w := p.s[j:k]; strings.EqualFold(w, "day") || strings.EqualFold(w, "days") {
		return k, true
	}
	return 0, false
}

// times reads the time selector: "09:00-12:00,14:00-17:30", "18:00+", "22:00-02:00".
func (p *parser) times(r *rule) bool {
	p.skipSpace()
	if p.i >= len(p.s) {
		return true
	}
	if !isDigit(p.s[p.i]) {
		if isVariableTime(p.word()) || p.s[p.i] == '(' {
			return p.fail(errVariableTime, p.i, p.token(p.i))
		}
		return true
	}
	for {
		at := p.i
		from, ok := p.clock(dayMin)
		if !ok {
			return p.fail(errBadTime, at, p.token(at))
		}
		sp := span{from: int16(from)}
		if p.i < len(p.s) && p.s[p.i] == '+' {
			p.i++
			sp.flags = spanNoEnd
			sp.to = dayMin
			if from >= dayMin {
				sp.to = int16(from + 60)
			}
		} else {
			save := p.i
			p.skipSpace()
			if !p.dash() {
				p.i = save
				return p.fail(errTimeRange, at, p.s[at:p.i])
			}
			p.skipSpace()
			at2 := p.i
			if p.i >= len(p.s) {
				return p.fail(errEndOfValue, p.i, "")
			}
			if isVariableTime(p.word()) || p.s[p.i] == '(' {
				return p.fail(errVariableTime, at2, p.token(at2))
			}
			to, ok := p.clock(maxMin)
			if !ok {
				return p.fail(errBadTime, at2, p.token(at2))
			}
			if p.i < len(p.s) && p.s[p.i] == '/' {
				end := p.i + 1
				for end < len(p.s) && (isDigit(p.s[end]) || p.s[end] == ':') {
					end++
				}
				return p.fail(errPeriod, at, p.s[at:end])
			}
			if p.i < len(p.s) && p.s[p.i] == '+' {
				p.i++
				sp.flags = spanOpenEnd
			}
			if to <= from && to <= dayMin {
				to += dayMin // past midnight: "22:00-02:00"; "10:00-10:00" is 24 hours
			}
			if to <= from {
				return p.fail(errTimeRange, at, p.s[at:p.i])
			}
			sp.to = int16(to)
		}
		if p.nspans()-int(r.spanLo) >= maxSpans {
			return p.fail(errTooManySpans, at, "")
		}
		p.addSpan(sp)
		r.times = true
		save := p.i
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			p.skipSpace()
			if p.i < len(p.s) && isDigit(p.s[p.i]) {
				continue
			}
			p.i = save
			break
		}
		// "09:00-12:00 14:00-17:00": a forgotten comma between two spans cannot mean anything
		// else, so it is read as one.
		if p.i > save && p.i < len(p.s) && isDigit(p.s[p.i]) {
			if k := p.digitsEnd(p.i); k < len(p.s) && p.s[k] == ':' {
				continue
			}
		}
		p.i = save
		break
	}
	return true
}

// clock reads "9:00" or "09:00" and returns minutes, at most max.
func (p *parser) clock(max int) (int, bool) {
	j := p.i
	h := 0
	for j < len(p.s) && isDigit(p.s[j]) && j-p.i < 3 {
		h = h*10 + int(p.s[j]-'0')
		j++
	}
	if j == p.i || j-p.i > 2 || j+2 >= len(p.s) || p.s[j] != ':' ||
		!isDigit(p.s[j+1]) || !isDigit(p.s[j+2]) {
		return 0, false
	}
	m := int(p.s[j+1]-'0')*10 + int(p.s[j+2]-'0')
	j += 3
	if j < len(p.s) && isDigit(p.s[j]) {
		return 0, false
	}
	t := h*60 + m
	if m >= 60 || t > max {
		return 0, false
	}
	p.i = j
	return t, true
}

// modifier reads the state ("open", "closed", "off", "unknown") and the comment, in either order.
func (p *parser) modifier(r *rule) bool {
	for k := 0; k < 2; k++ {
		p.skipSpace()
		if p.i >= len(p.s) {
			return true
		}
		if p.s[p.i] == '"' {
			if r.comment != "" {
				return p.unexpected(p.i)
			}
			j := strings.IndexByte(p.s[p.i+1:], '"')
			if j < 0 {
				return p.fail(errUnclosedComment, p.i, "")
			}
			r.comment = strings.TrimSpace(p.s[p.i+1 : p.i+1+j])
			p.i += j + 2
			continue
		}
		w := p.word()
		var st uint8
		switch {
		case strings.EqualFold(w, "open"):
			st = stateOpen
		case strings.EqualFold(w, "closed"), strings.EqualFold(w, "off"):
			st = stateClosed
		case strings.EqualFold(w, "unknown"):
			st = stateUnknown
		default:
			return true
		}
		if r.explicitState {
			return p.unexpected(p.i)
		}
		r.state, r.explicitState = st, true
		p.i += len(w)
	}
	return true
}

// unexpected fails on whatever starts at pos, naming it as precisely as it can.
func (p *parser) unexpected(pos int) bool {
	if pos >= len(p.s) {
		return p.fail(errEndOfValue, pos, "")
	}
	tok := p.token(pos)
	c := p.s[pos]
	if isLetter(c) || c >= utf8.RuneSelf {
		lw := strings.ToLower(tok)
		switch {
		case isVariableTime(tok):
			return p.fail(errVariableTime, pos, tok)
		case lw == "easter":
			return p.fail(errEaster, pos, tok)
		case dayIndex(tok) >= 0 || holidayBit(tok) != 0 || monthIndex(tok) >= 0 || isKeyword(lw):
			return p.fail(errMisplaced, pos, tok) // a known word in the wrong place
		case looksLikeDay(lw):
			return p.fail(errUnknownDay, pos, tok)
		case looksLikeMonth(lw):
			return p.fail(errUnknownMonth, pos, tok)
		}
		return p.fail(errUnknownWord, pos, tok)
	}
	if isDigit(c) && len(tok) > 1 && !allDigits(tok) {
		return p.fail(errBadTime, pos, tok)
	}
	return p.fail(errUnexpected, pos, tok)
}

// unexpectedDay fails where a weekday was expected.
func (p *parser) unexpectedDay(pos int) bool {
	if pos >= len(p.s) {
		return p.fail(errEndOfValue, pos, "")
	}
	if c := p.s[pos]; isLetter(c) || c >= utf8.RuneSelf {
		tok := p.token(pos)
		if strings.EqualFold(tok, "easter") || isVariableTime(tok) {
			return p.unexpected(pos)
		}
		return p.fail(errUnknownDay, pos, tok)
	}
	return p.unexpected(pos)
}

// token returns the word, number or character at pos, for a message.
func (p *parser) token(pos int) string {
	if pos >= len(p.s) {
		return ""
	}
	c := p.s[pos]
	j := pos
	switch {
	case isLetter(c) || c >= utf8.RuneSelf:
		for j < len(p.s) {
			r, n := utf8.DecodeRuneInString(p.s[j:])
			if !(r < utf8.RuneSelf && isLetter(byte(r))) && !(r >= utf8.RuneSelf && isWordRune(r)) {
				break
			}
			j += n
		}
		if j == pos { // a lone non-letter rune (e.g. an unexpected symbol)
			_, n := utf8.DecodeRuneInString(p.s[pos:])
			j = pos + n
		}
	case isDigit(c):
		for j < len(p.s) && (isDigit(p.s[j]) || isLetter(p.s[j]) || p.s[j] == ':' || p.s[j] == '.') {
			j++
		}
	default:
		_, n := utf8.DecodeRuneInString(p.s[pos:])
		j = pos + n
	}
	return p.s[pos:j]
}

func (p *parser) skipSpace() {
	for p.i < len(p.s) {
		switch c := p.s[p.i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.i++
		case c == 0xC2 && p.i+1 < len(p.s) && p.s[p.i+1] == 0xA0: // no-break space
			p.i += 2
		case c == 0xE2 && strings.HasPrefix(p.s[p.i:], "\u202f"): // narrow no-break space
			p.i += 3
		default:
			return
		}
	}
}

// dash consumes a hyphen or an en dash (word processors turn one into the other).
func (p *parser) dash() bool {
	if p.i < len(p.s) && p.s[p.i] == '-' {
		p.i++
		return true
	}
	if strings.HasPrefix(p.s[p.i:], "–") {
		p.i += len("–")
		return true
	}
	return false
}

// word returns the ASCII letters at the cursor without consuming them.
func (p *parser) word() string {
	j := p.i
	for j < len(p.s) && isLetter(p.s[j]) {
		j++
	}
	if j < len(p.s) && p.s[j] >= utf8.RuneSelf { // "Fermé" is not a keyword, "Mo–Fr" has one
		if r, _ := utf8.DecodeRuneInString(p.s[j:]); unicode.IsLetter(r) {
			return ""
		}
	}
	return p.s[p.i:j]
}

func (p *parser) digitsEnd(j int) int {
	for j < len(p.s) && isDigit(p.s[j]) {
		j++
	}
	return j
}

// number reads up to 3 digits.
func (p *parser) number() (int, bool) {
	j := p.digitsEnd(p.i)
	if j == p.i || j-p.i > 3 {
		return 0, false
	}
	n := 0
	for k := p.i; k < j; k++ {
		n = n*10 + int(p.s[k]-'0')
	}
	p.i = j
	return n, true
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }
func isWordRune(r rune) bool {
	return r != 0xA0 && r != 0x202F && r != '–' && r != utf8.RuneError && r > 0xBF
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// dayIndex returns 0 (Mo) … 6 (Su) for a two-letter weekday in any case, else -1.
func dayIndex(w string) int {
	if len(w) != 2 {
		return -1
	}
	switch key2(w) {
	case 'm'<<8 | 'o':
		return 0
	case 't'<<8 | 'u':
		return 1
	case 'w'<<8 | 'e':
		return 2
	case 't'<<8 | 'h':
		return 3
	case 'f'<<8 | 'r':
		return 4
	case 's'<<8 | 'a':
		return 5
	case 's'<<8 | 'u':
		return 6
	}
	return -1
}

func holidayBit(w string) uint8 {
	if len(w) != 2 {
		return 0
	}
	switch key2(w) {
	case 'p'<<8 | 'h':
		return holPH
	case 's'<<8 | 'h':
		return holSH
	}
	return 0
}

// key2 packs a two-letter word, lower-cased, for a switch without allocating.
func key2(w string) uint16 { return uint16(lower(w[0]))<<8 | uint16(lower(w[1])) }

var monthAbbr = [12]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// monthIndex returns 0 (Jan) … 11 (Dec) for a three-letter month in any case, else -1.
func monthIndex(w string) int {
	if len(w) != 3 {
		return -1
	}
	for i, m := range monthAbbr {
		if strings.EqualFold(w, m) {
			return i
		}
	}
	return -1
}

func isKeyword(lw string) bool {
	switch lw {
	case "week", "open", "closed", "off", "unknown":
		return true
	}
	return false
}

func isVariableTime(w string) bool {
	for _, v := range [...]string{"sunrise", "sunset", "dawn", "dusk"} {
		if strings.EqualFold(w, v) {
			return true
		}
	}
	return false
}

// looksLikeDay recognises what writers put for a weekday in other conventions, to name the error.
func looksLikeDay(lw string) bool {
	switch lw {
	case "lu", "ma", "me", "je", "ve", "di", "lun", "mar", "mer", "jeu", "ven", "sam", "dim",
		"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
		"mon", "tue", "wed", "thu", "fri", "sat", "sun",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday":
		return true
	}
	return false
}

func looksLikeMonth(lw string) bool {
	switch lw {
	case "janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout",
		"septembre", "octobre", "novembre", "décembre", "decembre", "janv", "févr", "fevr", "avr",
		"juil", "sept", "déc", "january", "february", "march", "april", "june", "july", "august",
		"september", "october", "november", "december":
		return true
	}
	return false
}
