// Package pdf prints a sheet.Document as an A4 PDF, offline and deterministically: the fonts are
// embedded (fonts/, Liberation Sans), layout.go measures every block and paginates it in pure Go
// (a block is never cut across pages unless taller than one), qr.go encodes the QR codes, and
// render.go, the only file that imports gofpdf, draws the result.
//
// What may be printed is decided upstream, in internal/sheet (sheet.Printable, sheet.CanPrint,
// generated from these fonts); Render applies the same rule again so that no document, even one
// built by hand, can make it panic.
package pdf
