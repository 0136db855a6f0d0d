package pdf

import (
	"bytes"
	"os"
	"testing"

	"github.com/edas92/passerelle/internal/pdf/internal/repertoire"
	"github.com/edas92/passerelle/internal/sheet"
)

// TestRepertoire_matchesFonts fails when internal/sheet's table of printable characters no
// longer says what the embedded fonts draw (a font was replaced without regenerating).
func TestRepertoire_matchesFonts(t *testing.T) {
	t.Parallel()
	ranges, err := repertoire.Ranges(fontRegular, fontBold)
	if err != nil {
		t.Fatal(err)
	}
	want, err := repertoire.Source(ranges)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../sheet/repertoire.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("internal/sheet/repertoire.go does not match the embedded fonts: run go generate ./internal/sheet")
	}
	for _, r := range "éèàçœŒ«»’…€\u202f" {
		if !sheet.CanPrint(r) {
			t.Errorf("the fonts lack %q, which French needs", r)
		}
	}
}

// TestGlyphWidths_coverRepertoire: gofpdf measures every printable character in both fonts (a
// zero width would mean gofpdf reads the fonts differently from the repertoire's parser).
func TestGlyphWidths_coverRepertoire(t *testing.T) {
	t.Parallel()
	width, err := glyphWidths()
	if err != nil {
		t.Fatal(err)
	}
	missing := 0
	for r := rune(0); r <= 0xFFFF; r++ {
		if sheet.CanPrint(r) && (width(r, false) <= 0 || width(r, true) <= 0) {
			if missing++; missing <= 10 {
				t.Errorf("%U printable but measured %d / %d by gofpdf", r, width(r, false), width(r, true))
			}
		}
	}
	units := func(s string, bold bool) (u int) {
		for _, r := range s {
			u += width(r, bold)
		}
		return u
	}
	if units("interlocuteur", true) <= units("interlocuteur", false) {
		t.Error("the bold font is not wider than the regular one: fonts swapped?")
	}
}
