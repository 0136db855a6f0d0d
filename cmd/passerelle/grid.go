package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/grid"
	"github.com/edas92/passerelle/internal/interviews"
)

// cmdGrid: grid validate FILE, grid import FILE, grid list, grid default.
func cmdGrid(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlagSet("grid", stderr)
	asJSON := fs.Bool("json", false, "sortie JSON")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return usageErrorf("grid : sous-commandes validate FICHIER, import FICHIER, list, default")
	}
	switch sub := rest[0]; {
	case sub == "default" && len(rest) == 1:
		_, err := stdout.Write(grid.DefaultJSON())
		return err
	case (sub == "validate" || sub == "import") && len(rest) == 2:
		b, err := os.ReadFile(rest[1])
		if err != nil {
			return &exitError{code: exitNothing, err: fmt.Errorf("impossible de lire %s", rest[1])}
		}
		if sub == "validate" {
			g, err := interviews.ValidateGrid(b)
			if err != nil {
				return userError(err)
			}
			return report(stdout, *asJSON, gridLine(g, true), "Grille « %s » (%s, version %d) : valide, %d domaines, %d questions.\n",
				g.Title, g.ID, g.Version, len(g.Domains), countQuestions(g))
		}
		svc, db, err := c.interviews(stderr)
		if err != nil {
			return err
		}
		defer db.Close()
		g, added, err := svc.ImportGrid(ctx, b)
		if err != nil {
			return userError(err)
		}
		msg := "Grille « %s » (%s, version %d) importée : les nouveaux entretiens l’utiliseront.\n"
		if !added {
			msg = "Grille « %s » (%s, version %d) déjà présente, identique : rien n’a changé.\n"
		}
		return report(stdout, *asJSON, gridLine(g, added), msg, g.Title, g.ID, g.Version)
	case sub == "list" && len(rest) == 1:
		svc, db, err := c.interviews(stderr)
		if err != nil {
			return err
		}
		defer db.Close()
		if _, err := svc.Start(ctx); err != nil { // the default grid is always there
			return err
		}
		infos, err := svc.Grids(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(stdout, infos)
		}
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		for _, g := range infos {
			mark := ""
			if g.Current {
				mark = "en usage"
			}
			fmt.Fprintf(tw, "%s\tversion %d\t%s\t%s\n", g.ID, g.Version, g.Title, mark)
		}
		return tw.Flush()
	}
	return usageErrorf("grid : sous-commandes validate FICHIER, import FICHIER, list, default")
}

// gridLine is the JSON report of grid validate and import.
func gridLine(g domain.Grid, added bool) map[string]any {
	return map[string]any{"id": g.ID, "version": g.Version, "title": g.Title, "domains": len(g.Domains),
		"questions": countQuestions(g), "added": added}
}

func report(w io.Writer, asJSON bool, v any, format string, args ...any) error {
	if asJSON {
		return writeJSON(w, v)
	}
	_, err := fmt.Fprintf(w, format, args...)
	return err
}

func countQuestions(g domain.Grid) int {
	n := 0
	for _, d := range g.Domains {
		n += len(d.Questions)
	}
	return n
}
