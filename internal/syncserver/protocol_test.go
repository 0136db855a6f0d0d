package syncserver

import (
	"context"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/grid"
)

// TestProtocol_EndToEnd drives the protocol as desks do, over HTTP on loopback, against a real
// SQLite file: two desks of site A and one of site B.
func TestProtocol_EndToEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	siteA, siteB := e.addSite("EDAS de Nanterre"), e.addSite("EDAS de Clamart")
	e.importFixtures()
	g, added, err := e.srv.PublishGrid(ctx, grid.DefaultJSON())
	if err != nil || !added {
		t.Fatalf("publish grid: %v %v", added, err)
	}
	gridKey := "grid/" + GridUUID(g.ID, g.Version)
	a1, a2, b1 := e.enrol(siteA.ID, "Accueil 1"), e.enrol(siteA.ID, "Accueil 2"), e.enrol(siteB.ID, "Accueil")

	usager, interview := newUUID(), newUUID()
	answer := interview + ":liens-frequence"
	first := []domain.Mutation{
		a1.upsert(domain.KindUsager, usager, map[string]any{"display_name": "M. D.", "commune": "92050"}),
		a1.upsert(domain.KindInterview, interview, map[string]any{"usager_uuid": usager, "grid_id": g.ID, "grid_version": g.Version, "status": "en-cours"}),
		a1.upsert(domain.KindAnswer, answer, map[string]any{"value": map[string]any{"choice": "rarement"}}),
	}
	res := a1.mustPush(first...)
	if res.AppliedThrough != 3 || len(res.Rejected) != 0 || res.Version == 0 {
		t.Fatalf("first push: %+v", res)
	}
	siteKeys := []string{"answer/" + answer, "interview/" + interview, "usager/" + usager}
	dirKeys := []string{gridKey}
	for _, id := range []string{"cd92--s1"} {
		dirKeys = append(dirKeys, "structure/"+domain.RecordUUID(domain.KindStructure, "cd92", id))
	}
	for _, id := range []string{"cd92--v1", "cd92--v2"} {
		dirKeys = append(dirKeys, "service/"+domain.RecordUUID(domain.KindService, "cd92", id))
	}

	var cursorA2 int64
	t.Run("a colleague of the same site pulls everything", func(t *testing.T) {
		got, cursor := a2.pullAll(0)
		want := append(append([]string{}, siteKeys...), dirKeys...)
		if !sameSet(keys(got), want) {
			t.Fatalf("A2 pulled %v, want %v", keys(got), want)
		}
		if v := field(got["usager/"+usager], "display_name"); v != `"M. D."` {
			t.Errorf("display_name %s", v)
		}
		if got["usager/"+usager].Fields["display_name"].HLC != first[0].HLC {
			t.Errorf("field HLC %q, want %q", got["usager/"+usager].Fields["display_name"].HLC, first[0].HLC)
		}
		if cursor != res.Version {
			t.Errorf("cursor %d, want the server version %d", cursor, res.Version)
		}
		cursorA2 = cursor
	})
	t.Run("another site pulls the directory and grids, none of site A's records", func(t *testing.T) {
		got, _ := b1.pullAll(0)
		if !sameSet(keys(got), dirKeys) {
			t.Fatalf("B1 pulled %v, want only %v", keys(got), dirKeys)
		}
	})
	t.Run("a replayed push is a no-op", func(t *testing.T) {
		again := a1.mustPush(first...)
		if again.AppliedThrough != res.AppliedThrough || again.Version != res.Version || len(again.Rejected) != 0 {
			t.Fatalf("replay: %+v, first: %+v", again, res)
		}
		if _, page, _ := a2.pull(cursorA2, 0); len(page.Changes) != 0 {
			t.Errorf("replay made new versions: %+v", page.Changes)
		}
	})
	t.Run("a gap is refused whole with the id expected", func(t *testing.T) {
		a1.nextID++ // mutation 4 lost
		m := a1.upsert(domain.KindUsager, usager, map[string]any{"commune": "92040"})
		st, _, b := a1.push(m)
		eb := errorOf(t, b)
		if st != http.StatusConflict || eb.Code != domain.EGAP || eb.Expected == nil || *eb.Expected != 4 {
			t.Fatalf("gap: %d %s", st, b)
		}
		a1.nextID = 4
		if v, _ := e.store.Version(ctx); v != res.Version {
			t.Errorf("a refused batch wrote something: version %d, was %d", v, res.Version)
		}
	})

	var usagerB string
	t.Run("directory kinds and another site's records are rejected, the queue moves on", func(t *testing.T) {
		usagerB = newUUID()
		b1.mustPush(b1.upsert(domain.KindUsager, usagerB, map[string]any{"display_name": "Mme B."}))
		svUUID := domain.RecordUUID(domain.KindService, "cd92", "cd92--v1")
		muts := []domain.Mutation{
			a1.upsert(domain.KindService, svUUID, map[string]any{"data": map[string]any{"nom": "pirate"}}),
			a1.upsert(domain.KindUsager, usagerB, map[string]any{"display_name": "écrasé"}),
			a1.del(domain.KindUsager, usagerB),
			a1.upsert(domain.KindUsager, usager, map[string]any{"commune": "92040"}),
		}
		res := a1.mustPush(muts...)
		if res.AppliedThrough != muts[3].ID || len(res.Rejected) != 3 {
			t.Fatalf("push: %+v", res)
		}
		for i, r := range res.Rejected {
			if r.ID != muts[i].ID || r.Reason == "" {
				t.Errorf("rejection %d: %+v", i, r)
			}
		}
		if !strings.Contains(res.Rejected[1].Reason, "autre EDAS") {
			t.Errorf("reason for another site's record: %q", res.Rejected[1].Reason)
		}
		gotB, _ := b1.pullAll(0)
		if r := gotB["usager/"+usagerB]; r.Deleted || field(r, "display_name") != `"Mme B."` {
			t.Errorf("site B's record changed by site A: %+v", r)
		}
		gotA, _ := a2.pullAll(0)
		if field(gotA["usager/"+usager], "commune") != `"92040"` {
			t.Errorf("the valid mutation after the rejected ones was not applied: %+v", gotA["usager/"+usager])
		}
		if _, ok := gotA["service/"+svUUID]; !ok || strings.Contains(field(gotA["service/"+svUUID], "data"), "pirate") {
			t.Errorf("a desk changed the directory: %+v", gotA["service/"+svUUID])
		}
	})
	t.Run("deletes win", func(t *testing.T) {
		a1.mustPush(a1.del(domain.KindUsager, usager))
		late := a2.upsert(domain.KindUsager, usager, map[string]any{"display_name": "revenu"})
		late.HLC = a2.clock.Now() // after the delete
		res := a2.mustPush(late)
		if len(res.Rejected) != 0 {
			t.Fatalf("an update of a deleted record is not an error: %+v", res)
		}
		got, _ := a2.pullAll(0)
		if r := got["usager/"+usager]; !r.Deleted || len(r.Fields) != 0 {
			t.Errorf("usager after delete and a later update: %+v", r)
		}
	})
	t.Run("two different answers are both kept, then settled", func(t *testing.T) {
		q := interview + ":liens-soutien"
		w1 := a1.upsert(domain.KindAnswer, q, map[string]any{"value": map[string]any{"choice": "oui"}})
		w2 := a2.upsert(domain.KindAnswer, q, map[string]any{"value": map[string]any{"choice": "non"}})
		a1.mustPush(w1)
		a2.mustPush(w2)
		got, _ := b1.pullAll(0)
		if _, ok := got["answer/"+q]; ok {
			t.Fatal("site B received an answer of site A")
		}
		got, _ = a1.pullAll(0)
		r := got["answer/"+q]
		if len(r.Conflicts) != 1 {
			t.Fatalf("answer with two writes: %+v", r)
		}
		values := []string{field(r, "value"), string(r.Conflicts[0].Value)}
		if !sameSet(values, []string{`{"choice":"oui"}`, `{"choice":"non"}`}) {
			t.Errorf("kept values %v", values)
		}
		settle := a1.upsert(domain.KindAnswer, q, map[string]any{"value": map[string]any{"choice": "oui"}})
		settle.Base = r.Fields["value"].HLC
		a1.mustPush(settle)
		got, _ = a2.pullAll(0)
		if r := got["answer/"+q]; len(r.Conflicts) != 0 || field(r, "value") != `{"choice":"oui"}` {
			t.Errorf("settled answer: %+v", r)
		}
	})
	t.Run("paging with more", func(t *testing.T) {
		all, _ := a2.pullAll(0)
		seen := map[string]bool{}
		var cursor int64
		pages := 0
		for {
			st, page, b := a2.pull(cursor, 2)
			if st != http.StatusOK {
				t.Fatalf("pull: %d %s", st, b)
			}
			pages++
			if len(page.Changes) > 2 || (page.More && len(page.Changes) != 2) {
				t.Fatalf("page of %d with more=%v", len(page.Changes), page.More)
			}
			for _, r := range page.Changes {
				k := r.Kind + "/" + r.UUID
				if seen[k] {
					t.Errorf("%s twice", k)
				}
				seen[k] = true
				if r.Version <= cursor {
					t.Errorf("%s version %d at or below the cursor %d", k, r.Version, cursor)
				}
			}
			if page.Cursor <= cursor && page.More {
				t.Fatalf("cursor did not move: %d → %d", cursor, page.Cursor)
			}
			cursor = page.Cursor
			if !page.More {
				break
			}
		}
		if !sameSet(keys(seen), keys(all)) || pages != (len(all)+1)/2 {
			t.Errorf("paged %d records in %d pages, want %d", len(seen), pages, len(all))
		}
	})
	t.Run("a cursor older than the tombstones kept gets 410 resync", func(t *testing.T) {
		v, err := e.store.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.store.DropTombstones(ctx, v); err != nil {
			t.Fatal(err)
		}
		st, _, b := a2.pull(1, 0)
		if eb := errorOf(t, b); st != http.StatusGone || eb.Code != domain.ERESYNC {
			t.Fatalf("old cursor: %d %s", st, b)
		}
		got, _ := a2.pullAll(0)
		if _, ok := got["usager/"+usager]; ok {
			t.Error("the dropped tombstone came back in a full pull")
		}
		if _, ok := got["interview/"+interview]; !ok {
			t.Error("a full pull misses a live record")
		}
	})
}

