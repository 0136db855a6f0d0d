package pdf

import (
	"fmt"
	"image/color"
	"sync"

	"github.com/boombuler/barcode/qr"
)

// qrModules encodes content as a QR code (error correction M: 15 % of the code may be smudged)
// and returns its modules, true for dark, without the quiet zone.
//
// The code is drawn as vector squares rather than through gofpdf's contrib/barcode, which
// embeds a JPEG of one pixel per module (blurred edges once scaled), keeps every code ever
// registered in a process-wide cache, and would pull in a PDF417 module we do not use.
//
// Encoding is most of a sheet's cost after the fonts (the eight masks are scored), and a desk
// prints the same services again and again: codes are kept in a small cache, emptied when full.
func qrModules(content string) ([][]bool, error) {
	qrCache.Lock()
	m, ok := qrCache.codes[content]
	qrCache.Unlock()
	if ok {
		return m, nil // read only by the caller
	}
	m, err := encodeQR(content)
	if err != nil {
		return nil, err
	}
	qrCache.Lock()
	if len(qrCache.codes) >= qrCacheSize {
		clear(qrCache.codes)
	}
	qrCache.codes[content] = m
	qrCache.Unlock()
	return m, nil
}

const qrCacheSize = 256

var qrCache = struct {
	sync.Mutex
	codes map[string][][]bool
}{codes: map[string][][]bool{}}

func encodeQR(content string) ([][]bool, error) {
	code, err := qr.Encode(content, qr.M, qr.Unicode)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	b := code.Bounds()
	n := b.Dx()
	m := make([][]bool, n)
	for y := range n {
		m[y] = make([]bool, n)
		for x := range n {
			g := color.GrayModel.Convert(code.At(b.Min.X+x, b.Min.Y+y)).(color.Gray)
			m[y][x] = g.Y < 128
		}
	}
	return m, nil
}
