// Package sheet builds the printed sheets of Passerelle (the referral sheet handed to a person,
// the « fiche initiative » for an EDAS reception desk) as plain data: a tree of blocks made from
// domain data, with every text already as it will be printed. It knows nothing of PDF; the
// internal/pdf package draws a Document. Golden tests compare the tree, never PDF bytes.
package sheet

import "time"

// Document is one printed sheet: page geometry, running header and footer, and the blocks in
// reading order. It is plain data, JSON-serialisable with a stable field order so that golden
// files diff well. Sizes are in points (type) and millimetres (geometry).
type Document struct {
	Title  string    `json:"title"`  // the PDF's title (metadata)
	Date   time.Time `json:"date"`   // the sheet's date: also the PDF's creation date, no wall clock
	Page   Page      `json:"page"`   // paper and margins
	Header Running   `json:"header"` // at the top of every page; no header when Text is ""
	Footer Running   `json:"footer"` // at the bottom of every page, with the page numbers
	Blocks []Block   `json:"blocks"` // the content, in reading order
}

// Page is the paper and its margins, in millimetres.
type Page struct {
	Size         string  `json:"size"` // "A4"
	Width        float64 `json:"width"`
	Height       float64 `json:"height"`
	MarginTop    float64 `json:"margin_top"`
	MarginRight  float64 `json:"margin_right"`
	MarginBottom float64 `json:"margin_bottom"`
	MarginLeft   float64 `json:"margin_left"`
	// LabelWidth is the width of the label column of field blocks (« Où », « Quand »…).
	LabelWidth float64 `json:"label_width"`
}

// Running is a line repeated on every page, outside the margins of the content.
type Running struct {
	Text string  `json:"text,omitempty"` // left-aligned; "" for none
	Size float64 `json:"size"`           // points
	// PageNumbers is right-aligned, with {page} and {pages} replaced by the page number and the
	// page count (« Page {page} sur {pages} »); "" for none.
	PageNumbers string `json:"page_numbers,omitempty"`
}

// Kind says what a block is.
type Kind string

// The kinds of blocks.
const (
	// KindHeading is a title line (Text, Size, Bold). It is kept on the same page as what
	// follows it.
	KindHeading Kind = "heading"
	// KindParagraph is text wrapped to the content width (Text, Size, Bold, Muted).
	KindParagraph Kind = "paragraph"
	// KindField is a label in the left column (bold) and its value lines in the right column,
	// each line wrapped on its own (Label, Lines, Size).
	KindField Kind = "field"
	// KindQR is a row of QR codes, each with its caption beside it (QRs, QRSize).
	KindQR Kind = "qr"
	// KindRule is a thin horizontal line across the content width.
	KindRule Kind = "rule"
	// KindGroup holds blocks (Blocks); with KeepTogether it is never cut across pages unless it
	// is taller than a page.
	KindGroup Kind = "group"
)

// Block is one element of the layout. Which fields matter depends on Kind (see the Kind
// constants); the others stay empty and are left out of the JSON.
type Block struct {
	Kind Kind `json:"kind"`
	// Gap is the space above the block, in millimetres; it is dropped at the top of a page.
	Gap   float64  `json:"gap,omitempty"`
	Text  string   `json:"text,omitempty"`
	Label string   `json:"label,omitempty"`
	Lines []string `json:"lines,omitempty"`
	Size  float64  `json:"size,omitempty"` // points
	Bold  bool     `json:"bold,omitempty"`
	// Muted text is secondary (dates of checking, a structure's name): printed in dark grey.
	Muted        bool    `json:"muted,omitempty"`
	QRs          []QR    `json:"qrs,omitempty"`
	QRSize       float64 `json:"qr_size,omitempty"` // side of each code, in millimetres
	KeepTogether bool    `json:"keep_together,omitempty"`
	Blocks       []Block `json:"blocks,omitempty"`
}

// QR is a QR code and the caption printed beside it.
type QR struct {
	Content string `json:"content"` // what a phone reads: a URL or a tel: URI
	Caption string `json:"caption"` // « Scannez pour appeler »
}