func sameSet(a, b []string) bool {
	return reflect.DeepEqual(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

// TestPush_DeletedAndDropped: a desk away for long edits a file a colleague erased, and the
// server has dropped the tombstone since. Its mutation says it knew the record (known): the
// server drops it, as it drops an upsert of a record whose tombstone it still holds — the file
// does not come back. A record the desk created (known 0) is written as usual.
func TestPush_DeletedAndDropped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil)
	site := e.addSite("EDAS").ID
	a1, a2 := e.enrol(site, "A1"), e.enrol(site, "A2")
	gone := newUUID()
	a1.mustPush(a1.upsert(domain.KindUsager, gone, map[string]any{"display_name": "M. D.", "notes": "Suivi"}))
	got, _ := a2.pullAll(0)
	known := got["usager/"+gone].Version
	if known == 0 {
		t.Fatalf("A2 did not receive the file: %+v", got)
	}
	a1.mustPush(a1.del(domain.KindUsager, gone))
	v, err := e.store.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.DropTombstones(ctx, v+1); err != nil {
		t.Fatal(err)
	}

	edit := a2.upsert(domain.KindUsager, gone, map[string]any{"notes": "Rendez-vous pris"})
	edit.Known = known
	mine := newUUID()
	create := a2.upsert(domain.KindUsager, mine, map[string]any{"display_name": "Mme L."})
	res := a2.mustPush(edit, create)
	if res.AppliedThrough != create.ID || len(res.Rejected) != 0 {
		t.Errorf("push %+v, want both applied, none rejected (deletes win silently)", res)
	}
	all, _ := a2.pullAll(0)
	if r, ok := all["usager/"+gone]; ok {
		t.Errorf("the erased file came back: %+v", r)
	}
	if _, ok := all["usager/"+mine]; !ok {
		t.Error("the new file was not written")
	}
}
