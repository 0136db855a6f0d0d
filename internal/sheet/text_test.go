package sheet

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestPrintable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Jardin partagé", "Jardin partagé"},
		{"French characters kept", "é è à ç œ Œ æ « » ’ … € — ẞ", "é è à ç œ Œ æ « » ’ … € — ẞ"},
		{"no-break spaces kept", "« Cœur »\u00a0: 20\u202f%", "« Cœur »\u00a0: 20\u202f%"},
		{"decomposed accents composed", "Ce\u0301line He\u0301le\u0300ne", "Céline Hélène"},
		{"spaces collapsed and trimmed", "  a \t b\n\nc\u2003 ", "a b c"},
		{"controls removed", "a\x00b\x07c\x1b[0m\x7f\u0085d", "abc[0m d"},
		{"format characters removed", "\ufeffa\u200bb\u200dc\u00add\u202ee\u2066f", "abcdef"},
		{"emoji dropped", "Café 😀☕ solidaire 👩‍👧‍👦 \U0001F1EB\U0001F1F7!", "Café solidaire !"},
		{"right-to-left letters replaced", "Salut שלום مرحبا", "Salut ?"},
		{"unknown script replaced once per run", "你好 世界 et 日本", "? et ?"},
		{"outside the 16-bit plane", "𝔘𝔫𝔦 x", "? x"},
		{"substitutes", "a\u2011b \u2212 5", "a-b \u2212 5"},
		{"fullwidth folded", "Ｐａｓｓｅｒｅｌｌｅ", "Passerelle"},
		{"invalid UTF-8", "a\xff\xfeb", "ab"},
		{"only junk", "\x00 😀 \u200b", ""},
		{"ASCII fast path", "  Mme\tD. ", "Mme D."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Printable(tt.in); got != tt.want {
				t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzPrintable checks the properties the renderer relies on: the output holds only printable
// characters, single spaces between words, and printing it again changes nothing.
func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"", "Cœur", "a\u0301", "😀 x", "שלום", "\xff", "a  b", "\u00a0", " \u202f ", "Ｐ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := Printable(s)
		for _, r := range p {
			if !CanPrint(r) {
				t.Fatalf("Printable(%q) = %q holds %U", s, p, r)
			}
		}
		if strings.Contains(p, "  ") || p != strings.Trim(p, " ") {
			t.Fatalf("Printable(%q) = %q: stray spaces", s, p)
		}
		if again := Printable(p); again != p {
			t.Fatalf("not idempotent: %q → %q → %q", s, p, again)
		}
	})
}

func TestCanPrint(t *testing.T) {
	t.Parallel()
	for _, r := range "aZé€œŒ«»’…—–ÆẞЖΩ\u00a0\u202f " {
		if !CanPrint(r) {
			t.Errorf("CanPrint(%q) = false", r)
		}
	}
	for _, r := range []rune{'\x00', '\n', '\u200b', '\u0301', 'ש', 'ا', '😀', '你', -1, 0x110000, utf8.RuneError} {
		if CanPrint(r) {
			t.Errorf("CanPrint(%U) = true", r)
		}
	}
}

func TestParagraphs(t *testing.T) {
	t.Parallel()
	got := paragraphs("Un.\r\n\r\n  Deux  \u2028Trois\n\x00\n")
	if want := []string{"Un.", "Deux", "Trois"}; !slices.Equal(got, want) {
		t.Errorf("paragraphs = %q, want %q", got, want)
	}
}

func TestFrenchDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), "23 novembre 2026"},
		{time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), "1er mars 2026"},
		{time.Date(2025, 8, 2, 0, 0, 0, 0, time.UTC), "2 août 2025"},
		{time.Date(2024, 2, 29, 23, 59, 0, 0, time.UTC), "29 février 2024"},
		{time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC), "31 décembre 2027"},
	}
	for _, tt := range tests {
		if got := frenchDate(tt.in); got != tt.want {
			t.Errorf("frenchDate(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if _, ok := frenchDateMaj("2026-13-01"); ok {
		t.Error("frenchDateMaj accepted month 13")
	}
	if got, ok := frenchDateMaj(" 2026-07-05"); !ok || got != "5 juillet 2026" {
		t.Errorf("frenchDateMaj = %q, %v", got, ok)
	}
}

func TestTelURI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"01 99 00 01 02", "tel:+33199000102", true},
		{"01.99.00.01.02", "tel:+33199000102", true},
		{"06-12-34-56-78", "tel:+33612345678", true},
		{"+33 (0)1 99 00 09 10", "tel:+33199000910", true},
		{"+33 1 99 00 09 10", "tel:+33199000910", true},
		{"0033 1 99 00 09 10", "tel:+33199000910", true},
		{"Tél. : 01 99 00 01 02 (accueil)", "tel:+33199000102", true},
		{"01 99 00 01 02 / 06 12 34 56 78", "tel:+33199000102", true},
		{"3949", "tel:3949", true},
		{"115", "tel:115", true},
		{"01 99", "", false},
		{"sur rendez-vous", "", false},
		{"", "", false},
		{"☎", "", false},
		{"012345678901234567890", "", false},
	}
	for _, tt := range tests {
		got, ok := telURI(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("telURI(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestWebURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"https://exemple.fr/inscription?x=1", "https://exemple.fr/inscription?x=1", true},
		{"HTTP://exemple.fr", "HTTP://exemple.fr", true},
		{"www.exemple.fr", "https://www.exemple.fr", true},
		{" exemple.fr/page ", "https://exemple.fr/page", true},
		{"javascript:alert(1)", "", false},
		{"mailto:a@exemple.fr", "", false},
		{"a@exemple.fr", "", false},
		{"ftp://exemple.fr", "", false},
		{"voir le site", "", false},
		{"https://localhost", "", false},
		{"https://exemple.fr/" + strings.Repeat("a", 200), "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := webURL(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("webURL(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
