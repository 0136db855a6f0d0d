package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

func TestDB_Notes(t *testing.T) {
	t.Parallel()
	db, clock := openTest(t)
	ctx := context.Background()
	b := batchOf(domain.OriginImport, 1, 2)
	mustImport(t, db, b)
	u, other := svUUID(b.Services[0]), svUUID(b.Services[1])

	// Each step runs on the database the previous ones left.
	steps := []struct {
		name       string
		body       string
		want       domain.Note // what SetNote returns and Note reads back (UpdatedAt: clock time when set)
		wantLogged string      // op of the change-log row added; "" for none
	}{
		{"first note", "A appelé le 3 mars ; rappeler lundi.", domain.Note{Body: "A appelé le 3 mars ; rappeler lundi."}, domain.OpUpsert},
		{"note replaced", "Rendez-vous pris.", domain.Note{Body: "Rendez-vous pris."}, domain.OpUpsert},
		{"blank body removes it", "  \n\t", domain.Note{}, domain.OpDelete},
		{"removing again changes nothing", "", domain.Note{}, ""},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			clock.Advance(time.Minute)
			want := step.want
			want.ServiceUUID = u
			if want.Body != "" {
				want.UpdatedAt = stored(clock.Now())
			}
			before := len(changes(t, db))
			got, err := db.SetNote(ctx, u, step.body)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("SetNote = %+v, want %+v", got, want)
			}
			if got, err := db.Note(ctx, u); err != nil || got != want {
				t.Errorf("Note = %+v, %v; want %+v", got, err, want)
			}
			added := changes(t, db)[before:]
			switch {
			case step.wantLogged == "" && len(added) != 0:
				t.Errorf("change log added %+v, want nothing", added)
			case step.wantLogged != "" && (len(added) != 1 || added[0] != domain.Change{
				Seq: added[0].Seq, Kind: domain.KindNote, UUID: u, Op: step.wantLogged, ChangedAt: stored(clock.Now())}):
				t.Errorf("change log added %+v, want one note %s of %s", added, step.wantLogged, u)
			}
		})
	}

	t.Run("service without note", func(t *testing.T) {
		if got, err := db.Note(ctx, other); err != nil || got != (domain.Note{ServiceUUID: other}) {
			t.Errorf("Note = %+v, %v; want an empty note", got, err)
		}
	})
	t.Run("note on a deleted service", func(t *testing.T) {
		if err := db.SetServiceDeleted(ctx, other, true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetNote(ctx, other, "Fermé pour travaux"); err != nil {
			t.Errorf("SetNote on a deleted service: %v", err)
		}
	})
}
