package pdf

import (
	"fmt"
	"image/color"

	"github.com/boombuler/barcode/qr"
)

// qrModules encodes content as a QR code (error correction M: 15 % of the code may be smudged)
// and returns its modules, true for dark, without the quiet zone.
//
// The code is drawn as vector squares rather than through gofpdf's contrib/barcode, which
// embeds a JPEG of one pixel per module (blurred edges once scaled), keeps every code ever
// registered in a process-wide cache, and would pull in a PDF417 module we do not use.
func qrModules(content string) ([][]bool, error) {
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
