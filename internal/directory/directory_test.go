package directory_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/directory"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/sqlite"
)

var fixedNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// newDirectory opens a directory over a fresh SQLite file.
func newDirectory(t *testing.T) (*directory.Directory, *sqlite.DB) {
	t.Helper()
	now := func() time.Time { return fixedNow }
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "passerelle.db"), sqlite.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	d := directory.New(db, directory.Options{Now: now, Logger: slog.New(slog.DiscardHandler)})
	if err := d.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d, db
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const structuresJSON = `[
 {"id": "cd92--s1", "source": "cd92", "nom": "Association La Clé", "date_maj": "2026-10-01",
  "adresse": "3 rue des Lilas", "code_postal": "92000", "code_insee": "92050", "commune": "Nanterre",
  "latitude": 48.8924, "longitude": 2.2069, "horaires_accueil": "Mo-Fr 09:00-17:00"},
 {"id": "cd92--s2", "source": "cd92", "nom": "Centre social des Sablons", "date_maj": "2026-09-01",
  "code_insee": "92002", "commune": "Antony", "latitude": 48.7501, "longitude": 2.2991}
]`

const servicesJSON = `[
 {"id": "cd92--v1", "source": "cd92", "structure_id": "cd92--s1", "nom": "Épicerie solidaire Le Panier du Cœur",
  "description": "Des courses à petit prix et des ateliers cuisine.", "date_maj": "2026-10-01",
  "thematiques": ["equipement-et-alimentation--alimentation"], "frais": "payant", "publics": ["tous-publics"],
  "horaires_accueil": "Sa[1] 10:00-12:00"},
 {"id": "cd92--v2", "source": "cd92", "structure_id": "cd92--s2", "nom": "Jardin partagé des Sablons",
  "description": "Cultiver ensemble un potager.", "date_maj": "2026-10-01", "frais": "gratuit",
  "thematiques": ["remobilisation--lien-social"], "zone_eligibilite": ["92002"]}
]`

