package servertest

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// testPullEncoded checks that PullEncoded gives, page by page, the very records of Pull as JSON:
// live records, tombstones, answers with conflicts, strings that need escaping, and the errors.
func testPullEncoded(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	f := newFixture(t, open)
	A, B := f.siteA.ID, f.siteB.ID
	ans := record("answer", "i1:q1", A, hlc(3, "da"), "value", `{"text":"« Je suis seule » \"entre guillemets\"\n\u2028"}`, "settled", `"`+hlc(2, "db")+`"`)
	ans.Conflicts = []domain.AnswerConflict{{Value: json.RawMessage(`{"number":2}`), HLC: hlc(2, "db"), Device: "db"}}
	var recs []domain.SyncRecord
	for i := range 12 {
		recs = append(recs, record("usager", fmt.Sprintf("a%02d", i), A, hlc(i, "da"), "display_name", `"Mme Ç. Œ."`, "birth_year", `1970`),
			record("usager", fmt.Sprintf("b%02d", i), B, hlc(i, "db"), "display_name", `"M. B."`))
	}
	recs = append(recs, ans, record("service", "cd92--v1", "", hlc(4, "srv"), "data", `{"id":"cd92--v1","nom":"Épicerie"}`))
	put(t, f.st, recs...)
	put(t, f.st, tombstone("usager", "a03", A, hlc(20, "da")))

	ctx := context.Background()
	for _, limit := range []int{1, 5, 100} {
		t.Run(fmt.Sprintf("limit %d", limit), func(t *testing.T) {
			var cursor int64
			for page := 0; ; page++ {
				want, err := f.st.Pull(ctx, A, cursor, 0, limit)
				if err != nil {
					t.Fatal(err)
				}
				got, err := f.st.PullEncoded(ctx, A, cursor, 0, limit)
				if err != nil {
					t.Fatal(err)
				}
				if got.Cursor != want.Cursor || got.More != want.More || len(got.Changes) != len(want.Changes) {
					t.Fatalf("page %d: cursor %d more %v, %d changes; Pull says %d %v %d", page, got.Cursor, got.More, len(got.Changes), want.Cursor, want.More, len(want.Changes))
				}
				for i, raw := range got.Changes {
					var dec domain.SyncRecord
					if err := json.Unmarshal(raw, &dec); err != nil {
						t.Fatalf("page %d change %d is not JSON: %v\n%s", page, i, err, raw)
					}
					wantJSON, _ := json.Marshal(want.Changes[i])
					var wantDec domain.SyncRecord
					_ = json.Unmarshal(wantJSON, &wantDec)
					if !reflect.DeepEqual(normalised(dec), normalised(wantDec)) {
						t.Errorf("page %d change %d:\n got %s\nwant %s", page, i, raw, wantJSON)
					}
				}
				if !got.More {
					break
				}
				cursor = got.Cursor
			}
		})
	}

	t.Run("errors", func(t *testing.T) {
		if _, err := f.st.PullEncoded(ctx, A, -1, 0, 10); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("negative cursor: %v, want EINVALID", err)
		}
		if _, err := f.st.PullEncoded(ctx, A, 0, 0, 0); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("limit 0: %v, want EINVALID", err)
		}
		v, err := f.st.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.PullEncoded(ctx, A, v+1, 0, 10); domain.ErrorCode(err) != domain.ERESYNC {
			t.Errorf("cursor ahead of the server: %v, want ERESYNC", err)
		}
	})
}

// normalised compacts the JSON values of a decoded record, so that spacing does not count.
func normalised(r domain.SyncRecord) domain.SyncRecord {
	compact := func(v json.RawMessage) json.RawMessage {
		var out []byte
		if b, err := json.Marshal(v); err == nil {
			out = b
		}
		return out
	}
	fields := map[string]domain.FieldValue{}
	for k, f := range r.Fields {
		fields[k] = domain.FieldValue{V: compact(f.V), HLC: f.HLC}
	}
	r.Fields = fields
	for i := range r.Conflicts {
		r.Conflicts[i].Value = compact(r.Conflicts[i].Value)
	}
	if len(r.Conflicts) == 0 {
		r.Conflicts = nil
	}
	return r
}
