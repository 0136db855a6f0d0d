package syncserver

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// FuzzPush sends arbitrary bodies to POST /api/v1/push of a real server on a real SQLite file,
// as an enrolled desk. Whatever the body, the server must answer a status of the protocol —
// never 500 — with a JSON body: a PushResult for 200, {code, message} otherwise; and a body the
// decoder accepts must come back from JSON unchanged (nothing silently dropped). The committed
// corpus is in testdata/fuzz/FuzzPush; `go test -fuzz=FuzzPush ./internal/syncserver` explores
// further.
func FuzzPush(f *testing.F) {
	for _, seed := range []string{
		`{"mutations":[]}`,
		`{"mutations":[{"id":1,"kind":"usager","uuid":"0190aaaa-0000-7000-8000-000000000001","op":"upsert","hlc":"1763892000000-0000-dev","fields":{"display_name":"M. D."}}]}`,
		`{"mutations":[{"id":1,"kind":"answer","uuid":"0190aaaa-0000-7000-8000-000000000001:liens-auto","op":"upsert","hlc":"1763892000000-0001-dev","fields":{"value":{"value":{"number":2}}},"base":"1763891000000-0000-dev2"}]}`,
		`{"mutations":[{"id":1,"kind":"usager","uuid":"0190aaaa-0000-7000-8000-000000000001","op":"delete","hlc":"1763892000000-0002-dev"}]}`,
		`{"mutations":[{"id":1,"kind":"suggestion","uuid":"0190aaaa-0000-7000-8000-000000000009","op":"upsert","hlc":"1763892000000-0003-dev","fields":{"type":"correction","service":{"id":"cd92--v1"},"message":"Fermé le lundi"}}]}`,
		`{"mutations":[{"id":2,"kind":"service","uuid":"x","op":"upsert","hlc":"1","fields":{"data":{}}}]}`,
		`{"mutations":[{"id":1},{"id":3}]}`,
		`{"mutations":null}`,
		`{"mutations":[{"id":1,"kind":"usager","uuid":"u","op":"upsert","hlc":"1763892000000-0000-dev","fields":{"a":1}}],"extra":true}`,
		``, `[]`, `{`, `null`,
	} {
		f.Add([]byte(seed))
	}
	env := newEnv(f, nil)
	site := env.addSite("EDAS de Nanterre")
	handler := env.srv.Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		// A new desk each time, so that inputs numbered from 1 reach the merge rules rather than
		// being skipped as replays of an earlier input.
		code, _, err := env.srv.NewEnrolment(context.Background(), site.ID)
		if err != nil {
			t.Fatal(err)
		}
		enr, err := env.srv.Enroll(context.Background(), code, "poste", "")
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, "/api/v1/push", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+enr.Token)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK:
			var res domain.PushResult
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatalf("200 without a push result: %v %s", err, rec.Body)
			}
			muts, err := decodePush(bytes.NewReader(body), DefaultMaxBody, DefaultMaxMutations)
			if err != nil {
				t.Fatalf("the server applied a body its decoder refuses: %v", err)
			}
			if len(muts) > 0 && res.AppliedThrough != muts[len(muts)-1].ID {
				t.Fatalf("applied through %d, want every mutation (last id %d) applied or rejected", res.AppliedThrough, muts[len(muts)-1].ID)
			}
			again, err := json.Marshal(map[string]any{"mutations": muts})
			if err != nil {
				t.Fatal(err)
			}
			back, err := decodePush(bytes.NewReader(again), DefaultMaxBody, DefaultMaxMutations)
			if err != nil || len(back) != len(muts) {
				t.Fatalf("decoded mutations do not survive JSON: %v (%d of %d)", err, len(back), len(muts))
			}
		case http.StatusBadRequest, http.StatusConflict, http.StatusRequestEntityTooLarge:
			errorOf(t, rec.Body.Bytes())
		default:
			t.Fatalf("status %d for a push body: %s", rec.Code, rec.Body)
		}
	})
}

// FuzzImportDirectory publishes arbitrary files as the directory's master data (the path of
// `passerelle-server import`). No input may panic or fail as an internal error; an import either
// reports what it published and refused, or refuses the file with a French EINVALID and
// publishes nothing at all. The committed corpus is in testdata/fuzz/FuzzImportDirectory.
func FuzzImportDirectory(f *testing.F) {
	f.Add([]byte(structuresJSON), []byte(servicesJSON))
	f.Add([]byte(`{"items":[]}`), []byte(`[]`))
	f.Add([]byte(`[{"id":"cd92--s1","source":"cd92","nom":"X","date_maj":"2026-13-40"}]`), []byte(`[{"id":"cd92--v1"}]`))
	f.Add([]byte("id;nom\n1;x\n"), []byte(`[`))
	env := newEnv(f, nil)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, structures, services []byte) {
		before, err := env.store.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := env.srv.ImportDirectory(ctx, []ImportFile{
			FileBytes("structures.json", structures),
			FileBytes("services.json", services),
		}, "")
		after, verr := env.store.Version(ctx)
		if verr != nil {
			t.Fatal(verr)
		}
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID || domain.ErrorMessage(err) == "" {
				t.Fatalf("import error is not a French EINVALID: %v", err)
			}
			if after != before {
				t.Fatalf("a refused import published something: version %d → %d", before, after)
			}
			return
		}
		if changed := rep.Imported + rep.Updated; (changed > 0) != (after > before) {
			t.Fatalf("report says %d published, server version %d → %d", changed, before, after)
		}
		for _, r := range rep.Rejected {
			if r.Reason == "" {
				t.Fatalf("rejection without a reason: %+v", r)
			}
		}
	})
}
