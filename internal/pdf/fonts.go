package pdf

import _ "embed"

// The fonts of every sheet: Liberation Sans 2.1.5, SIL Open Font License 1.1 (fonts/OFL.txt;
// provenance in fonts/README.md). Embedded so that a sheet prints with no network and no system
// font. The repertoire of internal/sheet is generated from these two files.
var (
	//go:embed fonts/LiberationSans-Regular.ttf
	fontRegular []byte
	//go:embed fonts/LiberationSans-Bold.ttf
	fontBold []byte
)
