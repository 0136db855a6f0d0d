// Command genrepertoire writes internal/sheet/repertoire.go, the table of the characters a sheet
// may print, from the fonts internal/pdf embeds. Run it with `go generate ./internal/sheet`
// after replacing a font.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/edas92/passerelle/internal/pdf/internal/repertoire"
)

func main() {
	fonts := flag.String("fonts", "../pdf/fonts", "folder of the embedded fonts")
	out := flag.String("o", "repertoire.go", "file to write")
	flag.Parse()
	if err := run(*fonts, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genrepertoire:", err)
		os.Exit(1)
	}
}

func run(fontDir, out string) error {
	var fonts [][]byte
	for _, name := range []string{"LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"} {
		b, err := os.ReadFile(filepath.Join(fontDir, name))
		if err != nil {
			return fmt.Errorf("read font: %w", err)
		}
		fonts = append(fonts, b)
	}
	ranges, err := repertoire.Ranges(fonts...)
	if err != nil {
		return fmt.Errorf("compute repertoire: %w", err)
	}
	src, err := repertoire.Source(ranges)
	if err != nil {
		return fmt.Errorf("format repertoire: %w", err)
	}
	return os.WriteFile(out, src, 0o644)
}
