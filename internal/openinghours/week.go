// Package openinghours reads OpenStreetMap opening_hours values (the format of data·inclusion's
// horaires_accueil): which weekdays a place is open, and the hours as plain French sentences.
//
// A value is read into rules, then evaluated per weekday over every "context" the rules can tell
// apart: month, week number, rank of the weekday in the month (first, …, last), school holidays
// and public holidays. Week summarises an ordinary week; French describes the rules. Whatever
// the package does not understand is refused by Parse, never guessed.
package openinghours

import "github.com/edas92/passerelle/internal/domain"

// contexts lists one representative of each class of dates the rules can tell apart. Months and
// week numbers are grouped by the set of rules that name them, so a value without month or week
// selectors is evaluated once per weekday, not 12 × 53 times. The dimensions are taken as
// independent (a week number is not tied to its months), which can only make a day look
// DaySometimes when month and week selectors together happen to cover the whole year.
type contexts struct {
	months  [12]uint8
	weeks   [53]uint8
	nMonths uint8
	nWeeks  uint8
	nthUsed bool // some rule names an nth weekday ("Sa[1]")
	sh, ph  bool // some rule names school holidays / public holidays
}

// ctx is one context: a weekday falling in this month, week number, nth-of-month context
// (see nthPos), and during school holidays and/or on a public holiday or not.
type ctx struct {
	month, week, nth uint8
	sh, ph           bool
}

func (r *rule) matches(day int, c ctx) bool {
	if r.months>>c.month&1 == 0 || r.weeks>>c.week&1 == 0 {
		return false
	}
	for k := 0; k < int(r.nparts); k++ {
		pt := &r.parts[k]
		if pt.wd[day]>>c.nth&1 == 0 {
			continue
		}
		if pt.hol == 0 || (pt.hol&holPH != 0 && c.ph) || (pt.hol&holSH != 0 && c.sh) {
			return true
		}
	}
	return false
}

// finish computes what evaluation needs once the rules are read.
func (s *Schedule) finish() {
	s.defaultUnknown = true
	monthsUsed, weeksUsed := false, false
	for i := range s.rules {
		r := &s.rules[i]
		monthsUsed = monthsUsed || r.months != allMonths
		weeksUsed = weeksUsed || r.weeks != allWeeks
		for k := 0; k < int(r.nparts); k++ {
			pt := &r.parts[k]
			s.ctxs.ph = s.ctxs.ph || pt.hol&holPH != 0
			s.ctxs.sh = s.ctxs.sh || pt.hol&holSH != 0
			for _, m := range pt.wd {
				if m != 0 && m != allNth {
					s.ctxs.nthUsed = true
				}
			}
			if pt.hol == 0 && r.state == stateOpen {
				s.defaultUnknown = false
			}
		}
	}
	// Hours matter to a day's state only when an additional rule cuts some out ("Mo 08:00-18:00,
	// Mo 12:00-13:00 off") or when a day could hold more spans than an outcome keeps.
	s.statesOnly = len(s.spans)+len(s.rules) <= maxSpans
	for i := range s.rules {
		if r := &s.rules[i]; r.kind == kindAdditional && r.state == stateClosed && r.times {
			s.statesOnly = false
		}
	}
	s.ctxs.nMonths = 1
	if monthsUsed {
		s.ctxs.nMonths = uint8(s.classes(s.ctxs.months[:], false))
	}
	s.ctxs.nWeeks = 1
	if weeksUsed {
		s.ctxs.nWeeks = uint8(s.classes(s.ctxs.weeks[:], true))
	}
}

// classes fills reps with one value per class of months (or of weeks) that every rule treats
// alike, and returns how many.
func (s *Schedule) classes(reps []uint8, weeks bool) int {
	if len(s.rules) > 64 { // signatures below need one bit per rule: keep every value
		for v := range reps {
			reps[v] = uint8(v)
		}
		return len(reps)
	}
	var sigs [53]uint64
	n := 0
next:
	for v := range reps {
		var sig uint64
		for i := range s.rules {
			r := &s.rules[i]
			if (!weeks && r.months>>v&1 != 0) || (weeks && r.weeks>>v&1 != 0) {
				sig |= 1 << i
			}
		}
		for k := 0; k < n; k++ {
			if sigs[k] == sig {
				continue next
			}
		}
		sigs[n], reps[n] = sig, uint8(v)
		n++
	}
	return n
}

