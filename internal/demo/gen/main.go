// Command gen writes the embedded demo directory (../data/structures.json and services.json)
// from the curated specifications. It is run by `go generate ./internal/demo`, from the demo
// package's folder.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/edas92/passerelle/internal/demo/curated"
)

func main() {
	if err := run("data"); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	sts, svs, err := curated.JSON()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	for name, b := range map[string][]byte{"structures.json": sts, "services.json": svs} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}
