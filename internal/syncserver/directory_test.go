package syncserver

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/grid"
)

// TestImportDirectory checks the server's import: the desk's rules and report, global records
// a desk decodes back to the same data·inclusion records, re-imports that change nothing, and
// partial files that delete nothing.
func TestImportDirectory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil)
	d := e.enrol(e.addSite("EDAS").ID, "Accueil")

	t.Run("first import", func(t *testing.T) {
		rep := e.importFixtures()
		if rep.Updated+rep.Unchanged != 0 {
			t.Errorf("report %+v", rep)
		}
		got, _ := d.pullAll(0)
		if len(got) != 3 {
			t.Fatalf("pulled %v", keys(got))
		}
		// The data field is the record in data·inclusion JSON, extension and unknown fields
		// included: decoded again it gives the same records as the file.
		var arr []json.RawMessage
		for _, r := range got {
			if len(r.Fields) != 1 || r.Fields[FieldData].HLC == "" {
				t.Errorf("%s %s fields %v", r.Kind, r.UUID, keys(r.Fields))
			}
			arr = append(arr, r.Fields[FieldData].V)
		}
		all, _ := json.Marshal(arr)
		back, err := datainclusion.Decode(bytes.NewReader(all), "pulled", datainclusion.Options{})
		if err != nil || len(back.Rejected) != 0 || len(back.Structures) != 1 || len(back.Services) != 2 {
			t.Fatalf("pulled records decode: %+v %v", back, err)
		}
		orig, _ := datainclusion.Decode(strings.NewReader(structuresJSON), "s", datainclusion.Options{})
		if string(back.Structures[0].Extra["champ_local"]) != `"gardé"` || back.Structures[0].Nom != orig.Structures[0].Nom {
			t.Errorf("structure pulled %+v", back.Structures[0])
		}
		for _, sv := range back.Services {
			if sv.ID == "cd92--v1" && sv.Categorie != "epicerie-solidaire" {
				t.Errorf("extension field lost: %+v", sv)
			}
		}
	})
	v1, _ := e.store.Version(ctx)
	t.Run("the same files again change nothing", func(t *testing.T) {
		rep, err := e.srv.ImportDirectory(ctx, []ImportFile{FileBytes("services.json", []byte(servicesJSON)), FileBytes("structures.json", []byte(structuresJSON))}, "")
		if err != nil || rep.Unchanged != 3 || rep.Imported+rep.Updated != 0 || len(rep.Rejected) != 0 {
			t.Fatalf("re-import: %+v %v", rep, err)
		}
		if v, _ := e.store.Version(ctx); v != v1 {
			t.Errorf("version %d → %d", v1, v)
		}
	})
	t.Run("a partial file updates its records and deletes nothing", func(t *testing.T) {
		one := strings.Replace(`[`+strings.Split(strings.TrimPrefix(servicesJSON, "[\n "), ",\n")[0]+`]`, "Des courses à petit prix.", "Des courses à petit prix, le samedi.", 1)
		rep, err := e.srv.ImportDirectory(ctx, []ImportFile{FileBytes("un-service.json", []byte(one))}, datainclusion.FormatDIJSON)
		if err != nil || rep.Updated != 1 || rep.Imported+rep.Unchanged != 0 || len(rep.Rejected) != 0 {
			t.Fatalf("partial import: %+v %v", rep, err)
		}
		got, _ := d.pullAll(v1)
		if len(got) != 1 {
			t.Fatalf("changed after the partial import: %v", keys(got))
		}
		for _, r := range got {
			if !strings.Contains(field(r, FieldData), "le samedi") {
				t.Errorf("updated record %s", field(r, FieldData))
			}
		}
		all, _ := d.pullAll(0)
		if len(all) != 3 {
			t.Errorf("after a partial import: %v", keys(all))
		}
	})
	t.Run("rejections as on a desk", func(t *testing.T) {
		bad := `[{"id":"cd92--v3","source":"cd92","structure_id":"cd92--s1","nom":"OK","description":"Trop court ?","date_maj":"hier"},
			{"id":"cd92--v4","source":"cd92","structure_id":"cd92--inconnue","nom":"Orpheline","description":"Sans structure.","date_maj":"2026-01-10"},
			{"id":"cd92--v5","source":"cd92","structure_id":"cd92--s1","nom":"Valide","description":"Un service valide.","date_maj":"2026-01-10"}]`
		dupl := `[{"id":"cd92--v5","source":"cd92","structure_id":"cd92--s1","nom":"Encore","description":"Le même identifiant.","date_maj":"2026-01-10"}]`
		rep, err := e.srv.ImportDirectory(ctx, []ImportFile{
			FileBytes("bad.json", []byte(bad)),
			FileBytes("broken.json", []byte(`[{"id": "x",`)),
			FileBytes("dupl.json", []byte(dupl)),
			{Name: "absent.json", Open: FileOnDisk("/nonexistent/absent.json").Open},
		}, "")
		if err != nil {
			t.Fatal(err)
		}
		if rep.Imported != 1 {
			t.Errorf("imported %d", rep.Imported)
		}
		var where []string
		for _, r := range rep.Rejected {
			where = append(where, r.File+":"+strconv.Itoa(r.Position)+":"+r.ID)
			if r.Reason == "" {
				t.Errorf("no reason: %+v", r)
			}
		}
		want := []string{"absent.json:-1:", "bad.json:0:cd92--v3", "bad.json:1:cd92--v4", "broken.json:-1:", "dupl.json:0:cd92--v5"}
		if strings.Join(where, " ") != strings.Join(want, " ") {
			t.Errorf("rejections %v, want %v", where, want)
		}
		for _, r := range rep.Rejected {
			if r.ID == "cd92--v4" && !strings.Contains(r.Reason, "structure") {
				t.Errorf("orphan reason %q", r.Reason)
			}
		}
	})
	t.Run("CSV", func(t *testing.T) {
		csv := "\ufeffsource;id;structure_id;structure_nom;nom;description;date_maj;code_insee\n" +
			"cd92;c1;cd92--c;Centre social;Repair café du centre;On répare ensemble.;2026-10-01;92050\n"
		rep, err := e.srv.ImportDirectory(ctx, []ImportFile{FileBytes("annuaire.csv", []byte(csv))}, "")
		if err != nil || rep.Imported != 2 || len(rep.Rejected) != 0 {
			t.Errorf("csv: %+v %v", rep, err)
		}
	})
}

