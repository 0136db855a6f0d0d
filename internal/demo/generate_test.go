package demo_test

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/demo"
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/textfold"
	"github.com/edas92/passerelle/internal/vocab"
)

// bigN is the size of the heavy generated directories, smaller under the race detector.
func bigN() int {
	if raceEnabled {
		return 10_000
	}
	return 100_000
}

func TestGenerate_Deterministic(t *testing.T) {
	t.Parallel()
	n := bigN() / 10
	st1, sv1 := demo.Generate(n, 42)
	st2, sv2 := demo.Generate(n, 42)
	if !reflect.DeepEqual(st1, st2) || !reflect.DeepEqual(sv1, sv2) {
		t.Fatal("two runs with the same seed differ")
	}
	st3, sv3 := demo.Generate(n, 43)
	if reflect.DeepEqual(st1, st3) || reflect.DeepEqual(sv1, sv3) {
		t.Error("another seed gives the same directory")
	}
	// Same ids, whatever the seed: they depend on the position only.
	if sv1[n-1].ID != sv3[n-1].ID || st1[0].ID != st3[0].ID {
		t.Errorf("ids depend on the seed: %s vs %s", sv1[n-1].ID, sv3[n-1].ID)
	}
}

// TestGenerate_AnyProcessorCount checks that the parallel generation gives the same records
// on one processor as on all of them. Not parallel: it changes GOMAXPROCS.
func TestGenerate_AnyProcessorCount(t *testing.T) {
	n := 9000 // several chunks of structures and of services
	wantSt, wantSv := demo.Generate(n, 5)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	gotSt, gotSv := demo.Generate(n, 5)
	if !reflect.DeepEqual(gotSt, wantSt) || !reflect.DeepEqual(gotSv, wantSv) {
		t.Fatal("one processor gives other records than several")
	}
}

func TestGenerate_Sizes(t *testing.T) {
	t.Parallel()
	for _, n := range []int{-1, 0, 1, 2, 3, 11, 71, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			sts, svs := demo.Generate(n, 7)
			if sts == nil || svs == nil {
				t.Fatal("nil slices, want empty ones")
			}
			wantSv := max(n, 0)
			wantSt := (wantSv + 1) / 2
			if len(svs) != wantSv || len(sts) != wantSt {
				t.Fatalf("%d services and %d structures, want %d and %d", len(svs), len(sts), wantSv, wantSt)
			}
			byID := map[string]*domain.Structure{}
			seen := map[string]bool{}
			for i := range sts {
				st := &sts[i]
				byID[st.ID] = st
				if seen[st.ID] {
					t.Errorf("structure id %s used twice", st.ID)
				}
				seen[st.ID] = true
				if want := domain.RecordUUID(domain.KindStructure, domain.DemoSource, st.ID); st.UUID != want || st.Origin != domain.OriginDemo {
					t.Errorf("structure %s: meta %+v, want UUID %s and origin demo", st.ID, st.Meta, want)
				}
			}
			categories := map[string]bool{}
			communes := map[string]bool{}
			for i := range svs {
				sv := &svs[i]
				if seen[sv.ID] {
					t.Errorf("service id %s used twice", sv.ID)
				}
				seen[sv.ID] = true
				st := byID[sv.StructureID]
				if st == nil {
					t.Fatalf("service %s: structure %s does not exist", sv.ID, sv.StructureID)
				}
				if want := domain.RecordUUID(domain.KindService, domain.DemoSource, sv.ID); sv.UUID != want || sv.Origin != domain.OriginDemo {
					t.Errorf("service %s: meta %+v, want UUID %s and origin demo", sv.ID, sv.Meta, want)
				}
				categories[sv.Categorie] = true
				communes[effectiveCommune(sv, st)] = true
			}
			if n >= len(vocab.Categories) && len(categories) != len(vocab.Categories) {
				t.Errorf("%d categories, want all %d", len(categories), len(vocab.Categories))
			}
			if n >= 71 && len(communes) != geo.Count() {
				t.Errorf("%d communes, want all %d", len(communes), geo.Count())
			}
		})
	}
}

func TestGenerate_ValidRecords(t *testing.T) {
	t.Parallel()
	sts, svs := demo.Generate(bigN()/20, 3)
	fails := 0
	for _, st := range sts {
		for _, p := range checkStructure(st) {
			if fails++; fails <= 20 {
				t.Errorf("structure %s: %s", st.ID, p)
			}
		}
	}
	for _, sv := range svs {
		for _, p := range checkService(sv) {
			if fails++; fails <= 20 {
				t.Errorf("service %s: %s", sv.ID, p)
			}
		}
	}
	if fails > 20 {
		t.Errorf("%d problems in all", fails)
	}
}

