package demo_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/edas92/passerelle/internal/demo"
	"github.com/edas92/passerelle/internal/demo/curated"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/textfold"
	"github.com/edas92/passerelle/internal/vocab"
)

// embedded decodes the embedded files, refusing any field the domain types do not know (a typo
// in the generator would otherwise vanish silently).
func embedded(t *testing.T) ([]domain.Structure, []domain.Service) {
	t.Helper()
	stJSON, svJSON := demo.Files()
	var sts []domain.Structure
	var svs []domain.Service
	for _, f := range []struct {
		name string
		b    []byte
		into any
	}{{"structures.json", stJSON, &sts}, {"services.json", svJSON, &svs}} {
		dec := json.NewDecoder(bytes.NewReader(f.b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(f.into); err != nil {
			t.Fatalf("decode embedded %s: %v", f.name, err)
		}
	}
	return sts, svs
}

func TestFiles_MatchGenerator(t *testing.T) {
	t.Parallel()
	wantSt, wantSv, err := curated.JSON()
	if err != nil {
		t.Fatal(err)
	}
	gotSt, gotSv := demo.Files()
	t.Run("bytes", func(t *testing.T) {
		if !bytes.Equal(gotSt, wantSt) || !bytes.Equal(gotSv, wantSv) {
			t.Fatal("the embedded demo files differ from the curated directory: run `go generate ./internal/demo`")
		}
	})
	t.Run("records", func(t *testing.T) {
		sts, svs := embedded(t)
		curSt, curSv := curated.Directory()
		if !reflect.DeepEqual(sts, curSt) {
			t.Error("decoded structures differ from curated.Directory()")
		}
		if !reflect.DeepEqual(svs, curSv) {
			for i := range min(len(svs), len(curSv)) {
				if !reflect.DeepEqual(svs[i], curSv[i]) {
					got, _ := json.Marshal(svs[i])
					want, _ := json.Marshal(curSv[i])
					t.Errorf("service %d (%s) differs:\n got %s\nwant %s", i, curSv[i].ID, got, want)
					break
				}
			}
			t.Errorf("decoded services differ from curated.Directory() (%d vs %d)", len(svs), len(curSv))
		}
	})
	t.Run("indented arrays", func(t *testing.T) {
		for _, b := range [][]byte{gotSt, gotSv} {
			if !bytes.HasPrefix(b, []byte("[\n  {\n")) || !bytes.HasSuffix(b, []byte("]\n")) {
				t.Errorf("file does not start as an indented array: %.20q", b)
			}
		}
	})
}

func TestFiles_ValidRecords(t *testing.T) {
	t.Parallel()
	sts, svs := embedded(t)
	for _, st := range sts {
		for _, p := range checkStructure(st) {
			t.Errorf("structure %s: %s", st.ID, p)
		}
	}
	for _, sv := range svs {
		for _, p := range checkService(sv) {
			t.Errorf("service %s: %s", sv.ID, p)
		}
	}
}

// TestFiles_Schema validates the embedded files against the official data·inclusion v1 JSON
// Schemas (the copy kept in internal/datainclusion/testdata), formats (date, email, uri) included.
func TestFiles_Schema(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "datainclusion", "testdata", "schema")
	stJSON, svJSON := demo.Files()
	for _, tc := range []struct {
		schema string
		data   []byte
		broken map[string]any // a change the schema must refuse, to show the check can fail
	}{
		{"structure.json", stJSON, map[string]any{"courriel": "pas une adresse", "date_maj": "01/11/2026"}},
		{"service.json", svJSON, map[string]any{"frais": "cher", "thematiques": []any{"lien-social"}}},
	} {
		t.Run(tc.schema, func(t *testing.T) {
			c := jsonschema.NewCompiler()
			c.AssertFormat()
			sch, err := c.Compile(filepath.Join(dir, tc.schema))
			if err != nil {
				t.Fatalf("compile schema: %v", err)
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			records, ok := doc.([]any)
			if !ok || len(records) == 0 {
				t.Fatalf("not a non-empty array: %T", doc)
			}
			for i, r := range records {
				if err := sch.Validate(r); err != nil {
					t.Errorf("record %d: %v", i, err)
				}
			}
			for field, v := range tc.broken {
				r := maps.Clone(records[0].(map[string]any))
				r[field] = v
				if sch.Validate(r) == nil {
					t.Errorf("the schema accepts %s = %v", field, v)
				}
			}
		})
	}
}

func TestFiles_Coverage(t *testing.T) {
	t.Parallel()
	sts, svs := embedded(t)
	byID := map[string]*domain.Structure{}
	for i := range sts {
		byID[sts[i].ID] = &sts[i]
	}

	t.Run("size", func(t *testing.T) {
		if len(svs) < 100 {
			t.Errorf("%d services, want at least 100", len(svs))
		}
	})
	t.Run("unique ids", func(t *testing.T) {
		seen := map[string]bool{}
		for _, id := range ids(sts, svs) {
			if seen[id] {
				t.Errorf("id %s used twice", id)
			}
			seen[id] = true
		}
	})
	t.Run("structure references", func(t *testing.T) {
		used := map[string]int{}
		for _, sv := range svs {
			if byID[sv.StructureID] == nil {
				t.Errorf("service %s: structure %s does not exist", sv.ID, sv.StructureID)
			}
			used[sv.StructureID]++
		}
		several := 0
		for _, st := range sts {
			if used[st.ID] == 0 {
				t.Errorf("structure %s offers no service", st.ID)
			}
			if used[st.ID] >= 2 {
				several++
			}
		}
		if several < 10 {
			t.Errorf("%d structures offer several services, want at least 10", several)
		}
	})
	t.Run("every commune", func(t *testing.T) {
		seen := map[string]bool{}
		for i := range svs {
			seen[effectiveCommune(&svs[i], byID[svs[i].StructureID])] = true
		}
		for _, c := range geo.Communes() {
			if !seen[c.CodeInsee] {
				t.Errorf("no service in %s (%s)", c.Nom, c.CodeInsee)
			}
		}
	})
	t.Run("every category in several territories", func(t *testing.T) {
		territories := map[string]map[string]bool{}
		for i := range svs {
			c, _ := geo.ByInsee(effectiveCommune(&svs[i], byID[svs[i].StructureID]))
			if territories[svs[i].Categorie] == nil {
				territories[svs[i].Categorie] = map[string]bool{}
			}
			territories[svs[i].Categorie][c.EPT] = true
		}
		for _, cat := range vocab.Categories {
			if n := len(territories[cat.Code]); n < 3 {
				t.Errorf("category %s is present in %d territories, want at least 3", cat.Code, n)
			}
		}
	})
	t.Run("every freshness level", func(t *testing.T) {
		levels := map[string]int{}
		for _, sv := range svs {
			levels[domain.FreshnessOf(sv.DateMaj, demo.ReferenceDate).Level]++
		}
		for _, st := range sts {
			levels[domain.FreshnessOf(st.DateMaj, demo.ReferenceDate).Level+"/structure"]++
		}
		n := float64(len(svs))
		if f := float64(levels[domain.FreshUpToDate]) / n; f < 0.35 || f > 0.65 {
			t.Errorf("%.0f%% of services under 6 months old, want about half", 100*f)
		}
		if f := float64(levels[domain.FreshToCheck]) / n; f < 0.2 || f > 0.45 {
			t.Errorf("%.0f%% of services between 6 months and 2 years old, want about a third", 100*f)
		}
		if f := float64(levels[domain.FreshStale]) / n; f < 0.08 {
			t.Errorf("%.0f%% of services over 2 years old, want some", 100*f)
		}
		for _, l := range []string{domain.FreshUpToDate, domain.FreshToCheck, domain.FreshStale} {
			if levels[l+"/structure"] == 0 {
				t.Errorf("no structure at freshness level %s", l)
			}
		}
		if levels[domain.FreshUnknown] > 0 {
			t.Errorf("%d services with an unreadable date_maj", levels[domain.FreshUnknown])
		}
	})
	t.Run("remote only", func(t *testing.T) {
		n := 0
		for i := range svs {
			if domain.IsRemoteOnly(&svs[i]) {
				n++
			}
		}
		if n < 3 {
			t.Errorf("%d remote-only services, want at least 3", n)
		}
	})
}

// TestFiles_Variety checks the deliberate spread of values that search filters, facets and
// their tests rely on.
func TestFiles_Variety(t *testing.T) {
	t.Parallel()
	sts, svs := embedded(t)
	byID := map[string]*domain.Structure{}
	for i := range sts {
		byID[sts[i].ID] = &sts[i]
	}
	n := len(svs)
	count := func(f func(sv *domain.Service) bool) int {
		c := 0
		for i := range svs {
			if f(&svs[i]) {
				c++
			}
		}
		return c
	}
	atLeast := func(t *testing.T, what string, got, want int) {
		t.Helper()
		if got < want {
			t.Errorf("%s: %d services, want at least %d", what, got, want)
		}
	}

	t.Run("core thématiques", func(t *testing.T) {
		for _, th := range []string{"remobilisation--lien-social", "preparer-sa-candidature--developper-son-reseau",
			"equipement-et-alimentation--alimentation", "sante--acces-aux-soins"} {
			atLeast(t, th, count(func(sv *domain.Service) bool { return slices.Contains(sv.Thematiques, th) }), 10)
		}
	})
	t.Run("publics", func(t *testing.T) {
		atLeast(t, "tous-publics", count(func(sv *domain.Service) bool { return slices.Contains(sv.Publics, "tous-publics") }), n/2+1)
		for _, p := range []string{"seniors", "jeunes", "familles", "femmes", "demandeurs-emploi",
			"beneficiaires-des-minimas-sociaux", "personnes-exilees"} {
			atLeast(t, p, count(func(sv *domain.Service) bool { return slices.Contains(sv.Publics, p) }), 2)
		}
	})
	t.Run("frais", func(t *testing.T) {
		atLeast(t, "gratuit", count(func(sv *domain.Service) bool { return domain.Str(sv.Frais) == "gratuit" }), n/2+1)
		atLeast(t, "payant with precisions", count(func(sv *domain.Service) bool {
			return domain.Str(sv.Frais) == "payant" && sv.FraisPrecisions != nil
		}), 10)
		atLeast(t, "frais null", count(func(sv *domain.Service) bool { return sv.Frais == nil }), 2)
		atLeast(t, "« Adhésion 5 € par an »", count(func(sv *domain.Service) bool {
			return strings.Contains(domain.Str(sv.FraisPrecisions), "Adhésion 5 € par an")
		}), 2)
	})
	t.Run("modes d’accueil", func(t *testing.T) {
		atLeast(t, "en présentiel only", count(func(sv *domain.Service) bool {
			return slices.Equal(sv.ModesAccueil, []string{"en-presentiel"})
		}), n/2+1)
		atLeast(t, "both modes", count(func(sv *domain.Service) bool { return len(sv.ModesAccueil) == 2 }), 3)
		atLeast(t, "remote only without an address", count(func(sv *domain.Service) bool {
			return domain.IsRemoteOnly(sv) && sv.Adresse == nil && sv.CodeInsee == nil
		}), 3)
	})
	t.Run("zone d’éligibilité", func(t *testing.T) {
		atLeast(t, "whole département", count(func(sv *domain.Service) bool {
			return slices.Equal(sv.ZoneEligibilite, []string{geo.Departement})
		}), n/3)
		atLeast(t, "one commune, said in conditions", count(func(sv *domain.Service) bool {
			return len(sv.ZoneEligibilite) == 1 && sv.ZoneEligibilite[0] != geo.Departement &&
				strings.Contains(domain.Str(sv.ConditionsAcces), "Réservé aux habitants")
		}), 5)
		atLeast(t, "a territory", count(func(sv *domain.Service) bool { return len(sv.ZoneEligibilite) > 2 }), 2)
		atLeast(t, "null", count(func(sv *domain.Service) bool { return sv.ZoneEligibilite == nil }), 3)
	})
	t.Run("horaires", func(t *testing.T) {
		hours := func(pred func(string) bool) func(*domain.Service) bool {
			return func(sv *domain.Service) bool { return pred(domain.EffectiveHours(sv, byID[sv.StructureID])) }
		}
		for _, tc := range []struct {
			what string
			pred func(string) bool
			want int
		}{
			{"none at all", func(h string) bool { return h == "" }, 2},
			{"unreadable free text", func(h string) bool { return h == "le mardi après-midi" }, 1},
			{"nth weekday of the month", func(h string) bool { return strings.Contains(h, "[") }, 5},
			{"seasonal", func(h string) bool { return strings.HasPrefix(h, "Apr-Oct") || strings.HasPrefix(h, "Mar-") }, 5},
			{"public holidays off", func(h string) bool { return strings.Contains(h, "PH off") }, 3},
			{"two ranges a day", func(h string) bool { return strings.Contains(h, ",14:00") }, 3},
			{"day lists", func(h string) bool { return strings.Contains(h, "Tu,Th") || strings.Contains(h, "Mo,We,Fr") }, 2},
		} {
			atLeast(t, "hours: "+tc.what, count(hours(tc.pred)), tc.want)
		}
	})
	t.Run("guide fields", func(t *testing.T) {
		for _, sv := range svs {
			switch sv.Categorie {
			case "echange-services", "benevolat", "repair-cafe":
				if !sv.PeutDonner {
					t.Errorf("%s (%s): a usager can give there, PeutDonner is false", sv.ID, sv.Categorie)
				}
			}
		}
		gardens := count(func(sv *domain.Service) bool { return sv.Categorie == "jardin-partage" })
		giving := count(func(sv *domain.Service) bool { return sv.Categorie == "jardin-partage" && sv.PeutDonner })
		if giving == 0 || giving == gardens {
			t.Errorf("%d of %d gardens with PeutDonner, want some but not all", giving, gardens)
		}
		onSite := count(func(sv *domain.Service) bool { return !domain.IsRemoteOnly(sv) })
		atLeast(t, "transport access", count(func(sv *domain.Service) bool { return sv.AccesTransport != "" }), onSite*8/10)
	})
	t.Run("other fields", func(t *testing.T) {
		atLeast(t, "own address", count(func(sv *domain.Service) bool { return sv.Adresse != nil }), 5)
		atLeast(t, "structure's address", count(func(sv *domain.Service) bool { return sv.Adresse == nil }), n/2)
		atLeast(t, "type", count(func(sv *domain.Service) bool { return sv.Type != nil }), n/2)
		atLeast(t, "no type", count(func(sv *domain.Service) bool { return sv.Type == nil }), 5)
		atLeast(t, "mobilisable_par", count(func(sv *domain.Service) bool { return sv.MobilisablePar != nil }), n/2)
		atLeast(t, "professionals only", count(func(sv *domain.Service) bool {
			return slices.Equal(sv.MobilisablePar, []string{"professionnels"})
		}), 5)
		atLeast(t, "modes_mobilisation", count(func(sv *domain.Service) bool { return sv.ModesMobilisation != nil }), n/2)
		atLeast(t, "lien_mobilisation", count(func(sv *domain.Service) bool { return sv.LienMobilisation != nil }), 3)
		atLeast(t, "contact_nom_prenom", count(func(sv *domain.Service) bool { return sv.ContactNomPrenom != nil }), 5)
		atLeast(t, "on a social worker’s referral", count(func(sv *domain.Service) bool {
			return strings.Contains(domain.Str(sv.ConditionsAcces), "Sur orientation d’un travailleur social")
		}), 3)
		atLeast(t, "own telephone", count(func(sv *domain.Service) bool { return sv.Telephone != nil }), n/3)
	})
	t.Run("descriptions of 2 to 4 sentences", func(t *testing.T) {
		for _, sv := range svs {
			text := strings.TrimSuffix(sv.Description, " "+curated.Notice)
			if s := sentences(text); s < 2 || s > 4 {
				t.Errorf("%s: %d sentences: %q", sv.ID, s, text)
			}
		}
	})
}

// sentences counts the sentence ends of a French text.
func sentences(text string) int {
	n := 0
	for i, r := range text {
		if r == '.' || r == '?' || r == '!' {
			if i+1 == len(text) || text[i+1] == ' ' {
				n++
			}
		}
	}
	return n
}

// TestFiles_Examples pins the records the brief, the screens and other packages' tests name.
func TestFiles_Examples(t *testing.T) {
	t.Parallel()
	_, svs := embedded(t)
	names := map[string]domain.Service{}
	seen := map[string]bool{}
	for _, sv := range svs {
		names[sv.Nom] = sv
		seen[sv.ID] = true
	}
	for _, name := range []string{"Épicerie solidaire Le Panier du Cœur", "Jardin partagé des Sablons",
		"Repair café de Sèvres", "Accorderie de Gennevilliers", "Frigo solidaire du marché",
		"Café des aidants", "Tiers-lieu La Fabrique", "Point numérique de la médiathèque"} {
		t.Run(name, func(t *testing.T) {
			if _, ok := names[name]; !ok {
				t.Errorf("no service named %q", name)
			}
		})
	}
	t.Run("œ folds to oe", func(t *testing.T) {
		sv := names["Épicerie solidaire Le Panier du Cœur"]
		if !slices.Contains(textfold.Tokens(sv.Nom), "coeur") {
			t.Errorf("tokens of %q: %v, want coeur among them", sv.Nom, textfold.Tokens(sv.Nom))
		}
	})
	t.Run("readable id", func(t *testing.T) {
		if id := "passerelle-demo--epicerie-la-passerelle-nanterre"; !seen[id] {
			t.Errorf("no service %s", id)
		}
	})
}

func ids(sts []domain.Structure, svs []domain.Service) []string {
	var out []string
	for _, st := range sts {
		out = append(out, st.ID)
	}
	for _, sv := range svs {
		out = append(out, sv.ID)
	}
	return out
}
