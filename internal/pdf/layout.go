package pdf

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/edas92/passerelle/internal/sheet"
)

// Layout turns a sheet.Document into pages of drawing operations, measuring every block before
// placing it: pure Go, no PDF. Only render.go draws, with gofpdf.

const (
	ptToMM      = 25.4 / 72
	lineSpacing = 1.2   // line height, in font sizes
	ascent      = 0.905 // Liberation Sans, in em: to put the baseline within a line
	descent     = 0.212
	eps         = 0.01 // mm: rounding slack when comparing positions
	qrGutter    = 5    // mm between a QR code and its caption
	labelGutter = 4    // mm between a field's label and the value column
	headerRoom  = 6    // mm the running header takes from the content
)

// widthFunc gives the advance of a rune in thousandths of an em, in the regular or bold font.
type widthFunc func(r rune, bold bool) int

type opKind uint8

const (
	opText opKind = iota // text at (x, y = baseline)
	opLine               // horizontal rule from (x, y), w long
	opRect               // filled rectangle (QR modules)
)

// op is one drawing operation, in millimetres from the page's top-left corner.
type op struct {
	kind        opKind
	x, y, w, h  float64
	text        string
	size        float64 // points
	bold, muted bool
}

// row is an unbreakable strip of a block (one line of text, a row of QR codes). Its ops' y are
// relative to the row's top until it is placed.
type row struct {
	h   float64
	ops []op
}

// box is a measured block: a leaf holds rows, a group holds boxes.
type box struct {
	gap      float64 // space above, dropped at the top of a page
	rows     []row
	children []*box
	group    bool
	keep     bool // move whole to the next page rather than cut, when it fits on one page
	keepNext bool // a heading: never the last thing on a page
}

func (b *box) height(atTop bool) float64 {
	h := 0.0
	if !atTop {
		h = b.gap
	}
	for _, r := range b.rows {
		h += r.h
	}
	for i, c := range b.children {
		h += c.height(atTop && i == 0)
	}
	return h
}

// lead is the height up to the end of the box's first row: what must follow a heading.
func (b *box) lead(atTop bool) float64 {
	h := 0.0
	if !atTop {
		h = b.gap
	}
	if len(b.rows) > 0 {
		return h + b.rows[0].h
	}
	if len(b.children) > 0 {
		return h + b.children[0].lead(atTop)
	}
	return h
}

type layouter struct {
	doc         *sheet.Document
	width       widthFunc
	left, right float64 // content edges
	top, bottom float64
	pages       [][]op
	y           float64
}

// layout measures and places the document's blocks on pages, then adds the running header and
// footer with the page numbers. A block never straddles two pages unless it is taller than a
// page; a heading never ends a page.
func layout(doc sheet.Document, width widthFunc) ([][]op, error) {
	normalise(&doc)
	p := doc.Page
	l := &layouter{
		doc: &doc, width: width,
		left: p.MarginLeft, right: p.Width - p.MarginRight,
		top: p.MarginTop, bottom: p.Height - p.MarginBottom,
	}
	if sheet.Printable(doc.Header.Text) != "" {
		l.top += headerRoom
	}
	boxes := make([]*box, 0, len(doc.Blocks))
	for _, b := range doc.Blocks {
		bx, err := l.build(b)
		if err != nil {
			return nil, err
		}
		boxes = append(boxes, bx)
	}
	l.newPage()
	l.sequence(boxes)
	l.running()
	return l.pages, nil
}

// normalise gives a hand-made document sane geometry, so that layout always ends.
func normalise(d *sheet.Document) {
	p := &d.Page
	if p.Width < 50 || p.Height < 50 || p.Width > 1000 || p.Height > 2000 {
		p.Width, p.Height = 210, 297
	}
	for _, m := range []*float64{&p.MarginTop, &p.MarginRight, &p.MarginBottom, &p.MarginLeft} {
		*m = min(max(*m, 0), 40)
	}
	p.LabelWidth = min(max(p.LabelWidth, 0), (p.Width-p.MarginLeft-p.MarginRight)/2)
	if d.Date.IsZero() {
		d.Date = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) // never the wall clock
	}
}

func clampSize(s float64) float64 {
	if s <= 0 {
		return 12
	}
	return min(max(s, 4), 72)
}

func lineHeight(size float64) float64 { return size * ptToMM * lineSpacing }

// baseline is where text of a size sits within its line.
func baseline(size float64) float64 {
	em := size * ptToMM
	return (lineHeight(size)-(ascent+descent)*em)/2 + ascent*em
}

func (l *layouter) newPage() {
	l.pages = append(l.pages, nil)
	l.y = l.top
}

func (l *layouter) atTop() bool { return l.y <= l.top+eps }

func (l *layouter) addGap(g float64) {
	if !l.atTop() {
		l.y += g
	}
}

func (l *layouter) emitRow(r row) {
	page := &l.pages[len(l.pages)-1]
	for _, o := range r.ops {
		o.y += l.y
		*page = append(*page, o)
	}
	l.y += r.h
}

