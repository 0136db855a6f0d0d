package search

import (
	"slices"
	"strings"
)

// dictionary holds every distinct word (term) of the indexed fields with its postings, and the
// terms in sorted order: a prefix is a range of it, and the typo search walks it as a trie.
type dictionary struct {
	ids      map[string]int32
	strs     []string   // by term id
	postings [][]uint32 // by term id: slot<<fieldBits | field mask, slots ascending
	sorted   []string   // terms in byte order
	sortedID []int32    // their ids
	building bool       // terms are sorted and postings laid out once, at the end of a build
	pending  []uint64   // while building: term id<<32 | posting, in slot order
}

// add appends a posting to a term's list (slots only grow, so lists stay in slot order).
func (d *dictionary) add(term int32, posting uint32) {
	if d.building {
		d.pending = append(d.pending, uint64(term)<<32|uint64(posting))
		return
	}
	d.postings[term] = append(d.postings[term], posting)
}

func newDictionary() dictionary { return dictionary{ids: map[string]int32{}} }

// id returns the id of a term, adding it when new.
func (d *dictionary) id(t string) int32 {
	if id, ok := d.ids[t]; ok {
		return id
	}
	t = strings.Clone(t) // tokens may point into a larger folded text
	id := int32(len(d.strs))
	d.ids[t] = id
	d.strs = append(d.strs, t)
	d.postings = append(d.postings, nil)
	if !d.building {
		i, _ := slices.BinarySearch(d.sorted, t)
		d.sorted = slices.Insert(d.sorted, i, t)
		d.sortedID = slices.Insert(d.sortedID, i, id)
	}
	return id
}

