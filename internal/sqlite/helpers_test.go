package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// t0 is the fixed time of the test clock: not UTC and with nanoseconds, to show that the store
// normalises both.
var t0 = time.Date(2026, 3, 1, 10, 30, 0, 123456789, time.FixedZone("CET", 3600))

// stored is t as the store keeps it: UTC, to the millisecond.
func stored(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// testClock is a clock a test sets and advances.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// openTest opens a fresh database in the test's temporary directory, on a clock starting at t0.
func openTest(t testing.TB) (*DB, *testClock) {
	t.Helper()
	clock := &testClock{t: t0}
	db, err := Open(filepath.Join(t.TempDir(), "passerelle.db"), Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	return db, clock
}

// count returns the number of rows of table matching where ("" for all).
func count(t testing.TB, db *DB, table, where string) int {
	t.Helper()
	q := "SELECT count(*) FROM " + table
	if where != "" {
		q += " WHERE " + where
	}
	var n int
	if err := db.read.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// changes returns the whole change log.
func changes(t testing.TB, db *DB) []domain.Change {
	t.Helper()
	cs, err := db.Changes(context.Background(), 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// wantCode fails the test unless err carries the domain error code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (error: %v)", got, code, err)
	}
}

// fullStructure returns a structure of source "src" with every field set, Extra included.
func fullStructure(n int) domain.Structure {
	s := func(f string) *string { return domain.Ptr(fmt.Sprintf(f, n)) }
	return domain.Structure{
		ID: fmt.Sprintf("src--st%d", n), Source: "src", Nom: fmt.Sprintf("Épicerie solidaire n°%d", n),
		DateMaj: "2026-01-15", Siret: domain.Ptr("12345678900012"), Telephone: s("01 47 00 00 %02d"),
		Courriel: s("contact%d@exemple.fr"), SiteWeb: s("https://exemple.fr/%d"), LienSource: s("https://source.fr/%d"),
		HorairesAccueil: domain.Ptr("Mo-Fr 09:00-12:00; PH off"), AccessibiliteLieu: domain.Ptr("https://acceslibre.beta.gouv.fr/x"),
		ReseauxPorteurs: []string{"restos-du-coeur", "secours-populaire"}, Description: domain.Ptr("Des « œufs » et du pain…\nligne 2"),
		Adresse: s("%d rue de la Paix"), ComplementAdresse: domain.Ptr("Bâtiment B"), CodePostal: domain.Ptr("92130"),
		CodeInsee: domain.Ptr("92040"), Commune: domain.Ptr("Issy-les-Moulineaux"),
		Latitude: domain.Ptr(48.8245123), Longitude: domain.Ptr(2.2701), Extra: map[string]json.RawMessage{
			"x_note": json.RawMessage(`"texte"`), "x_obj": json.RawMessage(`{"a":[1,2.5,null]}`), "x_null": json.RawMessage(`null`),
		},
	}
}

// fullService returns a service of source "src" with every field set, belonging to
// fullStructure(st).
func fullService(n, st int) domain.Service {
	s := func(f string) *string { return domain.Ptr(fmt.Sprintf(f, n)) }
	return domain.Service{
		ID: fmt.Sprintf("src--sv%d", n), Source: "src", StructureID: fmt.Sprintf("src--st%d", st),
		Nom: fmt.Sprintf("Aide alimentaire n°%d", n), Description: "Colis et ateliers cuisine.", DateMaj: "2025-11-02",
		Type: domain.Ptr("aide-materielle"), Thematiques: []string{"equipement-et-alimentation--alimentation", "remobilisation--lien-social"},
		Frais: domain.Ptr("payant"), FraisPrecisions: domain.Ptr("1 € le panier"), Publics: []string{"tous-publics"},
		PublicsPrecisions: domain.Ptr("Sur orientation"), ConditionsAcces: domain.Ptr("Quotient familial"),
		Telephone: s("01 46 00 00 %02d"), Courriel: s("service%d@exemple.fr"), ContactNomPrenom: domain.Ptr("Camille Martin"),
		ModesAccueil: []string{"en-presentiel", "a-distance"}, ZoneEligibilite: []string{"92040", "92075"},
		LienMobilisation: s("https://exemple.fr/rdv/%d"), ModesMobilisation: []string{"telephoner"},
		MobilisablePar: []string{"professionnels"}, MobilisationPrecisions: domain.Ptr("Fiche de liaison"),
		Adresse: s("%d avenue Victor Hugo"), ComplementAdresse: domain.Ptr("2e étage"), CodePostal: domain.Ptr("92170"),
		CodeInsee: domain.Ptr("92075"), Commune: domain.Ptr("Vanves"), Latitude: domain.Ptr(48.82), Longitude: domain.Ptr(2.29),
		HorairesAccueil: domain.Ptr("Sa 10:00-12:00"), LienSource: s("https://source.fr/sv/%d"), NombreSemaines: domain.Ptr(12),
		VolumeHoraireHebdomadaire: domain.Ptr(3.5), Categorie: "alimentation", PeutDonner: true, AccesTransport: "Métro 12",
		Extra: map[string]json.RawMessage{"x_rang": json.RawMessage(`3`)},
	}
}

// bareStructure and bareService have every optional field null.
func bareStructure(n int) domain.Structure {
	return domain.Structure{ID: fmt.Sprintf("st%d", n), Source: "src", Nom: fmt.Sprintf("Jardin %d", n), DateMaj: "2024-05-01"}
}

func bareService(n, st int) domain.Service {
	return domain.Service{ID: fmt.Sprintf("sv%d", n), Source: "src", StructureID: fmt.Sprintf("st%d", st),
		Nom: fmt.Sprintf("Jardinage %d", n), Description: "", DateMaj: "2024-05-01"}
}

// batchOf builds an import batch of nSt full structures and nSv full services spread over them.
func batchOf(origin domain.Origin, nSt, nSv int) domain.ImportBatch {
	b := domain.ImportBatch{Origin: origin}
	for i := range nSt {
		b.Structures = append(b.Structures, fullStructure(i))
	}
	for i := range nSv {
		b.Services = append(b.Services, fullService(i, i%nSt))
	}
	return b
}

func stUUID(st domain.Structure) string {
	return domain.RecordUUID(domain.KindStructure, st.Source, st.ID)
}

func svUUID(sv domain.Service) string {
	return domain.RecordUUID(domain.KindService, sv.Source, sv.ID)
}

func mustImport(t testing.TB, db *DB, b domain.ImportBatch) domain.ImportCounts {
	t.Helper()
	c, err := db.ApplyImport(context.Background(), b, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