// each calls fn for every context; withPH also visits public holidays (Week describes ordinary
// days and leaves them out). It stops when fn returns false.
func (s *Schedule) each(withPH bool, fn func(c ctx) bool) bool {
	nth, sh, ph := 1, 1, 1
	if s.ctxs.nthUsed {
		nth = 9
	}
	if s.ctxs.sh {
		sh = 2
	}
	if withPH && s.ctxs.ph {
		ph = 2
	}
	for mi := 0; mi < int(s.ctxs.nMonths); mi++ {
		for wi := 0; wi < int(s.ctxs.nWeeks); wi++ {
			for n := 0; n < nth; n++ {
				for h := 0; h < sh; h++ {
					for p := 0; p < ph; p++ {
						c := ctx{month: s.ctxs.months[mi], week: s.ctxs.weeks[wi], nth: uint8(n), sh: h == 1, ph: p == 1}
						if !fn(c) {
							return false
						}
					}
				}
			}
		}
	}
	return true
}

// outcome is what the rules say of one day in one context: the spans open (or unknown), sorted,
// and a comment on the day as a whole (a closing rule's comment).
type outcome struct {
	n    uint8
	over bool  // the rules cut the day into more than maxSpans spans: not kept, so unknown
	cmt  uint8 // see span.cmt
	sp   [maxSpans]span
}

// eval applies the rules to one day in one context; matched is false when no rule applies.
func (s *Schedule) eval(day int, c ctx, o *outcome) (matched bool) {
	*o = outcome{}
	for i := range s.rules {
		r := &s.rules[i]
		if !r.matches(day, c) {
			continue
		}
		switch r.kind {
		case kindFallback:
			if matched {
				continue
			}
			s.set(i, o)
		case kindAdditional:
			s.add(i, o)
		default:
			s.set(i, o)
		}
		matched = true
	}
	return matched
}

// set makes o what rule i alone says of a day it applies to.
func (s *Schedule) set(i int, o *outcome) {
	r := &s.rules[i]
	*o = outcome{}
	if r.state == stateClosed {
		if r.comment != "" {
			o.cmt = uint8(i + 1)
		}
		return
	}
	var flags uint8
	if r.state == stateUnknown {
		flags = spanUnknown
	}
	if !r.times {
		sp := span{from: 0, to: dayMin, flags: spanImplicit | flags}
		if r.comment != "" {
			sp.cmt = uint8(i + 1)
		}
		o.sp[0], o.n = sp, 1
		return
	}
	for _, sp := range s.spans[r.spanLo:r.spanHi] {
		sp.flags |= flags
		insertSpan(o, sp)
	}
}

// add applies an additional rule (after ","): its spans are added to the day, or for a closing
// rule cut out of it.
func (s *Schedule) add(i int, o *outcome) {
	r := &s.rules[i]
	if r.state != stateClosed {
		var x outcome
		s.set(i, &x)
		for _, sp := range x.sp[:x.n] {
			insertSpan(o, sp)
		}
		return
	}
	if !r.times {
		o.n, o.sp, o.over = 0, [maxSpans]span{}, false
	} else {
		for _, cut := range s.spans[r.spanLo:r.spanHi] {
			subtractSpan(o, cut.from, cut.to)
		}
	}
	if r.comment != "" {
		o.cmt = uint8(i + 1)
	}
}

// insertSpan adds sp to the sorted spans of o, merging it with the spans of the same kind (flags
// and comment) that it overlaps or touches.
func insertSpan(o *outcome, sp span) {
	for k := 0; k < int(o.n); {
		y := o.sp[k]
		if y.flags == sp.flags && y.cmt == sp.cmt && sp.from <= y.to && y.from <= sp.to {
			sp.from, sp.to = min(y.from, sp.from), max(y.to, sp.to)
			removeSpan(o, k)
			continue
		}
		k++
	}
	if int(o.n) == maxSpans {
		o.over = true
		return
	}
	k := int(o.n)
	for k > 0 && (o.sp[k-1].from > sp.from || (o.sp[k-1].from == sp.from && o.sp[k-1].to > sp.to)) {
		o.sp[k] = o.sp[k-1]
		k--
	}
	o.sp[k] = sp
	o.n++
}

func removeSpan(o *outcome, j int) {
	copy(o.sp[j:o.n], o.sp[j+1:o.n])
	o.n--
	o.sp[o.n] = span{}
}

// subtractSpan cuts [from, to) out of the spans of o.
func subtractSpan(o *outcome, from, to int16) {
	var out outcome
	out.cmt, out.over = o.cmt, o.over
	for _, y := range o.sp[:o.n] {
		if y.to <= from || to <= y.from {
			out.push(y)
			continue
		}
		if y.from < from {
			l := y
			l.to = from
			l.flags &^= spanOpenEnd | spanNoEnd | spanImplicit // it now ends where the cut starts
			out.push(l)
		}
		if to < y.to {
			r := y
			r.from = to
			r.flags &^= spanImplicit
			out.push(r)
		}
	}
	*o = out
}

