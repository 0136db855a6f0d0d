package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/demo"
	"github.com/edas92/passerelle/internal/directory"
	"github.com/edas92/passerelle/internal/domain"
)

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlagSet("import", stderr)
	format := fs.String("format", "auto", "auto, di-json ou csv")
	asJSON := fs.Bool("json", false, "rapport en JSON")
	files, err := parse(fs, args)
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
	dir, db, err := c.open(stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	sources := make([]directory.Source, len(files))
	for i, name := range files {
		sources[i] = directory.FileSource(name)
	}
	rep, err := dir.Import(ctx, sources, f, domain.OriginImport, progressPrinter(stderr, *asJSON))
	if err != nil {
		return err
	}
	if *asJSON {
		if err := writeJSON(stdout, rep); err != nil {
			return err
		}
	} else {
		printReport(stdout, rep)
	}
	return importExit(rep)
}

// importExit: 0 when every record was valid, 1 when some were rejected and others imported,
// 2 when nothing could be imported.
func importExit(rep domain.ImportReport) error {
	if len(rep.Rejected) == 0 {
		return nil
	}
	if rep.Imported+rep.Updated+rep.Unchanged == 0 {
		return &exitError{code: exitNothing}
	}
	return &exitError{code: exitPartial}
}

func printReport(w io.Writer, rep domain.ImportReport) {
	for _, l := range rep.Lines() {
		fmt.Fprintln(w, l)
	}
}

// progressPrinter shows progress on a terminal, at most a few times a second.
func progressPrinter(stderr io.Writer, quiet bool) domain.ProgressFunc {
	f, ok := stderr.(*os.File)
	if quiet || !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	var last time.Time
	return func(p domain.ImportProgress) {
		if time.Since(last) < 200*time.Millisecond {
			return
		}
		last = time.Now()
		if p.Total > 0 {
			fmt.Fprintf(stderr, "\r%s… %d / %d   ", p.Phase, p.Done, p.Total)
		} else {
			fmt.Fprintf(stderr, "\r%s… %d   ", p.Phase, p.Done)
		}
	}
}

// searchHit is one line of `search --json`: the documented contract.
type searchHit struct {
	ID           string   `json:"id"`
	StructureID  string   `json:"structure_id"`
	Source       string   `json:"source"`
	Nom          string   `json:"nom"`
	StructureNom string   `json:"structure_nom"`
	Commune      string   `json:"commune"`
	CodeInsee    string   `json:"code_insee"`
	DistanceKm   *float64 `json:"distance_km"`
	Thematiques  []string `json:"thematiques"`
	Frais        *string  `json:"frais"`
	ModesAccueil []string `json:"modes_accueil"`
}

func cmdSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlagSet("search", stderr)
	var q domain.SearchQuery
	var themes, categories, publics listFlag
	fs.Var(&themes, "theme", "thématique (code data·inclusion ; une catégorie couvre ses sous-thèmes)")
	fs.Var(&categories, "category", "catégorie locale du guide")
	fs.Var(&publics, "public", "public visé")
	fs.BoolVar(&q.FreeOnly, "free", false, "gratuit seulement")
	fs.StringVar(&q.Mode, "mode", "", "en-presentiel ou a-distance")
	fs.StringVar(&q.Commune, "commune", "", "situé dans cette commune")
	fs.StringVar(&q.Near, "near", "", "près de cette commune")
	fs.Float64Var(&q.Km, "km", 0, "rayon autour de --near (km)")
	fs.StringVar(&q.EligibleFor, "eligible-for", "", "accessible à un habitant de cette commune")
	openOn := fs.String("open-on", "", "ouvert ce jour (samedi, saturday…)")
	fs.BoolVar(&q.CanGive, "can-give", false, "où l’on peut aussi donner (bénévolat, savoir-faire)")
	fs.IntVar(&q.Limit, "limit", 20, "nombre de résultats")
	asJSON := fs.Bool("json", false, "résultats en JSON")
	words, err := parse(fs, args)
	if err != nil {
		return err
	}
	q.Text = strings.Join(words, " ")
	q.Themes, q.Categories, q.Publics = themes, categories, publics
	if *openOn != "" {
		if q.OpenOn, err = directory.ParseWeekday(*openOn); err != nil {
			return userError(err)
		}
	}
	if q.Limit <= 0 || q.Limit > 500 {
		return usageErrorf("search : --limit doit être entre 1 et 500")
	}
	dir, db, err := c.open(stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := dir.Load(ctx); err != nil {
		return err
	}
	res, err := dir.Search(ctx, q)
	if err != nil {
		return userError(err)
	}
	if *asJSON {
		out := make([]searchHit, 0, len(res.Hits))
		for _, h := range res.Hits {
			var frais *string
			if h.Frais != "" {
				frais = &h.Frais
			}
			out = append(out, searchHit{ID: h.ID, StructureID: h.StructureID, Source: h.Source, Nom: h.Nom,
				StructureNom: h.StructureNom, Commune: h.Commune, CodeInsee: h.CodeInsee, DistanceKm: h.DistanceKm,
				Thematiques: nonNil(h.Thematiques), Frais: frais, ModesAccueil: nonNil(h.ModesAccueil)})
		}
		return writeJSON(stdout, out)
	}
	printHits(stdout, res)
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func printHits(w io.Writer, res domain.SearchResult) {
	if res.Total == 0 {
		fmt.Fprintln(w, "Aucune initiative ne correspond.")
		return
	}
	fmt.Fprintf(w, "%d initiative(s)", res.Total)
	if len(res.Hits) < res.Total {
		fmt.Fprintf(w, ", les %d premières", len(res.Hits))
	}
	fmt.Fprintln(w, " :")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, h := range res.Hits {
		dist := ""
		if h.DistanceKm != nil {
			dist = strings.Replace(strconv.FormatFloat(*h.DistanceKm, 'f', 1, 64), ".", ",", 1) + " km"
		} else if h.Remote {
			dist = "à distance"
		}
		fmt.Fprintf(tw, "%d.\t%s\t%s\t%s\t%s\n", i+1, h.Nom, h.Commune, dist, h.ID)
	}
	tw.Flush()
}

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlagSet("export", stderr)
	format := fs.String("format", "", "di-json ou csv")
	out := fs.String("out", "", "dossier (di-json) ou fichier (csv)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErrorf("export : argument inattendu « %s »", rest[0])
	}
	f := datainclusion.Format(*format)
	if f != datainclusion.FormatDIJSON && f != datainclusion.FormatCSV {
		return usageErrorf("export : indiquez --format di-json ou --format csv")
	}
	if *out == "" {
		return usageErrorf("export : indiquez --out")
	}
	dir, db, err := c.open(stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	paths, err := dir.Export(ctx, f, *out)
	if err != nil {
		return userError(err)
	}
	for _, p := range paths {
		fmt.Fprintln(stdout, p)
	}
	return nil
}

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlagSet("demo", stderr)
	asJSON := fs.Bool("json", false, "rapport en JSON")
	n := fs.Int("services", 0, "demo generate : nombre de services à fabriquer")
	out := fs.String("out", "", "demo generate : dossier où écrire structures.json et services.json")
	seed := fs.Int64("seed", 92, "demo generate : graine (mêmes valeurs → mêmes fichiers)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 1 && rest[0] == "generate" && *n > 0 && *out != "" {
		paths, err := generateFiles(*n, *seed, *out)
		if err != nil {
			return userError(err)
		}
		for _, p := range paths {
			fmt.Fprintln(stdout, p)
		}
		return nil
	}
	if len(rest) == 1 && rest[0] == "generate" {
		return usageErrorf("demo generate : indiquez --services N et --out DOSSIER")
	}
	if len(rest) != 1 || rest[0] != "load" {
		return usageErrorf("demo : sous-commandes « demo load » et « demo generate »")
	}
	dir, db, err := c.open(stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := dir.LoadDemo(ctx, nil)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, rep)
	}
	printReport(stdout, rep)
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// generateFiles writes n fictitious services and their structures as data·inclusion files, for
// load tests and benchmarks on a real desk. Nothing is imported.
func generateFiles(n int, seed int64, dir string) ([]string, error) {
	if n > 1_000_000 {
		return nil, domain.Errorf(domain.EINVALID, "Au plus 1 000 000 services.")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, domain.Errorf(domain.EINVALID, "Impossible de créer le dossier %s.", dir)
	}
	sts, svs := demo.Generate(n, seed)
	paths := []string{filepath.Join(dir, "structures.json"), filepath.Join(dir, "services.json")}
	for i, write := range []func(io.Writer) error{
		func(w io.Writer) error { return datainclusion.EncodeStructures(w, sts) },
		func(w io.Writer) error { return datainclusion.EncodeServices(w, svs) },
	} {
		f, err := os.Create(paths[i])
		if err != nil {
			return nil, domain.Errorf(domain.EINVALID, "Impossible d’écrire %s.", paths[i])
		}
		bw := bufio.NewWriterSize(f, 1<<20)
		if err := write(bw); err != nil {
			f.Close()
			return nil, fmt.Errorf("generate: %w", err)
		}
		if err := bw.Flush(); err != nil {
			f.Close()
			return nil, fmt.Errorf("generate: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("generate: %w", err)
		}
	}
	return paths, nil
}
