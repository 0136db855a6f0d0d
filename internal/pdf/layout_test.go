package pdf

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/sheet"
)

// halfEm makes every character half an em wide: at 10 pt, 1.764 mm.
func halfEm(rune, bool) int { return 500 }

const halfEmAt10 = 0.5 * 10 * ptToMM

func testLayouter() *layouter {
	d := sheet.Document{Page: sheet.Page{Width: 210, Height: 297, MarginTop: 10, MarginBottom: 10,
		MarginLeft: 10, MarginRight: 10, LabelWidth: 40}}
	return &layouter{doc: &d, width: halfEm, left: 10, right: 200, top: 10, bottom: 287}
}

func TestWrap(t *testing.T) {
	t.Parallel()
	chars := func(n float64) float64 { return n*halfEmAt10 + 0.001 } // a width of n characters
	tests := []struct {
		name  string
		text  string
		width float64
		want  []string
	}{
		{"fits", "un deux", chars(7), []string{"un deux"}},
		{"breaks at spaces", "un deux trois", chars(7), []string{"un deux", "trois"}},
		{"runs of spaces", "un   deux", chars(20), []string{"un deux"}},
		{"no-break space holds", "20\u00a0% de rabais", chars(6), []string{"20\u00a0%", "de", "rabais"}},
		{"long word cut", "abcdefghij", chars(4), []string{"abcd", "efgh", "ij"}},
		{"long link cut after a slash", "https://ex.org/inscription", chars(20), []string{"https://ex.org/", "inscription"}},
		{"slash too early is not used", "a/bcdefghijkl", chars(8), []string{"a/bcdefg", "hijkl"}},
		{"narrower than a character", "abc", 0.5, []string{"a", "b", "c"}},
		{"empty", "", chars(10), nil},
		{"multibyte", "éàç œœ", chars(3), []string{"éàç", "œœ"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := testLayouter().wrap(tt.text, tt.width, 10, false); !slices.Equal(got, tt.want) {
				t.Errorf("wrap(%q, %.2f) = %q, want %q", tt.text, tt.width, got, tt.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	l := testLayouter()
	if got := l.truncate("court", 100, 10, false); got != "court" {
		t.Errorf("truncate kept nothing of a short text: %q", got)
	}
	got := l.truncate("un texte bien trop long pour la place", 10*halfEmAt10, 10, false)
	if !strings.HasSuffix(got, "…") || l.measure(got, 10, false) > 10*halfEmAt10+eps {
		t.Errorf("truncate = %q (%.1f mm), want at most 10 characters ending with …", got, l.measure(got, 10, false))
	}
}

// texts returns, page by page, the texts drawn.
func pageTexts(pages [][]op) [][]string {
	out := make([][]string, len(pages))
	for i, ops := range pages {
		for _, o := range ops {
			if o.kind == opText {
				out[i] = append(out[i], o.text)
			}
		}
	}
	return out
}

func paragraph(text string, gap float64) sheet.Block {
	return sheet.Block{Kind: sheet.KindParagraph, Text: text, Size: 10, Gap: gap}
}

func page(blocks ...sheet.Block) sheet.Document {
	return sheet.Document{
		Page: sheet.Page{Size: "A4", Width: 210, Height: 297, MarginTop: 10, MarginRight: 10,
			MarginBottom: 10, MarginLeft: 10, LabelWidth: 40},
		Footer: sheet.Running{PageNumbers: "Page {page} sur {pages}", Size: 10},
		Blocks: blocks,
	}
}

// TestLayout_keepsBlocksWhole lays out groups of various heights and checks that none straddles
// two pages, that every line is drawn once in order, and that nothing leaves the content area.
func TestLayout_keepsBlocksWhole(t *testing.T) {
	t.Parallel()
	var blocks []sheet.Block
	var want []string
	for g := range 14 {
		group := sheet.Block{Kind: sheet.KindGroup, KeepTogether: true, Gap: 5}
		for i := range 3 + (g*7)%17 {
			text := fmt.Sprintf("g%d-l%d", g, i)
			group.Blocks = append(group.Blocks, paragraph(text, 1))
			want = append(want, text)
		}
		blocks = append(blocks, group)
	}
	pages, err := layout(page(blocks...), halfEm)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 3 {
		t.Fatalf("%d pages: the test needs several", len(pages))
	}
	groupPage := map[string]int{}
	var got []string
	for i, texts := range pageTexts(pages) {
		for _, s := range texts {
			if strings.HasPrefix(s, "Page ") {
				if want := fmt.Sprintf("Page %d sur %d", i+1, len(pages)); s != want {
					t.Errorf("page %d numbered %q, want %q", i+1, s, want)
				}
				continue
			}
			got = append(got, s)
			g, _, _ := strings.Cut(s, "-")
			if p, ok := groupPage[g]; ok && p != i {
				t.Errorf("group %s cut across pages %d and %d", g, p+1, i+1)
			}
			groupPage[g] = i
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("lines drawn = %q\nwant %q", got, want)
	}
	for i, ops := range pages {
		for _, o := range ops {
			if o.kind == opText && !strings.HasPrefix(o.text, "Page ") && (o.y < 10 || o.y > 287) {
				t.Errorf("page %d: %q at y = %.1f mm, outside the content area", i+1, o.text, o.y)
			}
		}
	}
}

// TestLayout_tallBlockSplits: a block taller than a page is cut as a last resort, starting where
// the page is, without losing a line.
func TestLayout_tallBlockSplits(t *testing.T) {
	t.Parallel()
	group := sheet.Block{Kind: sheet.KindGroup, KeepTogether: true}
	var want []string
	for i := range 150 {
		text := fmt.Sprintf("l%d", i)
		group.Blocks = append(group.Blocks, paragraph(text, 0))
		want = append(want, text)
	}
	field := sheet.Block{Kind: sheet.KindField, Label: "Long", Size: 10,
		Lines: []string{strings.Repeat("mot ", 2000)}}
	pages, err := layout(page(paragraph("avant", 0), group, field), halfEm)
	if err != nil {
		t.Fatal(err)
	}
	texts := pageTexts(pages)
	if texts[0][0] != "avant" || texts[0][1] != "l0" {
		t.Errorf("the tall block must start right after what precedes it, page 1 = %q", texts[0][:2])
	}
	var got []string
	words := 0
	for _, page := range texts {
		for _, s := range page {
			switch {
			case strings.HasPrefix(s, "l"):
				got = append(got, s)
			case strings.HasPrefix(s, "mot"):
				words += strings.Count(s, "mot")
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("lines = %q, want l0…l149 in order", got)
	}
	if words != 2000 {
		t.Errorf("%d words of the long field drawn, want 2000", words)
	}
	if len(pages) < 4 {
		t.Errorf("%d pages, want the long content spread over at least 4", len(pages))
	}
}

// TestLayout_headingStaysWithNext: a heading is never the last line of a page.
func TestLayout_headingStaysWithNext(t *testing.T) {
	t.Parallel()
	lh := lineHeight(10)
	n := int((287 - 10) / lh) // lines that fill a page
	var blocks []sheet.Block
	for i := range n - 1 {
		blocks = append(blocks, paragraph(fmt.Sprintf("p%d", i), 0))
	}
	blocks = append(blocks, sheet.Block{Kind: sheet.KindHeading, Text: "Titre", Size: 10}, paragraph("suite", 0))
	pages, err := layout(page(blocks...), halfEm)
	if err != nil {
		t.Fatal(err)
	}
	texts := pageTexts(pages)
	if len(texts) != 2 || !slices.Contains(texts[1], "Titre") || !slices.Contains(texts[1], "suite") {
		t.Errorf("heading and what follows must share page 2, pages = %q", texts)
	}
}

func TestLayout_gapDroppedAtPageTop(t *testing.T) {
	t.Parallel()
	big := sheet.Block{Kind: sheet.KindGroup, KeepTogether: true, Gap: 30}
	for i := range 40 {
		big.Blocks = append(big.Blocks, paragraph(fmt.Sprintf("b%d", i), 0))
	}
	pages, err := layout(page(paragraph("a", 30), big, big), halfEm)
	if err != nil {
		t.Fatal(err)
	}
	for i, ops := range pages {
		first := ops[0]
		if want := 10 + baseline(10); first.y > want+eps {
			t.Errorf("page %d starts at y = %.2f mm, want %.2f (gap dropped at the top)", i+1, first.y, want)
		}
	}
}

// TestLayout_hostileDocuments: hand-made documents with nonsense geometry, unknown kinds and
// unprintable text lay out without panicking and end.
func TestLayout_hostileDocuments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  sheet.Document
	}{
		{"zero document", sheet.Document{}},
		{"nonsense geometry", sheet.Document{Page: sheet.Page{Width: -5, Height: 1e9, MarginLeft: 500,
			MarginTop: -3, LabelWidth: 1e6}, Blocks: []sheet.Block{{Kind: sheet.KindField, Label: "x", Lines: []string{"y"}}}}},
		{"unknown kind and sizes", page(
			sheet.Block{Kind: "marquee", Text: "?"},
			sheet.Block{Kind: sheet.KindHeading, Text: strings.Repeat("W", 300), Size: 500},
			sheet.Block{Kind: sheet.KindParagraph, Text: "x", Size: -1, Gap: -50},
			sheet.Block{Kind: sheet.KindQR, QRSize: -1, QRs: []sheet.QR{{Content: "x"}, {Content: "y"}, {Content: "z"}}},
		)},
		{"unprintable text", page(paragraph("😀\x00\u202e שלום \xff", 0))},
		{"deep groups", func() sheet.Document {
			b := paragraph("fond", 0)
			for range 200 {
				b = sheet.Block{Kind: sheet.KindGroup, KeepTogether: true, Blocks: []sheet.Block{b}}
			}
			return page(b)
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pages, err := layout(tt.doc, halfEm)
			if err != nil {
				t.Fatal(err)
			}
			if len(pages) == 0 {
				t.Error("no page")
			}
			for _, ops := range pages {
				for _, o := range ops {
					for _, r := range o.text {
						if !sheet.CanPrint(r) {
							t.Errorf("%U reaches the writer in %q", r, o.text)
						}
					}
				}
			}
		})
	}
}

func TestModuleOps(t *testing.T) {
	t.Parallel()
	m := [][]bool{
		{true, true, false, true},
		{false, false, false, false},
		{true, false, true, true},
		{true, true, true, true},
	}
	ops := moduleOps(m, 0, 0, 4)
	// One rectangle per run of dark modules: 2 + 0 + 2 + 1.
	if len(ops) != 5 {
		t.Fatalf("%d rectangles, want 5: %+v", len(ops), ops)
	}
	dark := 0.0
	for _, o := range ops {
		dark += o.w
	}
	if dark != 10 {
		t.Errorf("dark width %v, want 10 modules", dark)
	}
	if last := ops[len(ops)-1]; last.h != 1 {
		t.Errorf("the last row must not overlap below the code: h = %v", last.h)
	}
}