// TestGenerate_Variety checks the mix a benchmark needs to be realistic: text with thousands of
// distinct words (accents and ligatures included), every freshness level, the filters' values.
func TestGenerate_Variety(t *testing.T) {
	t.Parallel()
	sts, svs := demo.Generate(bigN(), 1)
	byID := map[string]*domain.Structure{}
	for i := range sts {
		byID[sts[i].ID] = &sts[i]
	}
	words := map[string]bool{}
	var tokens []string
	ligature, accent := false, false
	levels := map[string]int{}
	counts := map[string]int{}
	for i := range svs {
		sv := &svs[i]
		for _, text := range []string{sv.Nom, sv.Description, byID[sv.StructureID].Nom, domain.Str(sv.ContactNomPrenom), domain.Str(sv.Adresse)} {
			tokens = textfold.AppendTokens(tokens[:0], text)
			for _, tok := range tokens {
				words[tok] = true
			}
			ligature = ligature || strings.ContainsAny(text, "œæ")
			accent = accent || strings.ContainsAny(text, "éèêàçôîû")
		}
		levels[domain.FreshnessOf(sv.DateMaj, demo.ReferenceDate).Level]++
		switch {
		case domain.IsRemoteOnly(sv):
			counts["remote"]++
		case len(sv.ModesAccueil) == 2:
			counts["both"]++
		}
		if sv.Frais == nil {
			counts["frais null"]++
		} else {
			counts[*sv.Frais]++
		}
		if sv.PeutDonner {
			counts["peut donner"]++
		}
		if sv.Adresse != nil {
			counts["own address"]++
		}
	}
	if want := 3000; len(words) < want {
		t.Errorf("%d distinct words, want at least %d", len(words), want)
	}
	if !ligature || !accent {
		t.Errorf("ligatures seen: %v, accents seen: %v; want both", ligature, accent)
	}
	n := float64(len(svs))
	for _, tc := range []struct {
		what     string
		got      int
		min, max float64 // shares of the services
	}{
		{"under 6 months", levels[domain.FreshUpToDate], 0.4, 0.6},
		{"6 months to 2 years", levels[domain.FreshToCheck], 0.25, 0.42},
		{"over 2 years", levels[domain.FreshStale], 0.1, 0.25},
		{"remote only", counts["remote"], 0.02, 0.1},
		{"both modes", counts["both"], 0.05, 0.2},
		{"gratuit", counts["gratuit"], 0.5, 0.9},
		{"payant", counts["payant"], 0.1, 0.4},
		{"frais null", counts["frais null"], 0.02, 0.2},
		{"peut donner", counts["peut donner"], 0.15, 0.6},
		{"own address", counts["own address"], 0.1, 0.4},
	} {
		if share := float64(tc.got) / n; share < tc.min || share > tc.max {
			t.Errorf("%s: %.1f%% of services, want %.0f%% to %.0f%%", tc.what, 100*share, 100*tc.min, 100*tc.max)
		}
	}
	t.Logf("%d services, %d distinct words", len(svs), len(words))
}

// TestGenerate_NoSharedState checks that no two records share what a caller may change (the
// generator carves fields from shared arenas): writing through every pointer of one record and
// appending to its every list leaves all the others as they were.
func TestGenerate_NoSharedState(t *testing.T) {
	t.Parallel()
	const n = 40
	refSt, refSv := demo.Generate(n, 9)
	for i := range n + n/2 {
		sts, svs := demo.Generate(n, 9)
		var changed reflect.Value
		if i < n {
			changed = reflect.ValueOf(&svs[i]).Elem()
		} else {
			changed = reflect.ValueOf(&sts[i-n]).Elem()
		}
		scribble(changed)
		for j := range svs {
			if j != i && !reflect.DeepEqual(svs[j], refSv[j]) {
				t.Fatalf("changing record %d changed service %d", i, j)
			}
		}
		for j := range sts {
			if j != i-n && !reflect.DeepEqual(sts[j], refSt[j]) {
				t.Fatalf("changing record %d changed structure %d", i, j)
			}
		}
	}
}

// scribble writes through every pointer field of a record and appends to every list field.
func scribble(v reflect.Value) {
	for k := range v.NumField() {
		f := v.Field(k)
		switch {
		case f.Kind() == reflect.Pointer && !f.IsNil():
			switch e := f.Elem(); e.Kind() {
			case reflect.String:
				e.SetString("changé")
			case reflect.Float64:
				e.SetFloat(-1)
			case reflect.Int:
				e.SetInt(-1)
			}
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
			f.Set(reflect.Append(f, reflect.ValueOf("changé")))
		}
	}
}

func BenchmarkGenerate100k(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sts, svs := demo.Generate(100_000, int64(b.N))
		if len(svs) != 100_000 || len(sts) != 50_000 {
			b.Fatal("wrong size")
		}
	}
}