// finish sorts the terms and packs the postings into one array (each term's slice is capped, so
// a later append in place copies that term's list out of it).
func (d *dictionary) finish() {
	d.building = false
	d.sortedID = make([]int32, len(d.strs))
	for i := range d.sortedID {
		d.sortedID[i] = int32(i)
	}
	slices.SortFunc(d.sortedID, func(a, b int32) int { return strings.Compare(d.strs[a], d.strs[b]) })
	d.sorted = make([]string, len(d.strs))
	for i, id := range d.sortedID {
		d.sorted[i] = d.strs[id]
	}
	// Lay the postings out term by term in one array (a counting sort, stable: slot order kept).
	start := make([]int, len(d.strs)+1)
	for _, p := range d.pending {
		start[p>>32+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	all := make([]uint32, len(d.pending))
	next := slices.Clone(start)
	for _, p := range d.pending {
		t := p >> 32
		all[next[t]] = uint32(p)
		next[t]++
	}
	d.pending = nil
	for id := range d.postings {
		d.postings[id] = all[start[id]:start[id+1]:start[id+1]]
	}
}

// prefixRange returns the range of sorted terms that start with p.
func (d *dictionary) prefixRange(p string) (lo, hi int) {
	lo, _ = slices.BinarySearch(d.sorted, p)
	// Folded text is UTF-8: no byte is 0xFF, so p+"\xff" sorts after every word starting with p.
	hi, _ = slices.BinarySearch(d.sorted[lo:], p+"\xff")
	return lo, lo + hi
}

// Match kinds, from the best. A token matches a term exactly, as its beginning (the user is
// still typing), or within a typo budget.
const (
	kindExact = iota
	kindPrefix
	kindTypo1 // one edit
	kindTypo2 // two edits
)

// kindQuality is how much a match of each kind is worth, in percent of the field's weight.
var kindQuality = [4]int32{100, 70, 45, 35}

// Token length thresholds (in bytes of folded text, which is letters of French text).
const (
	minPrefixLen = 2 // shorter tokens only match whole words
	minTypoLen   = 4 // 1 typo from 4 characters
	twoTyposLen  = 8 // 2 typos from 8
	maxTokens    = 16
)

// termMatch is one term a query token matches.
type termMatch struct {
	id   int32
	kind uint8
}

// matchTerms lists the terms a token matches and returns the sum of their postings (the cost of
// scanning them). The rule (see the package comment): exact; prefix for tokens of 2+ bytes; and
// for tokens of 4+ bytes that are not themselves a word of the dictionary, terms within
// Damerau–Levenshtein distance 1 (2 from 8 bytes) of the token or of one of the terms'
// beginnings, the first letter being right.
func (d *dictionary) matchTerms(tok string, sc *scratch, out []termMatch) ([]termMatch, int) {
	sc.nextTermGen(len(d.sorted))
	var ranges [][3]int // lo, hi, kind over sorted positions
	lo, hi := d.prefixRange(tok)
	exact := lo < hi && d.sorted[lo] == tok
	switch {
	case len(tok) >= minPrefixLen:
		ranges = append(ranges, [3]int{lo, hi, kindPrefix})
		if exact {
			ranges = append(ranges, [3]int{lo, lo + 1, kindExact})
		}
	case exact:
		ranges = append(ranges, [3]int{lo, lo + 1, kindExact})
	}
	if len(tok) >= minTypoLen && !exact {
		k := 1
		if len(tok) >= twoTyposLen {
			k = 2
		}
		ranges = d.typos(tok, k, sc, ranges)
	}
	cost := 0
	for _, r := range ranges {
		for pos := r[0]; pos < r[1]; pos++ {
			if sc.tstamp[pos] != sc.tgen {
				sc.tstamp[pos] = sc.tgen
				sc.tkind[pos] = uint8(r[2])
				sc.tpos = append(sc.tpos, int32(pos))
			} else if uint8(r[2]) < sc.tkind[pos] {
				sc.tkind[pos] = uint8(r[2])
			}
		}
	}
	for _, pos := range sc.tpos {
		id := d.sortedID[pos]
		out = append(out, termMatch{id: id, kind: sc.tkind[pos]})
		cost += len(d.postings[id])
	}
	return out, cost
}

// typos appends the ranges of sorted terms within k edits of tok, or having a beginning within k
// edits of it, with their kind. It walks the sorted terms as an implicit trie (the terms under a
// prefix are a contiguous range), keeping one row of the edit-distance table per depth and
// pruning a branch as soon as every cell of its row exceeds k. Branches whose beginning is the
// token itself are skipped: they are prefix matches.
func (d *dictionary) typos(tok string, k int, sc *scratch, ranges [][3]int) [][3]int {
	L := len(tok)
	maxDepth := L + k
	w := L + 1
	if need := (maxDepth + 2) * w; cap(sc.rows) < need {
		sc.rows = make([]int32, need)
	}
	rows := sc.rows[:(maxDepth+2)*w]
	for j := 0; j <= L; j++ {
		rows[j] = int32(j)
	}
	// The first letter must be right: only the branch of tok[0] is walked.
	lo, hi := d.prefixRange(tok[:1])
	if lo == hi {
		return ranges
	}
	t := &typoWalk{terms: d.sorted, tok: tok, k: int32(k), rows: rows, w: w, maxDepth: maxDepth, out: ranges}
	t.child(0, lo, hi, tok[0])
	return t.out
}

type typoWalk struct {
	terms    []string
	tok      string
	k        int32
	rows     []int32 // rows[d*w : (d+1)*w] is the row of a beginning of length d
	w        int
	maxDepth int
	out      [][3]int
}

// child computes the row of the beginning of length d+1 whose last byte is c (the terms of
// [lo, hi) share it), records a match and walks deeper when it can still match.
func (t *typoWalk) child(d, lo, hi int, c byte) {
	prev := t.rows[d*t.w : (d+1)*t.w]
	row := t.rows[(d+1)*t.w : (d+2)*t.w]
	row[0] = int32(d + 1)
	best := row[0]
	var pc byte // previous byte of the beginning, for transpositions
	if d > 0 {
		pc = t.terms[lo][d-1]
	}
	for j := 1; j < t.w; j++ {
		cost := int32(1)
		if t.tok[j-1] == c {
			cost = 0
		}
		v := min(prev[j]+1, row[j-1]+1, prev[j-1]+cost)
		if d > 0 && j > 1 && t.tok[j-1] == pc && t.tok[j-2] == c {
			v = min(v, t.rows[(d-1)*t.w+j-2]+1)
		}
		row[j] = v
		best = min(best, v)
	}
	last := row[t.w-1]
	if last == 0 {
		return // the beginning is the token: prefix matches, found elsewhere
	}
	if last <= t.k {
		t.out = append(t.out, [3]int{lo, hi, kindTypo1 + int(last) - 1})
	}
	// Deeper beginnings can only do better than last if some cell is below it.
	if best > t.k || best >= last || d+1 >= t.maxDepth {
		return
	}
	depth := d + 1
	i := lo
	for i < hi && len(t.terms[i]) == depth {
		i++ // the term that is exactly this beginning
	}
	for i < hi {
		b := t.terms[i][depth]
		// End of the run of terms with byte b at this depth (terms in [i, hi) are longer than
		// depth, and sorted).
		j, top := i+1, hi
		for j < top {
			m := int(uint(j+top) >> 1)
			if t.terms[m][depth] <= b {
				j = m + 1
			} else {
				top = m
			}
		}
		t.child(depth, i, j, b)
		i = j
	}
}