func (l *layouter) emit(b *box) {
	l.addGap(b.gap)
	for _, r := range b.rows {
		l.emitRow(r)
	}
	for _, c := range b.children {
		l.emit(c)
	}
}

func (l *layouter) fits(h float64) bool { return l.y+h <= l.bottom+eps }

func (l *layouter) place(b *box) {
	if l.fits(b.height(l.atTop())) {
		l.emit(b)
		return
	}
	if (b.keep || !b.group) && b.height(true) <= l.bottom-l.top+eps {
		l.newPage()
		l.emit(b)
		return
	}
	// Taller than a page, or free to be cut: flow its parts (last resort for a kept block).
	l.addGap(b.gap)
	for _, r := range b.rows {
		if !l.fits(r.h) && !l.atTop() {
			l.newPage()
		}
		l.emitRow(r)
	}
	l.sequence(b.children)
}

func (l *layouter) sequence(bs []*box) {
	for i, c := range bs {
		if c.keepNext && i+1 < len(bs) && !l.atTop() {
			next := bs[i+1].lead(false)
			if !l.fits(c.height(false)+next) && c.height(true)+next <= l.bottom-l.top {
				l.newPage()
			}
		}
		l.place(c)
	}
}

// running adds the header and the footer to every page, now that the page count is known.
func (l *layouter) running() {
	d, p := l.doc, l.doc.Page
	h, f := d.Header, d.Footer
	hs, fs := clampSize(h.Size), clampSize(f.Size)
	total := strconv.Itoa(len(l.pages))
	for i := range l.pages {
		page := &l.pages[i]
		if t := sheet.Printable(h.Text); t != "" {
			*page = append(*page, op{kind: opText, x: l.left, y: p.MarginTop - 2,
				text: l.truncate(t, l.right-l.left, hs, false), size: hs, muted: true})
		}
		y := p.Height - p.MarginBottom + 9
		room := l.right - l.left
		if f.PageNumbers != "" {
			n := strings.NewReplacer("{page}", strconv.Itoa(i+1), "{pages}", total).Replace(f.PageNumbers)
			n = sheet.Printable(n)
			w := l.measure(n, fs, false)
			*page = append(*page, op{kind: opText, x: l.right - w, y: y, text: n, size: fs, muted: true})
			room -= w + 6
		}
		if t := sheet.Printable(f.Text); t != "" && room > 0 {
			*page = append(*page, op{kind: opText, x: l.left, y: y,
				text: l.truncate(t, room, fs, false), size: fs, muted: true})
		}
	}
}

// build measures a block.
func (l *layouter) build(b sheet.Block) (*box, error) {
	bx := &box{gap: max(b.Gap, 0)}
	size := clampSize(b.Size)
	width := l.right - l.left
	switch b.Kind {
	case sheet.KindHeading, sheet.KindParagraph:
		bx.rows = l.textRows(sheet.Printable(b.Text), l.left, width, size, b.Bold, b.Muted)
		bx.keepNext = b.Kind == sheet.KindHeading
	case sheet.KindField:
		bx.rows = l.fieldRows(b, size)
	case sheet.KindQR:
		r, err := l.qrRow(b, size)
		if err != nil {
			return nil, err
		}
		bx.rows = []row{r}
	case sheet.KindRule:
		bx.rows = []row{{h: 1.2, ops: []op{{kind: opLine, x: l.left, y: 0.6, w: width}}}}
	case sheet.KindGroup:
		bx.group, bx.keep = true, b.KeepTogether
		for _, c := range b.Blocks {
			cb, err := l.build(c)
			if err != nil {
				return nil, err
			}
			bx.children = append(bx.children, cb)
		}
	}
	return bx, nil
}

func (l *layouter) textRows(text string, x, w, size float64, bold, muted bool) []row {
	lines := l.wrap(text, w, size, bold)
	rows := make([]row, len(lines))
	for i, t := range lines {
		rows[i] = row{h: lineHeight(size), ops: []op{{kind: opText, x: x, y: baseline(size),
			text: t, size: size, bold: bold, muted: muted}}}
	}
	return rows
}

// fieldRows lays the label (bold, left column) beside the value lines (right column), row by row
// so that a field taller than a page can still be cut between lines.
func (l *layouter) fieldRows(b sheet.Block, size float64) []row {
	lw := l.doc.Page.LabelWidth
	label := l.wrap(sheet.Printable(b.Label), max(lw-labelGutter, 10), size, true)
	var values []string
	for _, v := range b.Lines {
		values = append(values, l.wrap(sheet.Printable(v), l.right-l.left-lw, size, false)...)
	}
	rows := make([]row, max(len(label), len(values)))
	for i := range rows {
		rows[i].h = lineHeight(size)
		if i < len(label) {
			rows[i].ops = append(rows[i].ops, op{kind: opText, x: l.left, y: baseline(size),
				text: label[i], size: size, bold: true})
		}
		if i < len(values) {
			rows[i].ops = append(rows[i].ops, op{kind: opText, x: l.left + lw, y: baseline(size),
				text: values[i], size: size})
		}
	}
	return rows
}

