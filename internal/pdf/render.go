package pdf

// This file is the only one that imports gofpdf (archived upstream; github.com/go-pdf/fpdf is the
// maintained fork with the same API): it measures glyphs and draws the operations layout.go
// placed. Switching writer touches this file only.

import (
	"bytes"
	"fmt"
	"slices"
	"sync"

	"github.com/jung-kurt/gofpdf"

	"github.com/edas92/passerelle/internal/sheet"
)

const family = "LiberationSans"

// Render draws a sheet.Document as a PDF (A4 unless the document says otherwise). Deterministic:
// the same document gives the same bytes (dates come from the document, never the clock).
// Characters outside the sheets' repertoire are replaced as sheet.Printable does, so no input
// makes it panic. The errors have no domain code: they are internal failures (EINTERNAL).
func Render(doc sheet.Document) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil { // gofpdf panics on some internal failures: report, never crash
			out, err = nil, fmt.Errorf("render sheet: %v", r)
		}
	}()
	widths, err := glyphWidths()
	if err != nil {
		return nil, err
	}
	pages, err := layout(doc, widths)
	if err != nil {
		return nil, fmt.Errorf("render sheet: %w", err)
	}
	normalise(&doc)
	f := newWriter(doc.Page.Width, doc.Page.Height)
	f.SetTitle(sheet.Printable(doc.Title), true)
	f.SetCreator("Passerelle", true)
	f.SetCreationDate(doc.Date)
	f.SetModificationDate(doc.Date)
	for _, ops := range pages {
		f.AddPage()
		for _, o := range ops {
			draw(f, o)
		}
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("render sheet: %w", err)
	}
	return buf.Bytes(), nil
}

func newWriter(w, h float64) *gofpdf.Fpdf {
	f := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "mm",
		Size: gofpdf.SizeType{Wd: w, Ht: h}})
	f.SetCatalogSort(true) // objects in a fixed order: the same document gives the same bytes
	f.SetCompression(true)
	f.SetAutoPageBreak(false, 0) // layout.go has already paginated
	f.SetMargins(0, 0, 0)
	// Each writer gets its own copy: when it subsets a font, gofpdf appends padding to slices of
	// the bytes it was given, writing into them (a data race between two renders otherwise).
	f.AddUTF8FontFromBytes(family, "", slices.Clone(fontRegular))
	f.AddUTF8FontFromBytes(family, "B", slices.Clone(fontBold))
	return f
}

// Colours: near-black text, dark grey for secondary text (still crisp on an office printer),
// light grey rules.
var (
	ink   = [3]int{25, 25, 25}
	muted = [3]int{75, 75, 75}
	rule  = [3]int{165, 165, 165}
)

func draw(f *gofpdf.Fpdf, o op) {
	switch o.kind {
	case opText:
		style, c := "", ink
		if o.bold {
			style = "B"
		}
		if o.muted {
			c = muted
		}
		f.SetFont(family, style, o.size)
		f.SetTextColor(c[0], c[1], c[2])
		f.Text(o.x, o.y, o.text)
	case opLine:
		f.SetDrawColor(rule[0], rule[1], rule[2])
		f.SetLineWidth(0.3)
		f.Line(o.x, o.y, o.x+o.w, o.y)
	case opRect:
		f.SetFillColor(0, 0, 0)
		f.Rect(o.x, o.y, o.w, o.h, "F")
	}
}

var widthsOnce = sync.OnceValues(func() (widthFunc, error) {
	// Measured once per process through gofpdf itself, so that layout and drawing agree.
	f := newWriter(210, 297)
	var tables [2][]uint16
	for i, style := range []string{"", "B"} {
		f.SetFont(family, style, 1000)
		tables[i] = make([]uint16, 0x10000)
		for r := rune(0); r <= 0xFFFF; r++ {
			if sheet.CanPrint(r) {
				tables[i][r] = uint16(f.GetStringSymbolWidth(string(r)))
			}
		}
	}
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("load fonts: %w", err)
	}
	return func(r rune, bold bool) int {
		if r < 0 || r > 0xFFFF {
			return 0
		}
		if bold {
			return int(tables[1][r])
		}
		return int(tables[0][r])
	}, nil
})

func glyphWidths() (widthFunc, error) { return widthsOnce() }
