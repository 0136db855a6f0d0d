package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/syncserver"
)

func cmdImport(ctx context.Context, x *env, args []string) error {
	fs, c := x.newFlagSet()
	format := fs.String("format", "auto", "`FORMAT` des fichiers : auto, di-json ou csv")
	files, err := x.parse(fs, args)
	if err != nil {
		return err
	}
	f := datainclusion.Format(*format)
	if f != datainclusion.FormatAuto && f != datainclusion.FormatDIJSON && f != datainclusion.FormatCSV {
		return usageErrorf("import : format inconnu « %s » (auto, di-json ou csv)", *format)
	}
	if len(files) == 0 {
		return usageErrorf("import : indiquez au moins un fichier")
	}
	srv, db, err := x.admin(c)
	if err != nil {
		return err
	}
	defer db.Close()
	sources := make([]syncserver.ImportFile, len(files))
	for i, name := range files {
		sources[i] = syncserver.FileOnDisk(name)
	}
	rep, err := srv.ImportDirectory(ctx, sources, f)
	if err != nil {
		return err
	}
	if c.asJSON {
		if err := writeJSON(x.stdout, rep); err != nil {
			return err
		}
	} else {
		printReport(x.stdout, rep)
	}
	return importExit(rep)
}

// importExit, as the desk's import: 0 when every record was valid, 1 when some were rejected and
// others published, 2 when nothing could be.
func importExit(rep domain.ImportReport) error {
	if len(rep.Rejected) == 0 {
		return nil
	}
	if rep.Imported+rep.Updated+rep.Unchanged == 0 {
		return &exitError{code: exitNothing}
	}
	return &exitError{code: exitPartial}
}

// printReport prints an import report for people, as the desk's passerelle import does.
func printReport(w io.Writer, rep domain.ImportReport) {
	for _, l := range rep.Lines() {
		fmt.Fprintln(w, l)
	}
}

func cmdDirectoryRemove(ctx context.Context, x *env, args []string) error {
	fs, c := x.newFlagSet()
	ids, err := x.parse(fs, args)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return usageErrorf("directory remove : indiquez au moins un identifiant data·inclusion (source--id)")
	}
	srv, db, err := x.admin(c)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := srv.RemoveDirectory(ctx, ids)
	if err != nil {
		return userError(err)
	}
	if c.asJSON {
		return writeJSON(x.stdout, rep)
	}
	fmt.Fprintf(x.stdout, "%d enregistrement(s) retiré(s) de l’annuaire, %d déjà retiré(s).\n", len(rep.Removed), len(rep.AlreadyRemoved))
	for _, r := range rep.Removed {
		what := "service"
		if r.Kind == domain.KindStructure {
			what = "structure"
		}
		with := ""
		if r.With != "" {
			with = " (avec sa structure " + r.With + ")"
		}
		fmt.Fprintf(x.stdout, "  retiré : %s %s%s\n", what, r.ID, with)
	}
	for _, id := range rep.AlreadyRemoved {
		fmt.Fprintf(x.stdout, "  déjà retiré : %s\n", id)
	}
	return nil
}

// gridLine is the JSON output of grid publish, as the desk's grid import.
type gridLine struct {
	ID        string `json:"id"`
	Version   int    `json:"version"`
	Title     string `json:"title"`
	Domains   int    `json:"domains"`
	Questions int    `json:"questions"`
	Added     bool   `json:"added"`
}

func cmdGridPublish(ctx context.Context, x *env, args []string) error {
	fs, c := x.newFlagSet()
	rest, err := x.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageErrorf("grid publish : indiquez un fichier de grille")
	}
	b, err := os.ReadFile(rest[0])
	if err != nil {
		return nothingErrorf("impossible de lire %s", rest[0])
	}
	srv, db, err := x.admin(c)
	if err != nil {
		return err
	}
	defer db.Close()
	g, added, err := srv.PublishGrid(ctx, b)
	if err != nil {
		return userError(err)
	}
	line := gridLine{ID: g.ID, Version: g.Version, Title: g.Title, Domains: len(g.Domains), Added: added}
	for _, d := range g.Domains {
		line.Questions += len(d.Questions)
	}
	if c.asJSON {
		return writeJSON(x.stdout, line)
	}
	if added {
		fmt.Fprintf(x.stdout, "Grille « %s » (%s, version %d) publiée : les postes la recevront à leur prochaine synchronisation.\n", g.Title, g.ID, g.Version)
	} else {
		fmt.Fprintf(x.stdout, "Grille « %s » (%s, version %d) déjà publiée, identique : rien n’a changé.\n", g.Title, g.ID, g.Version)
	}
	return nil
}