func (o *outcome) push(sp span) {
	if int(o.n) == maxSpans {
		o.over = true
		return
	}
	o.sp[o.n] = sp
	o.n++
}

// evalState is eval reduced to the day's state, for schedules where that is all the same
// (statesOnly): a normal or fallback rule sets its own state, an additional rule adds its state
// to the day's (open wins over unknown, unknown over closed) or, when closing, closes it.
func (s *Schedule) evalState(day int, c ctx) uint8 {
	st, matched := dsClosed, false
	for i := range s.rules {
		r := &s.rules[i]
		if !r.matches(day, c) {
			continue
		}
		rs := dsOpen
		switch r.state {
		case stateClosed:
			rs = dsClosed
		case stateUnknown:
			rs = dsUnknown
		}
		switch r.kind {
		case kindFallback:
			if matched {
				continue
			}
			st = rs
		case kindAdditional:
			if rs == dsClosed || st != dsOpen {
				st = rs
			}
		default:
			st = rs
		}
		matched = true
	}
	if !matched && s.defaultUnknown {
		return dsUnknown
	}
	return st
}

// state returns the state of a day in a context.
func (s *Schedule) state(day int, c ctx, o *outcome) uint8 {
	if s.statesOnly {
		return s.evalState(day, c)
	}
	return s.dayState(o, s.eval(day, c, o))
}

// Day states of one context, before they are summed up over a week.
const (
	dsClosed uint8 = iota
	dsOpen
	dsUnknown
)

func (s *Schedule) dayState(o *outcome, matched bool) uint8 {
	if !matched {
		if s.defaultUnknown {
			return dsUnknown
		}
		return dsClosed
	}
	st := dsClosed
	for _, sp := range o.sp[:o.n] {
		if sp.flags&spanUnknown == 0 {
			return dsOpen // spans kept are right even when others were dropped
		}
		st = dsUnknown
	}
	if o.over {
		return dsUnknown
	}
	return st
}

var unknownWeek = [7]string{
	domain.DayUnknown, domain.DayUnknown, domain.DayUnknown, domain.DayUnknown,
	domain.DayUnknown, domain.DayUnknown, domain.DayUnknown,
}

// Week returns, for Monday (index 0) to Sunday (index 6), whether a place with these opening
// hours is open that weekday in an ordinary week: domain.DayOpen, DayClosed, DaySometimes (only
// some weeks of the month, some months, some week numbers) or DayUnknown (no hours, hours that
// cannot be read, or days the value leaves undecided). It reads the value without allocating:
// it is called for every service at index time.
func Week(hours string) [7]string {
	var p parser
	p.s = hours
	if !p.run() {
		return unknownWeek
	}
	s := Schedule{rules: p.ruleList(), spans: p.spanList()}
	s.finish()
	return s.Week()
}

// Week returns, for Monday (index 0) to Sunday (index 6), the state of each weekday in an
// ordinary week (see the package function Week).
//
// A day is DayOpen when it is open in every context (month, week, rank in the month),
// DayClosed when closed in every one, DaySometimes when open in some only (or open in some and
// undecided in others), and DayUnknown otherwise. Public holidays are exceptions, not the
// ordinary week, and are left out. So are school holidays, except that a day open only during
// school holidays is DaySometimes rather than closed.
func (s *Schedule) Week() [7]string {
	if s == nil || len(s.rules) == 0 {
		return unknownWeek
	}
	var w [7]string
	var o outcome
	nth, sh := 1, 1
	if s.ctxs.nthUsed {
		nth = 9
	}
	if s.ctxs.sh {
		sh = 2
	}
	for d := 0; d < 7; d++ {
		var seen [3]bool // by day state, in ordinary weeks
		shOpen := false
		// Plain loops rather than s.each: this runs 700,000 times when indexing a directory.
		for mi := 0; mi < int(s.ctxs.nMonths); mi++ {
			for wi := 0; wi < int(s.ctxs.nWeeks); wi++ {
				for n := 0; n < nth; n++ {
					for h := 0; h < sh; h++ {
						c := ctx{month: s.ctxs.months[mi], week: s.ctxs.weeks[wi], nth: uint8(n), sh: h == 1}
						st := s.state(d, c, &o)
						if h == 1 {
							shOpen = shOpen || st == dsOpen
						} else {
							seen[st] = true
						}
					}
				}
			}
		}
		switch {
		case seen[dsOpen] && (seen[dsClosed] || seen[dsUnknown]):
			w[d] = domain.DaySometimes
		case seen[dsOpen]:
			w[d] = domain.DayOpen
		case shOpen:
			w[d] = domain.DaySometimes // open during school holidays only
		case seen[dsUnknown]:
			w[d] = domain.DayUnknown
		default:
			w[d] = domain.DayClosed
		}
	}
	return w
}
