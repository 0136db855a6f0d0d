// Package textfold folds French text for matching: lower case, no accents, ligatures spelled out
// (œ → oe, æ → ae), so that "coeur" finds "Cœur" and "epicerie" finds "Épicerie".
package textfold

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// latin maps the runes of the Latin-1 and Latin Extended-A/B blocks to their folded form ("" when
// a rune folds to itself), an array so that folding is an index on the hot path.
var latin = func() (t [0x250]string) {
	for r, f := range table {
		if r < 0x250 {
			t[r] = f
		}
	}
	return t
}()

// table maps the runes of the Latin blocks and a few punctuation marks to their folded form: built
// once from Unicode's canonical decompositions (golang.org/x/text/unicode/norm).
var table = func() map[rune]string {
	m := make(map[rune]string, 600)
	for r := rune(0x80); r <= 0x24F; r++ {
		d := norm.NFD.String(string(r))
		var b strings.Builder
		for _, c := range d {
			if unicode.Is(unicode.Mn, c) {
				continue
			}
			b.WriteRune(unicode.ToLower(c))
		}
		if s := b.String(); s != string(r) {
			m[r] = s
		}
	}
	for r, s := range map[rune]string{
		'œ': "oe", 'Œ': "oe", 'æ': "ae", 'Æ': "ae", 'ß': "ss", 'ø': "o", 'Ø': "o", 'đ': "d", 'Đ': "d",
		'ł': "l", 'Ł': "l", 'ı': "i",
		'’': "'", '‘': "'", 'ʼ': "'", '‐': "-", '‑': "-", '–': "-", '—': "-",
	} {
		m[r] = s
	}
	return m
}()

// Fold returns s in lower case, without accents, with ligatures spelled out.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
		case r < 0x250 && latin[r] != "":
			b.WriteString(latin[r])
		default:
			if f, ok := table[r]; ok {
				b.WriteString(f)
			} else if unicode.Is(unicode.Mn, r) {
				// a combining accent of decomposed input: drop it
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
		}
	}
	return b.String()
}

// stopwords are French words too common to tell services apart.
var stopwords = map[string]bool{
	"a": true, "au": true, "aux": true, "d": true, "de": true, "des": true, "du": true, "en": true,
	"et": true, "l": true, "la": true, "le": true, "les": true, "ou": true, "par": true, "pour": true,
	"sur": true, "un": true, "une": true, "avec": true, "dans": true, "qu": true, "s": true,
}

// IsStopword reports whether a folded token is a French stop word.
func IsStopword(tok string) bool { return stopwords[tok] }

// Tokens folds s and splits it into words of letters and digits, dropping stop words. Hyphens
// and apostrophes separate words ("l'épicerie" → "epicerie", "Saint-Cloud" → "saint", "cloud").
func Tokens(s string) []string {
	return AppendTokens(nil, s)
}

// AppendTokens appends the tokens of s to dst (see Tokens).
func AppendTokens(dst []string, s string) []string {
	f := Fold(s)
	start := -1
	for i, r := range f {
		word := r < utf8.RuneSelf && (('a' <= r && r <= 'z') || ('0' <= r && r <= '9')) ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
		if word && start < 0 {
			start = i
		} else if !word && start >= 0 {
			if t := f[start:i]; !stopwords[t] {
				dst = append(dst, t)
			}
			start = -1
		}
	}
	if start >= 0 {
		if t := f[start:]; !stopwords[t] {
			dst = append(dst, t)
		}
	}
	return dst
}

// Key folds s into a comparison key for names: tokens joined by single spaces, stop words kept
// ("La Garenne-Colombes" → "la garenne colombes").
func Key(s string) string {
	f := Fold(s)
	var b strings.Builder
	b.Grow(len(f))
	space := false
	for _, r := range f {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}