func TestImport_RoundTripAndIdempotence(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, db := newDirectory(t)
	tmp := t.TempDir()
	// Services first: structures are taken from every file before services.
	files := []directory.Source{
		directory.FileSource(writeFile(t, tmp, "services.json", servicesJSON)),
		directory.FileSource(writeFile(t, tmp, "structures.json", structuresJSON)),
	}
	rep, err := d.Import(ctx, files, datainclusion.FormatAuto, domain.OriginImport, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 4 || rep.Updated != 0 || rep.Unchanged != 0 || len(rep.Rejected) != 0 {
		t.Fatalf("first import: %+v", rep)
	}
	changes, err := db.Changes(ctx, 0, 100)
	if err != nil || len(changes) != 4 {
		t.Fatalf("change log after first import: %d rows, %v", len(changes), err)
	}

	rep, err = d.Import(ctx, files, datainclusion.FormatAuto, domain.OriginImport, nil)
	if err != nil || rep.Imported != 0 || rep.Updated != 0 || rep.Unchanged != 4 {
		t.Fatalf("re-import must change nothing: %+v, %v", rep, err)
	}
	if changes, _ := db.Changes(ctx, 0, 100); len(changes) != 4 {
		t.Fatalf("re-import wrote %d change-log rows", len(changes)-4)
	}

	// A new edition: one service changed.
	edited := strings.Replace(servicesJSON, "Cultiver ensemble un potager.", "Cultiver ensemble un grand potager.", 1)
	rep, err = d.Import(ctx, []directory.Source{directory.FileSource(writeFile(t, tmp, "services-v2.json", edited))},
		datainclusion.FormatAuto, domain.OriginImport, nil)
	if err != nil || rep.Imported != 0 || rep.Updated != 1 || rep.Unchanged != 1 {
		t.Fatalf("new edition: %+v, %v", rep, err)
	}
	res, err := d.Search(ctx, domain.SearchQuery{Text: "grand potager"})
	if err != nil || res.Total != 1 || res.Hits[0].ID != "cd92--v2" || res.Hits[0].Origin != domain.OriginImport {
		t.Fatalf("the index must follow the update: %+v, %v", res, err)
	}

	// Export, then import the export into a fresh desk: the same records come back.
	out := filepath.Join(tmp, "export")
	paths, err := d.Export(ctx, datainclusion.FormatDIJSON, out)
	if err != nil || len(paths) != 2 {
		t.Fatalf("export: %v %v", paths, err)
	}
	d2, db2 := newDirectory(t)
	rep, err = d2.Import(ctx, []directory.Source{directory.FileSource(paths[0]), directory.FileSource(paths[1])},
		datainclusion.FormatAuto, domain.OriginImport, nil)
	if err != nil || rep.Imported != 4 || len(rep.Rejected) != 0 {
		t.Fatalf("import of the export: %+v %v", rep, err)
	}
	sameDirectory(t, db, db2)

	// The exported services file equals the edited input, field for field (null ≡ absent).
	var in, got []map[string]any
	mustUnmarshal(t, []byte(edited), &in)
	b, _ := os.ReadFile(paths[1])
	mustUnmarshal(t, b, &got)
	for i := range in {
		for k, v := range in[i] {
			if !reflect.DeepEqual(got[i][k], v) {
				t.Errorf("export service %d field %s = %v, want %v", i, k, got[i][k], v)
			}
		}
		for k, v := range got[i] {
			if _, ok := in[i][k]; !ok && v != nil {
				t.Errorf("export service %d has extra field %s = %v", i, k, v)
			}
		}
	}

	// CSV export, then import into another fresh desk.
	csvPath := filepath.Join(tmp, "annuaire.csv")
	if _, err := d.Export(ctx, datainclusion.FormatCSV, csvPath); err != nil {
		t.Fatal(err)
	}
	d3, db3 := newDirectory(t)
	rep, err = d3.Import(ctx, []directory.Source{directory.FileSource(csvPath)}, datainclusion.FormatAuto, domain.OriginImport, nil)
	if err != nil || rep.Imported != 4 || len(rep.Rejected) != 0 {
		t.Fatalf("import of the CSV export: %+v %v", rep, err)
	}
	sameDirectory(t, db, db3)
}

func sameDirectory(t *testing.T, a, b *sqlite.DB) {
	t.Helper()
	ctx := context.Background()
	sa, va, err := a.LoadDirectory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sb, vb, err := b.LoadDirectory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	strip := func(sts []domain.Structure, svs []domain.Service) ([]domain.Structure, []domain.Service) {
		for i := range sts {
			sts[i].Meta = domain.Meta{UUID: sts[i].UUID}
		}
		for i := range svs {
			svs[i].Meta = domain.Meta{UUID: svs[i].UUID}
		}
		sort.Slice(sts, func(i, j int) bool { return sts[i].ID < sts[j].ID })
		sort.Slice(svs, func(i, j int) bool { return svs[i].ID < svs[j].ID })
		return sts, svs
	}
	sa, va = strip(sa, va)
	sb, vb = strip(sb, vb)
	if !reflect.DeepEqual(sa, sb) {
		t.Errorf("structures differ:\n%+v\n%+v", sa, sb)
	}
	if !reflect.DeepEqual(va, vb) {
		t.Errorf("services differ:\n%+v\n%+v", va, vb)
	}
}

func mustUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func TestImport_BadInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tmp := t.TempDir()
	structures := writeFile(t, tmp, "structures.json", structuresJSON)
	for _, tc := range []struct {
		name         string
		files        []string
		wantImported int
		wantRejected []string // "file:position:substring of the reason"
	}{
		{
			name:         "service of an unknown structure is rejected, the others imported",
			files:        []string{structures, writeFile(t, tmp, "orphan.json", `[{"id":"cd92--v9","source":"cd92","structure_id":"cd92--nope","nom":"Repair café","description":"On répare ensemble.","date_maj":"2026-01-01"}]`)},
			wantImported: 2,
			wantRejected: []string{"orphan.json:0:structure « cd92--nope » est inconnue"},
		},
		{
			name:         "truncated file imports nothing from it",
			files:        []string{structures, writeFile(t, tmp, "cut.json", servicesJSON[:200])},
			wantImported: 2,
			wantRejected: []string{"cut.json:-1:"},
		},
		{
			name:         "file that does not exist",
			files:        []string{filepath.Join(tmp, "absent.json")},
			wantImported: 0,
			wantRejected: []string{"absent.json:-1:Impossible d’ouvrir"},
		},
		{
			name:         "same id in two files: the later one is rejected",
			files:        []string{structures, writeFile(t, tmp, "again.json", structuresJSON)},
			wantImported: 2,
			wantRejected: []string{"again.json:0:déjà présent", "again.json:1:déjà présent"},
		},
		{
			name:         "invalid record rejected with its position and French reason",
			files:        []string{writeFile(t, tmp, "bad.json", `[{"id":"cd92--ok","source":"cd92","nom":"Tiers-lieu","date_maj":"2026-01-01"},{"id":"cd92--bad","source":"cd92","nom":"X","date_maj":"2026-13-01","latitude":"48.8"}]`)},
			wantImported: 1,
			wantRejected: []string{"bad.json:1:nom"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, db := newDirectory(t)
			var srcs []directory.Source
			for _, f := range tc.files {
				srcs = append(srcs, directory.FileSource(f))
			}
			rep, err := d.Import(ctx, srcs, datainclusion.FormatAuto, domain.OriginImport, nil)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Imported != tc.wantImported {
				t.Errorf("imported %d, want %d (%+v)", rep.Imported, tc.wantImported, rep)
			}
			if len(rep.Rejected) != len(tc.wantRejected) {
				t.Fatalf("rejected %+v, want %v", rep.Rejected, tc.wantRejected)
			}
			for i, want := range tc.wantRejected {
				parts := strings.SplitN(want, ":", 3)
				r := rep.Rejected[i]
				if filepath.Base(r.File) != parts[0] || itoa(r.Position) != parts[1] || !strings.Contains(r.Reason, parts[2]) {
					t.Errorf("rejection %d = %+v, want %s", i, r, want)
				}
			}
			n, _ := db.CountServices(ctx)
			res, _ := d.Search(ctx, domain.SearchQuery{})
			if res.Total != n {
				t.Errorf("index (%d services) and store (%d) disagree", res.Total, n)
			}
		})
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestSearch_ResolvesWhatTheWorkerTypes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, _ := newDirectory(t)
	if _, err := d.LoadDemo(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		q       domain.SearchQuery
		errHas  string
		atLeast int
	}{
		{name: "commune by name without accents", q: domain.SearchQuery{Commune: "chatenay malabry"}, atLeast: 1},
		{name: "commune by postcode", q: domain.SearchQuery{Commune: "92130"}, atLeast: 1},
		{name: "near by INSEE code", q: domain.SearchQuery{Near: "92050", Km: 2}, atLeast: 1},
		{name: "eligible by name", q: domain.SearchQuery{EligibleFor: "La Garenne-Colombes"}, atLeast: 1},
		{name: "shared postcode is ambiguous", q: domain.SearchQuery{Near: "92190"}, errHas: "Clamart"},
		{name: "commune outside", q: domain.SearchQuery{Commune: "Lyon"}, errHas: "n’est pas une commune"},
		{name: "unknown theme", q: domain.SearchQuery{Themes: []string{"cuisine"}}, errHas: "Thématique inconnue"},
		{name: "unknown public", q: domain.SearchQuery{Publics: []string{"chats"}}, errHas: "Public inconnu"},
		{name: "km without near", q: domain.SearchQuery{Km: 3}, errHas: "autour d’une commune"},
		{name: "bad mode", q: domain.SearchQuery{Mode: "sur-place"}, errHas: "Mode d’accueil inconnu"},
		{name: "bad day", q: domain.SearchQuery{OpenOn: 9}, errHas: "Jour inconnu"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := d.Search(ctx, tc.q)
			if tc.errHas != "" {
				if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), tc.errHas) {
					t.Fatalf("got %v, want EINVALID containing %q", err, tc.errHas)
				}
				return
			}
			if err != nil || res.Total < tc.atLeast {
				t.Fatalf("got %d results, %v", res.Total, err)
			}
		})
	}
}

