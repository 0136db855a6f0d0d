package grid

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// FuzzParse checks that no input makes Parse panic, that a refusal is a French EINVALID with
// nothing returned, and that an accepted grid validates and survives marshalling and parsing
// again unchanged. The committed corpus is in testdata/fuzz/FuzzParse; run
// `go test -fuzz=FuzzParse ./internal/grid` to explore further.
func FuzzParse(f *testing.F) {
	// The default grid (30 kB) is left out of the seeds: mutating and minimising inputs that big
	// makes fuzzing crawl, and TestParse_RoundTrip covers it.
	f.Add([]byte(testGridJSON))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := Parse(data)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID || domain.ErrorMessage(err) == "" {
				t.Fatalf("error is not a French EINVALID: %v", err)
			}
			if !reflect.DeepEqual(g, domain.Grid{}) {
				t.Fatalf("failed Parse returned a grid: %+v", g)
			}
			return
		}
		if err := Validate(g); err != nil {
			t.Fatalf("parsed grid does not validate: %v", err)
		}
		b, err := json.Marshal(g)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		back, err := Parse(b)
		if err != nil {
			t.Fatalf("re-parse: %v\n%s", err, b)
		}
		if !reflect.DeepEqual(back, g) {
			t.Fatalf("grid changed through JSON:\n%+v\n%+v", g, back)
		}
		// What a parsed grid feeds must not panic either.
		Visible(g, nil)
		Needs(g, nil)
		Progress(g, nil)
	})
}
