package sheet

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

//go:generate go run ../pdf/internal/genrepertoire -fonts ../pdf/fonts -o repertoire.go

// CanPrint reports whether r is in the repertoire of the sheets: a character both embedded fonts
// of internal/pdf draw, that prints left to right on its own (no control or format character, no
// combining mark, no right-to-left script: the PDF writer has no bidirectional reordering and
// would print Hebrew backwards). The table is generated from the fonts; see repertoire.go.
func CanPrint(r rune) bool {
	return r >= 0 && r <= 0xFFFF && unicode.Is(printable, r)
}

// substitute returns a stand-in for a character the fonts lack but whose meaning a close
// character keeps, "" for none.
func substitute(r rune) string {
	switch {
	case r == '\u2011': // non-breaking hyphen: lines only break at spaces here anyway
		return "-"
	case 0xFF01 <= r && r <= 0xFF5E: // fullwidth forms of ASCII
		return string(r - 0xFEE0)
	}
	return ""
}

// Printable returns s as a sheet prints it, on one line: composed (NFC) so accents stay on their
// letters, control and format characters removed, runs of spaces and line breaks made one space,
// characters outside the repertoire (CanPrint) replaced: a close substitute when there is one,
// nothing for symbols, emoji and lone marks (decoration), « ? » for any other run of letters the
// fonts cannot draw. No-break spaces are kept. Never panics, whatever the input (invalid UTF-8
// included).
func Printable(s string) string {
	if isPlainASCII(s) {
		return strings.Join(strings.Fields(s), " ")
	}
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space, question := false, false
	for _, r := range s {
		switch {
		case r == '\u00A0' || r == '\u202F':
			// French no-break spaces (before « : » and inside « »): kept when the font has them.
			if CanPrint(r) {
				write(&b, &space, &question, string(r), false)
			} else {
				space = true
			}
		case unicode.IsSpace(r):
			space = true
		case CanPrint(r):
			write(&b, &space, &question, string(r), false)
		case substitute(r) != "":
			write(&b, &space, &question, substitute(r), false)
		case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs, unicode.Mn, unicode.Me,
			unicode.Sk, unicode.So) || r == utf8.RuneError:
			// Controls, format characters (bidi marks, joiners), private use, lone combining
			// marks, emoji and other symbols: left out.
		default:
			if !question {
				write(&b, &space, &question, "?", true)
			}
		}
	}
	return b.String()
}

// write appends t, after one space if spaces came before it (never at the start of the text).
// question records whether the last thing written was a « ? » standing for missing letters, so
// that a run of them (a word in an unsupported script) prints as a single « ? ».
func write(b *strings.Builder, space, question *bool, t string, isQuestion bool) {
	if *space && b.Len() > 0 {
		b.WriteByte(' ')
		*question = false
	}
	*space = false
	b.WriteString(t)
	*question = isQuestion
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= 0x7F {
			return false
		}
	}
	return true
}

// paragraphs splits a multi-line text into its printable lines, leaving out blank ones.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, isLineBreak) {
		if p = Printable(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func isLineBreak(r rune) bool {
	return r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == '\u0085' || r == '\u2028' || r == '\u2029'
}

var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	"août", "septembre", "octobre", "novembre", "décembre"}

// frenchDate writes a date the French way: « 1er mars 2026 », « 23 novembre 2026 ».
func frenchDate(t time.Time) string {
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return day + " " + frenchMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// frenchDateMaj writes a data·inclusion date_maj (YYYY-MM-DD) in French; ok is false when it
// cannot be read.
func frenchDateMaj(dateMaj string) (string, bool) {
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(dateMaj))
	if err != nil {
		return "", false
	}
	return frenchDate(d), true
}

// maxQRContent is the longest content given a QR code, in bytes. At error-correction level M it
// fits a version 10 code (57 modules): about half a millimetre per module at the printed size,
// which phones read. A longer link still prints in full as text.
const maxQRContent = 200

// webURL returns the link a QR code should open for a website or a lien_mobilisation: an
// absolute http(s) URL, « https:// » added when the scheme is missing (« www.exemple.fr »). ok is
// false for anything else (another scheme, spaces, no host, too long for a readable code).
func webURL(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return "", false
	}
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://"):
	case !strings.Contains(s, "://") && !strings.Contains(s, "@") && strings.Contains(s, "."):
		s = "https://" + s
	default:
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || !strings.Contains(u.Hostname(), ".") || len(s) > maxQRContent {
		return "", false
	}
	return s, true
}

// telURI returns the tel: URI (RFC 3966) of the first phone number written in s: French ten-digit
// numbers become international (+33), numbers written with + or 00 keep their country code,
// short numbers (3949, 115) stay as they are. ok is false when s holds no number a phone could
// dial.
func telURI(s string) (string, bool) {
	s = strings.ReplaceAll(s, "(0)", "") // « +33 (0)1 … »: the 0 is not dialled from abroad
	start := strings.IndexFunc(s, func(r rune) bool { return r == '+' || '0' <= r && r <= '9' })
	if start < 0 {
		return "", false
	}
	var digits strings.Builder
	plus := s[start] == '+'
scan:
	for _, r := range s[start:] {
		switch {
		case '0' <= r && r <= '9':
			digits.WriteRune(r)
		case r == '+' && digits.Len() == 0:
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || r == '\u00A0' || r == '\u202F':
		default:
			break scan // another number (« / 06 … ») or words follow
		}
	}
	d := digits.String()
	switch {
	case plus && len(d) >= 8 && len(d) <= 15:
		return "tel:+" + d, true
	case strings.HasPrefix(d, "00") && len(d) >= 10 && len(d) <= 17:
		return "tel:+" + d[2:], true
	case len(d) == 10 && d[0] == '0':
		return "tel:+33" + d[1:], true
	case !plus && len(d) >= 3 && len(d) <= 6 && d[0] != '0':
		return "tel:" + d, true
	}
	return "", false
}