func TestParseWeekday(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{
		"saturday": 6, "Samedi": 6, "SAMEDI": 6, "sam": 6, "Sa": 6, "monday": 1, "lundi": 1,
		"dimanche": 7, "Sunday": 7, "3": 3, " mercredi ": 3,
	} {
		if got, err := directory.ParseWeekday(in); err != nil || got != want {
			t.Errorf("ParseWeekday(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "sabado", "8", "0", "lundimardi"} {
		if _, err := directory.ParseWeekday(bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("ParseWeekday(%q) must fail with EINVALID, got %v", bad, err)
		}
	}
}

func TestDemo_FirstLaunchOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, db := newDirectory(t)
	loaded, err := d.EnsureDemo(ctx)
	if err != nil || !loaded {
		t.Fatalf("first launch must load the demo: %v %v", loaded, err)
	}
	if n, _ := db.CountServices(ctx); n < 100 || d.Size() != n {
		t.Fatalf("demo: %d stored, %d indexed", n, d.Size())
	}
	if res, _ := d.Search(ctx, domain.SearchQuery{Limit: 500}); res.Hits[0].Origin != domain.OriginDemo || res.Hits[len(res.Hits)-1].Origin != domain.OriginDemo {
		t.Fatalf("demo hits must say so: %q", res.Hits[0].Origin)
	}
	if n, _ := d.DemoServices(ctx); n != d.Size() {
		t.Fatalf("DemoServices = %d, want %d", n, d.Size())
	}
	if loaded, _ := d.EnsureDemo(ctx); loaded {
		t.Fatal("the demo must not load twice")
	}
	n, err := d.RemoveDemo(ctx)
	if err != nil || n < 100 || d.Size() != 0 {
		t.Fatalf("remove demo: %d, %v, %d left in the index", n, err, d.Size())
	}
	if loaded, _ := d.EnsureDemo(ctx); loaded {
		t.Fatal("a removed demo must not come back at the next start")
	}
	if n, _ := d.DemoServices(ctx); n != 0 {
		t.Fatalf("DemoServices after removal = %d", n)
	}
	// Loading it on purpose restores it.
	rep, err := d.LoadDemo(ctx, nil)
	if err != nil || rep.Updated < 100 || d.Size() < 100 {
		t.Fatalf("demo load after removal: %+v %v (index %d)", rep, err, d.Size())
	}
}

func TestPropose(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, db := newDirectory(t)
	good := directory.Proposal{
		Nom: "Frigo solidaire de la rue Volta", Description: "Un frigo en libre-service devant la boulangerie.",
		Categorie: "frigo-solidaire", Commune: "clichy", Horaires: "Mo-Sa 08:00-20:00", Frais: "gratuit",
		PeutDonner: true, AccesTransport: "Métro 13, Mairie de Clichy",
	}
	id, err := d.Propose(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	res, err := d.Search(ctx, domain.SearchQuery{Text: "frigo volta"})
	if err != nil || res.Total != 1 || res.Hits[0].ServiceUUID != id || res.Hits[0].Origin != domain.OriginProposal {
		t.Fatalf("the proposal must be searchable at once: %+v %v", res, err)
	}
	h := res.Hits[0]
	if h.ID != domain.LocalID(id) || h.CodeInsee != "92024" || h.Categorie != "frigo-solidaire" {
		t.Errorf("proposal hit: %+v", h)
	}
	det, err := d.Detail(ctx, id)
	if err != nil || len(det.Hours.Sentences) == 0 || det.Location.CodePostal != "92110" ||
		len(det.Service.Thematiques) == 0 || det.Service.Publics[0] != "tous-publics" {
		t.Fatalf("proposal detail: %+v %v", det, err)
	}

	// Withdraw, then undo.
	if err := d.SetDeleted(ctx, id, true); err != nil {
		t.Fatal(err)
	}
	if res, _ := d.Search(ctx, domain.SearchQuery{Text: "frigo volta"}); res.Total != 0 {
		t.Fatal("a withdrawn proposal must leave the results")
	}
	if err := d.SetDeleted(ctx, id, false); err != nil {
		t.Fatal(err)
	}
	if res, _ := d.Search(ctx, domain.SearchQuery{Text: "frigo volta"}); res.Total != 1 {
		t.Fatal("a restored proposal must come back")
	}
	if ch, _ := db.Changes(ctx, 0, 100); len(ch) != 4 { // structure, service, delete, restore
		t.Errorf("change log: %+v", ch)
	}

	for _, tc := range []struct {
		name   string
		edit   func(p *directory.Proposal)
		errHas []string
	}{
		{"no name, no commune", func(p *directory.Proposal) { p.Nom = ""; p.Commune = "" }, []string{"nom", "commune"}},
		{"ambiguous postcode", func(p *directory.Proposal) { p.Commune = "92190" }, []string{"Clamart"}},
		{"unreadable hours", func(p *directory.Proposal) { p.Horaires = "le mardi" }, []string{"horaires"}},
		{"bad e-mail and category", func(p *directory.Proposal) { p.Courriel = "pas-un-courriel"; p.Categorie = "cantine" }, []string{"courriel", "catégorie inconnue"}},
	} {
		p := good
		tc.edit(&p)
		_, err := d.Propose(ctx, p)
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%s: got %v, want EINVALID", tc.name, err)
			continue
		}
		for _, s := range tc.errHas {
			if !strings.Contains(domain.ErrorMessage(err), s) {
				t.Errorf("%s: message %q lacks %q", tc.name, domain.ErrorMessage(err), s)
			}
		}
	}
	if n, _ := db.CountServices(ctx); n != 1 {
		t.Errorf("rejected proposals must store nothing: %d services", n)
	}
}

// importedFixtures is a desk holding the two fixture structures and their services.
func importedFixtures(t *testing.T) *directory.Directory {
	t.Helper()
	d, _ := newDirectory(t)
	tmp := t.TempDir()
	if _, err := d.Import(context.Background(), []directory.Source{
		directory.FileSource(writeFile(t, tmp, "s.json", structuresJSON)),
		directory.FileSource(writeFile(t, tmp, "v.json", servicesJSON)),
	}, datainclusion.FormatAuto, domain.OriginImport, nil); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestSetDeleted_ImportedRecordsStay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := importedFixtures(t)
	id := domain.RecordUUID(domain.KindService, "cd92", "cd92--v1")
	if err := d.SetDeleted(ctx, id, true); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("withdrawing an imported record: %v, want conflict", err)
	}
	if err := d.SetDeleted(ctx, "00000000-0000-0000-0000-000000000000", true); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("unknown service: %v, want not_found", err)
	}
}