// qrRow lays QR codes side by side, each with its caption to its right, vertically centred. The
// white margin around each code (its quiet zone) is four modules, as the standard asks.
func (l *layouter) qrRow(b sheet.Block, size float64) (row, error) {
	side := min(max(b.QRSize, 15), 60)
	n := max(len(b.QRs), 2)
	cell := (l.right - l.left) / float64(n)
	type code struct {
		modules [][]bool
		caption []string
	}
	codes := make([]code, 0, len(b.QRs))
	pad, captionH := 0.0, 0.0
	for _, q := range b.QRs {
		m, err := qrModules(q.Content)
		if err != nil {
			return row{}, err
		}
		// The caption stops well before the next code, whose quiet zone it must leave white.
		caption := l.wrap(sheet.Printable(q.Caption), max(min(cell-side-3*qrGutter, 50), 10), size, false)
		codes = append(codes, code{m, caption})
		pad = max(pad, 4*side/float64(len(m)))
		captionH = max(captionH, float64(len(caption))*lineHeight(size))
	}
	r := row{h: 2*pad + max(side, captionH)}
	for i, c := range codes {
		x := l.left + float64(i)*cell
		top := pad + (max(side, captionH)-side)/2
		r.ops = append(r.ops, moduleOps(c.modules, x, top, side)...)
		ct := pad + (max(side, captionH)-float64(len(c.caption))*lineHeight(size))/2
		for j, t := range c.caption {
			r.ops = append(r.ops, op{kind: opText, x: x + side + qrGutter,
				y: ct + float64(j)*lineHeight(size) + baseline(size), text: t, size: size})
		}
	}
	return r, nil
}

// moduleOps draws the dark modules of a QR code as rectangles, one per run of dark modules in
// a row; each overlaps the row below by a hair so that no light seam shows between rows.
func moduleOps(m [][]bool, x, y, side float64) []op {
	unit := side / float64(len(m))
	var ops []op
	for j, line := range m {
		overlap := 0.0
		if j < len(m)-1 {
			overlap = unit * 0.05
		}
		for i := 0; i < len(line); {
			if !line[i] {
				i++
				continue
			}
			start := i
			for i < len(line) && line[i] {
				i++
			}
			ops = append(ops, op{kind: opRect, x: x + float64(start)*unit, y: y + float64(j)*unit,
				w: float64(i-start) * unit, h: unit + overlap})
		}
	}
	return ops
}

func (l *layouter) units(s string, bold bool) int {
	u := 0
	for _, r := range s {
		u += l.width(r, bold)
	}
	return u
}

func (l *layouter) measure(s string, size float64, bold bool) float64 {
	return float64(l.units(s, bold)) * size / 1000 * ptToMM
}

// wrap breaks text into lines no wider than w (mm). Lines break at spaces only (no-break spaces
// hold); a word longer than a line (a long link) is cut, after a « / », « - » or « . » when one
// comes late enough, else where the line is full.
func (l *layouter) wrap(text string, w, size float64, bold bool) []string {
	if text == "" {
		return nil
	}
	maxU := int(w / (size * ptToMM) * 1000)
	space := l.width(' ', bold)
	var lines []string
	var line strings.Builder
	lineU := 0
	for word := range strings.SplitSeq(text, " ") {
		if word == "" {
			continue
		}
		wu := l.units(word, bold)
		if line.Len() > 0 && lineU+space+wu <= maxU {
			line.WriteByte(' ')
			line.WriteString(word)
			lineU += space + wu
			continue
		}
		if line.Len() > 0 {
			lines = append(lines, line.String())
			line.Reset()
		}
		for wu > maxU {
			head, rest := l.cut(word, maxU, bold)
			lines = append(lines, head)
			word = rest
			wu = l.units(word, bold)
		}
		line.WriteString(word)
		lineU = wu
	}
	if line.Len() > 0 {
		lines = append(lines, line.String())
	}
	return lines
}

// cut splits a word too long for a line: the head fits maxU (at least one rune, so that wrapping
// always ends).
func (l *layouter) cut(word string, maxU int, bold bool) (head, rest string) {
	u, end, soft := 0, 0, 0
	for i, r := range word {
		w := l.width(r, bold)
		if u+w > maxU && end > 0 {
			break
		}
		u += w
		end = i + utf8.RuneLen(r)
		if strings.ContainsRune("/-.?&=_", r) && u > maxU/2 {
			soft = end
		}
	}
	if soft > 0 && soft < len(word) {
		end = soft
	}
	return word[:end], word[end:]
}

// truncate shortens text to fit w, ending with « … » when cut.
func (l *layouter) truncate(text string, w, size float64, bold bool) string {
	if l.measure(text, size, bold) <= w {
		return text
	}
	maxU := int(w/(size*ptToMM)*1000) - l.width('…', bold)
	u := 0
	for i, r := range text {
		if u += l.width(r, bold); u > maxU {
			return strings.TrimSpace(text[:i]) + "…"
		}
	}
	return text
}