// TestPublishGrid checks grid publication: once per version, immutable, pulled by every site.
func TestPublishGrid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil)
	a, b := e.enrol(e.addSite("A").ID, "a"), e.enrol(e.addSite("B").ID, "b")
	def := grid.Default()
	g, added, err := e.srv.PublishGrid(ctx, grid.DefaultJSON())
	if err != nil || !added || g.ID != def.ID || g.Version != def.Version {
		t.Fatalf("publish: %+v %v %v", g.ID, added, err)
	}
	v, _ := e.store.Version(ctx)
	t.Run("again, same content", func(t *testing.T) {
		_, added, err := e.srv.PublishGrid(ctx, append([]byte("\uFEFF"), grid.DefaultJSON()...))
		if err != nil || added {
			t.Fatalf("republish: %v %v", added, err)
		}
		if v2, _ := e.store.Version(ctx); v2 != v {
			t.Errorf("version moved %d → %d", v, v2)
		}
	})
	t.Run("same version, another content", func(t *testing.T) {
		changed := def
		changed.Title += " (modifiée)"
		bs, _ := json.Marshal(changed)
		if _, _, err := e.srv.PublishGrid(ctx, bs); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("got %v", err)
		}
		changed.Version++
		bs, _ = json.Marshal(changed)
		if _, added, err := e.srv.PublishGrid(ctx, bs); err != nil || !added {
			t.Fatalf("new version: %v %v", added, err)
		}
	})
	t.Run("invalid", func(t *testing.T) {
		if _, _, err := e.srv.PublishGrid(ctx, []byte(`{"id": "x"}`)); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("every site pulls it", func(t *testing.T) {
		for _, d := range []*desk{a, b} {
			got, _ := d.pullAll(0)
			r, ok := got["grid/"+GridUUID(def.ID, def.Version)]
			if !ok || len(got) != 2 {
				t.Fatalf("pulled %v", keys(got))
			}
			back, err := grid.Parse(r.Fields[FieldContent].V)
			if err != nil || back.Title != def.Title {
				t.Errorf("pulled grid: %v", err)
			}
		}
	})
}

// TestSuggestions checks the curators' path: desks push suggestions, curators list, accept (a
// proposition becomes directory data every site pulls) or reject them.
func TestSuggestions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, nil)
	a, b := e.enrol(e.addSite("A").ID, "a"), e.enrol(e.addSite("B").ID, "b")
	e.importFixtures()

	stUUID, svUUID := newUUID(), newUUID()
	proposition := []any{
		map[string]any{"id": domain.LocalID(stUUID), "source": domain.LocalSource, "nom": "Jardin des Acacias", "date_maj": "2026-02-01", "code_insee": "92050", "commune": "Nanterre"},
		map[string]any{"id": domain.LocalID(svUUID), "source": domain.LocalSource, "structure_id": domain.LocalID(stUUID), "nom": "Jardin partagé des Acacias",
			"description": "Un jardin cultivé ensemble.", "date_maj": "2026-02-01", "passerelle_categorie": "jardin-partage"},
	}
	correction := map[string]any{"id": "cd92--v1", "source": "cd92", "horaires_accueil": "Sa 09:00-12:00"}
	invalid := map[string]any{"id": domain.LocalID(newUUID()), "source": domain.LocalSource, "structure_id": "cd92--s1", "nom": "X", "description": "?", "date_maj": "demain"}
	pSug, cSug, iSug := newUUID(), newUUID(), newUUID()
	res := a.mustPush(
		a.upsert(domain.KindSuggestion, pSug, map[string]any{"type": "proposition", "service": proposition, "message": "Vu au marché"}),
		a.upsert(domain.KindSuggestion, cSug, map[string]any{"type": "correction", "service": correction, "message": "Ouvre à 9 h"}),
		a.upsert(domain.KindSuggestion, iSug, map[string]any{"type": "proposition", "service": invalid}),
		a.upsert(domain.KindSuggestion, newUUID(), map[string]any{"type": "avis", "service": correction}),
		a.upsert(domain.KindSuggestion, newUUID(), map[string]any{"type": "correction", "service": correction, "auteur": "moi"}),
		a.upsert(domain.KindSuggestion, "PAS-UN-UUID", map[string]any{"type": "correction", "service": correction}),
		a.del(domain.KindSuggestion, pSug),
	)
	if len(res.Rejected) != 4 {
		t.Fatalf("rejected %+v", res.Rejected)
	}
	for i, want := range []string{"type", "champ inconnu « auteur »", "UUID", "supprime"} {
		if r := res.Rejected[i]; r.ID != int64(4+i) || !strings.Contains(r.Reason, want) {
			t.Errorf("rejection %d: %+v, want %q", i, r, want)
		}
	}
	t.Run("never pulled", func(t *testing.T) {
		for _, d := range []*desk{a, b} {
			got, _ := d.pullAll(0)
			for k := range got {
				if strings.HasPrefix(k, "suggestion/") {
					t.Errorf("pulled %s", k)
				}
			}
		}
	})
	t.Run("list", func(t *testing.T) {
		sgs, err := e.srv.Suggestions(ctx, SuggestionNew)
		if err != nil || len(sgs) != 3 {
			t.Fatalf("suggestions %+v %v", sgs, err)
		}
		if sgs[0].SiteID != a.site || sgs[0].DeviceID != a.id || sgs[0].Status != SuggestionNew {
			t.Errorf("suggestion %+v", sgs[0])
		}
		if _, err := e.srv.Suggestions(ctx, "perdue"); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("unknown status: %v", err)
		}
	})
	t.Run("accept a proposition: every site pulls it", func(t *testing.T) {
		v, _ := e.store.Version(ctx)
		sg, counts, err := e.srv.Accept(ctx, pSug)
		if err != nil || sg.Status != SuggestionAccepted || counts.Imported != 2 {
			t.Fatalf("accept: %+v %+v %v", sg, counts, err)
		}
		got, _ := b.pullAll(v)
		if _, ok := got["service/"+svUUID]; !ok {
			t.Errorf("site B did not receive the accepted service: %v", keys(got))
		}
		if _, _, err := e.srv.Accept(ctx, pSug); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("accept twice: %v", err)
		}
	})
	t.Run("an invalid proposition is not published", func(t *testing.T) {
		v, _ := e.store.Version(ctx)
		_, _, err := e.srv.Accept(ctx, iSug)
		if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "date_maj") {
			t.Fatalf("got %v", err)
		}
		if v2, _ := e.store.Version(ctx); v2 != v {
			t.Error("something was published")
		}
		sgs, _ := e.srv.Suggestions(ctx, SuggestionNew)
		if len(sgs) != 2 {
			t.Errorf("the suggestion left the new ones: %+v", sgs)
		}
	})
	t.Run("accept a correction, reject a proposition", func(t *testing.T) {
		v, _ := e.store.Version(ctx)
		if sg, counts, err := e.srv.Accept(ctx, cSug); err != nil || sg.Status != SuggestionAccepted || counts != (domain.ImportCounts{}) {
			t.Fatalf("accept correction: %+v %v", sg, err)
		}
		if v2, _ := e.store.Version(ctx); v2 != v {
			t.Error("a correction changed the directory by itself")
		}
		if sg, err := e.srv.Reject(ctx, iSug); err != nil || sg.Status != SuggestionRejected {
			t.Fatalf("reject: %+v %v", sg, err)
		}
		if _, err := e.srv.Reject(ctx, iSug); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("reject twice: %v", err)
		}
		if _, err := e.srv.Reject(ctx, newUUID()); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("reject unknown: %v", err)
		}
		for status, n := range map[string]int{SuggestionNew: 0, SuggestionAccepted: 2, SuggestionRejected: 1, "": 3} {
			if sgs, _ := e.srv.Suggestions(ctx, status); len(sgs) != n {
				t.Errorf("%q: %d suggestions, want %d", status, len(sgs), n)
			}
		}
	})
}