func TestDetail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := importedFixtures(t)
	id := domain.RecordUUID(domain.KindService, "cd92", "cd92--v1")
	det, err := d.Detail(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !det.Location.FromStructure || det.Location.Commune != "Nanterre" {
		t.Errorf("the service inherits its structure's address: %+v", det.Location)
	}
	if got := strings.Join(det.Hours.Sentences, " "); got != "Le premier samedi du mois, de 10 h à 12 h." || det.Hours.FromStructure {
		t.Errorf("hours: %+v", det.Hours)
	}
	if det.Categorie == nil || det.Categorie.Code != "epicerie-solidaire" {
		t.Errorf("category inferred from the name: %+v", det.Categorie)
	}
	if det.Frais != "Payant" || det.Freshness.Level != domain.FreshUpToDate || det.Eligibilite != "Aucune condition de lieu de résidence indiquée." {
		t.Errorf("detail labels: frais %q, freshness %+v, eligibility %q", det.Frais, det.Freshness, det.Eligibilite)
	}
	det2, _ := d.Detail(ctx, domain.RecordUUID(domain.KindService, "cd92", "cd92--v2"))
	if det2.Eligibilite != "Réservé aux habitants de : Antony." || det2.Hours.Raw != "" {
		t.Errorf("second detail: %q %+v", det2.Eligibilite, det2.Hours)
	}

	note, err := d.SetNote(ctx, id, "  Appeler Mme Diallo avant d’envoyer quelqu’un.  ")
	if err != nil || note.Body != "Appeler Mme Diallo avant d’envoyer quelqu’un." {
		t.Fatalf("note: %+v %v", note, err)
	}
	if det, _ := d.Detail(ctx, id); det.Note.Body != note.Body {
		t.Errorf("the detail shows the note: %+v", det.Note)
	}
	if _, err := d.SetNote(ctx, id, strings.Repeat("x", 20001)); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a too long note: %v", err)
	}
	if _, err := d.Detail(ctx, "nope"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("unknown detail: %v", err)
	}
}
