package sqlite

import (
	"context"
	"reflect"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// testGridID is the id of the grid the interview tests fill.
const testGridID = "grille-test"

// testGrid returns a small grid with every question type: two ordinary domains and a sensitive
// one (health). version changes the title only, so that two versions differ.
func testGrid(version int) domain.Grid {
	opts := func(vs ...string) []domain.Option {
		var os []domain.Option
		for _, v := range vs {
			os = append(os, domain.Option{Value: v, Label: "Libellé " + v})
		}
		return os
	}
	title := "Grille de test"
	if version > 1 {
		title += " (révisée)"
	}
	return domain.Grid{
		ID: testGridID, Version: version, Title: title, Description: "Pour les tests du stockage.",
		Domains: []domain.GridDomain{
			{ID: "liens", Title: "Liens sociaux", Thematiques: []string{"remobilisation--lien-social"}, Questions: []domain.Question{
				{ID: "liens-auto", Type: domain.QScale, Label: "Vous sentez-vous entouré·e ?", Scale: &domain.Scale{WorkerRating: true}},
				{ID: "liens-sorties", Type: domain.QMultiple, Label: "Où sortez-vous ?", Options: opts("marche", "cafe", "association")},
				{ID: "liens-isole", Type: domain.QYesNo, Label: "Vous sentez-vous seul·e ?", Options: opts(domain.Yes, domain.No)},
				{ID: "liens-mots", Type: domain.QLongText, Label: "Racontez-nous"},
			}},
			{ID: "emploi", Title: "Emploi", Questions: []domain.Question{
				{ID: "emploi-situation", Type: domain.QSingle, Label: "Situation", Options: opts("salarie", "recherche")},
				{ID: "emploi-mois", Type: domain.QNumber, Label: "Depuis combien de mois ?", Unit: "mois"},
				{ID: "emploi-metier", Type: domain.QShortText, Label: "Métier recherché"},
			}},
			{ID: "sante", Title: "Santé", Sensitive: true, Questions: []domain.Question{
				{ID: "sante-auto", Type: domain.QScale, Label: "Comment va votre santé ?", Scale: &domain.Scale{}},
				{ID: "sante-suivi", Type: domain.QYesNo, Label: "Avez-vous un médecin traitant ?", Options: opts(domain.Yes, domain.No)},
				{ID: "sante-mots", Type: domain.QLongText, Label: "Ce que vous voulez dire de votre santé"},
			}},
		},
	}
}

// mustSaveGrid stores g, failing the test on error.
func mustSaveGrid(t testing.TB, db *DB, g domain.Grid) {
	t.Helper()
	if _, err := db.SaveGrid(context.Background(), g, false); err != nil {
		t.Fatal(err)
	}
}

func TestDB_SaveGrid(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()

	changed := testGrid(1)
	changed.Domains[0].Questions[0].Label = "Autre libellé"
	noID := testGrid(1)
	noID.ID = ""
	noVersion := testGrid(0)
	twice := testGrid(3)
	twice.Domains[1].Questions[0].ID = "liens-auto"
	blank := testGrid(3)
	blank.Domains[2].Questions[1].ID = ""

	// Each step runs on the database the previous ones left.
	steps := []struct {
		name      string
		grid      domain.Grid
		embedded  bool
		want      bool
		wantCode  string
		wantMsg   string // the French message of the error, when one is expected
		wantGrids []domain.GridInfo
	}{
		{name: "first version", grid: testGrid(1), embedded: true, want: true,
			wantGrids: []domain.GridInfo{{ID: testGridID, Version: 1, Title: "Grille de test", Embedded: true, Current: true}}},
		{name: "same version again", grid: testGrid(1), embedded: true,
			wantGrids: []domain.GridInfo{{ID: testGridID, Version: 1, Title: "Grille de test", Embedded: true, Current: true}}},
		{name: "same content, not embedded", grid: testGrid(1),
			wantGrids: []domain.GridInfo{{ID: testGridID, Version: 1, Title: "Grille de test", Embedded: true, Current: true}}},
		{name: "same version, other content", grid: changed, wantCode: domain.ECONFLICT,
			wantMsg: "La version 1 de la grille « grille-test » existe déjà avec un autre contenu : publiez une version 2."},
		{name: "second version", grid: testGrid(2), want: true, wantGrids: []domain.GridInfo{
			{ID: testGridID, Version: 1, Title: "Grille de test", Embedded: true},
			{ID: testGridID, Version: 2, Title: "Grille de test (révisée)", Current: true}}},
		{name: "conflict names the next free version", grid: changed, wantCode: domain.ECONFLICT,
			wantMsg: "La version 1 de la grille « grille-test » existe déjà avec un autre contenu : publiez une version 3."},
		{name: "no id", grid: noID, wantCode: domain.EINVALID},
		{name: "version 0", grid: noVersion, wantCode: domain.EINVALID},
		{name: "question id twice", grid: twice, wantCode: domain.EINVALID},
		{name: "question without id", grid: blank, wantCode: domain.EINVALID},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			clock.Advance(60e9)
			before := len(changes(t, db))
			got, err := db.SaveGrid(ctx, step.grid, step.embedded)
			added := changes(t, db)[before:]
			if step.wantCode != "" {
				wantCode(t, err, step.wantCode)
				if step.wantMsg != "" && domain.ErrorMessage(err) != step.wantMsg {
					t.Errorf("message = %q, want %q", domain.ErrorMessage(err), step.wantMsg)
				}
				if len(added) != 0 {
					t.Errorf("change log added %+v after an error", added)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != step.want {
				t.Errorf("SaveGrid = %v, want %v", got, step.want)
			}
			wantLog := 0
			if step.want {
				wantLog = 1
				c := added[0]
				if c.Kind != domain.KindGrid || c.UUID != gridKey(step.grid.ID, step.grid.Version) || c.Op != domain.OpUpsert ||
					!c.ChangedAt.Equal(stored(clock.Now())) {
					t.Errorf("change log row %+v, want a grid upsert of %s@%d now", c, step.grid.ID, step.grid.Version)
				}
			}
			if len(added) != wantLog {
				t.Errorf("change log added %d rows, want %d", len(added), wantLog)
			}
			infos, err := db.Grids(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(infos, step.wantGrids) {
				t.Errorf("Grids = %+v, want %+v", infos, step.wantGrids)
			}
		})
	}
}

func TestDB_Grid(t *testing.T) {
	t.Parallel()
	db, _ := openTest(t)
	ctx := context.Background()
	mustSaveGrid(t, db, testGrid(1))
	mustSaveGrid(t, db, testGrid(2))
	other := testGrid(7)
	other.ID, other.Title = "autre-grille", "Autre"
	mustSaveGrid(t, db, other)

	t.Run("versions read back", func(t *testing.T) {
		for _, want := range []domain.Grid{testGrid(1), testGrid(2), other} {
			got, err := db.Grid(ctx, want.ID, want.Version)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Grid(%s, %d) = %+v, want %+v", want.ID, want.Version, got, want)
			}
		}
	})
	t.Run("latest", func(t *testing.T) {
		tests := []struct {
			id          string
			wantVersion int
			wantCode    string
		}{
			{testGridID, 2, ""},
			{"autre-grille", 7, ""},
			{"inconnue", 0, domain.ENOTFOUND},
		}
		for _, tt := range tests {
			got, err := db.LatestGrid(ctx, tt.id)
			if tt.wantCode != "" {
				wantCode(t, err, tt.wantCode)
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != tt.id || got.Version != tt.wantVersion {
				t.Errorf("LatestGrid(%s) = %s v%d, want v%d", tt.id, got.ID, got.Version, tt.wantVersion)
			}
		}
	})
	t.Run("unknown", func(t *testing.T) {
		tests := []struct {
			name    string
			id      string
			version int
		}{
			{"unknown version", testGridID, 3},
			{"unknown id", "inconnue", 1},
		}
		for _, tt := range tests {
			_, err := db.Grid(ctx, tt.id, tt.version)
			wantCode(t, err, domain.ENOTFOUND)
		}
	})
	t.Run("list", func(t *testing.T) {
		got, err := db.Grids(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []domain.GridInfo{
			{ID: "autre-grille", Version: 7, Title: "Autre", Current: true},
			{ID: testGridID, Version: 1, Title: "Grille de test"},
			{ID: testGridID, Version: 2, Title: "Grille de test (révisée)", Current: true},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Grids = %+v, want %+v", got, want)
		}
	})
	t.Run("questions indexed", func(t *testing.T) {
		if n := count(t, db, "grid_question", "grid_id = 'grille-test' AND grid_version = 1"); n != 10 {
			t.Errorf("grid_question holds %d questions of version 1, want 10", n)
		}
		if n := count(t, db, "grid_question", "grid_id = 'grille-test' AND grid_version = 1 AND sensitive = 1"); n != 3 {
			t.Errorf("grid_question holds %d sensitive questions of version 1, want 3", n)
		}
	})
}
