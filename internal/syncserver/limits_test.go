package syncserver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/edas92/passerelle/internal/domain"
)

// TestPush_Limits checks the body and batch limits and the strictness of the push body.
func TestPush_Limits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	d := e.enrol(e.addSite("EDAS").ID, "Accueil")
	usager := newUUID()
	// A body of exactly n bytes: one mutation whose name is padded.
	bodyOf := func(n int) string {
		head := fmt.Sprintf(`{"mutations":[{"id":1,"kind":"usager","uuid":"%s","op":"upsert","hlc":"%s","fields":{"display_name":"`, usager, d.stamp())
		tail := `"}}]}`
		return head + strings.Repeat("x", n-len(head)-len(tail)) + tail
	}
	muts := func(n int) []domain.Mutation {
		out := make([]domain.Mutation, n)
		for i := range out {
			out[i] = domain.Mutation{ID: int64(i + 1), Kind: domain.KindUsager, UUID: usager, Op: domain.MutUpsert, HLC: d.stamp(),
				Fields: map[string]json.RawMessage{"commune": json.RawMessage(`"92050"`)}}
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"body over 4 MiB", bodyOf(4<<20 + 1), http.StatusRequestEntityTooLarge, domain.ETOOLARGE},
		{"501 mutations", map[string]any{"mutations": muts(501)}, http.StatusRequestEntityTooLarge, domain.ETOOLARGE},
		{"unknown field", `{"mutations": [], "device": "x"}`, http.StatusBadRequest, domain.EINVALID},
		{"unknown field in a mutation", `{"mutations": [{"id": 1, "kind": "usager", "uuid": "` + usager + `", "op": "upsert", "hlc": "x", "champ": 1}]}`, http.StatusBadRequest, domain.EINVALID},
		{"wrong type", `{"mutations": [{"id": "1"}]}`, http.StatusBadRequest, domain.EINVALID},
		{"not JSON", `{"mutations": [`, http.StatusBadRequest, domain.EINVALID},
		{"empty body", ``, http.StatusBadRequest, domain.EINVALID},
		{"an array", `[]`, http.StatusBadRequest, domain.EINVALID},
		{"data after the object", `{"mutations": []} {}`, http.StatusBadRequest, domain.EINVALID},
		{"no mutations field", `{}`, http.StatusBadRequest, domain.EINVALID},
		{"ids not following", `{"mutations": [{"id": 1}, {"id": 3}]}`, http.StatusBadRequest, domain.EINVALID},
		{"id 0", `{"mutations": [{"id": 0}]}`, http.StatusBadRequest, domain.EINVALID},
		{"empty batch", `{"mutations": []}`, http.StatusOK, ""},
		// Last: they apply mutations.
		{"body of exactly 4 MiB", bodyOf(4 << 20), http.StatusOK, ""},
		{"500 mutations", map[string]any{"mutations": muts(500)}, http.StatusOK, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, b := e.call(http.MethodPost, "/api/v1/push", d.token, tc.body, nil)
			if st != tc.status {
				t.Fatalf("status %d, want %d: %.300s", st, tc.status, b)
			}
			if tc.code != "" {
				if eb := errorOf(t, b); eb.Code != tc.code {
					t.Errorf("code %q, want %q", eb.Code, tc.code)
				}
			}
		})
	}
	devs, _ := e.srv.Devices(context.Background())
	if devs[0].LastMutation != 500 {
		t.Errorf("last mutation %d after the batch of 500", devs[0].LastMutation)
	}
}

// TestPull_Parameters checks the query of a pull.
func TestPull_Parameters(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	d := e.enrol(e.addSite("EDAS").ID, "Accueil")
	for _, tc := range []struct {
		query  string
		status int
	}{
		{"", http.StatusOK},
		{"?cursor=0&limit=1", http.StatusOK},
		{"?limit=1000", http.StatusOK},
		{"?limit=0", http.StatusBadRequest},
		{"?limit=1001", http.StatusBadRequest},
		{"?limit=abc", http.StatusBadRequest},
		{"?cursor=-1", http.StatusBadRequest},
		{"?cursor=1&cursor=2", http.StatusBadRequest},
		{"?curseur=1", http.StatusBadRequest},
		{"?cursor=99", http.StatusGone}, // ahead of the server: it lost writes the desk saw
	} {
		t.Run(tc.query, func(t *testing.T) {
			st, b := e.call(http.MethodGet, "/api/v1/pull"+tc.query, d.token, nil, nil)
			if st != tc.status {
				t.Fatalf("status %d, want %d: %s", st, tc.status, b)
			}
			if st != http.StatusOK {
				errorOf(t, b)
			}
		})
	}
}

// TestRoutes_NotFoundAndMethods checks the answers outside the API.
func TestRoutes_NotFoundAndMethods(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, tc := range []struct {
		method, path string
		status       int
		code         string
	}{
		{http.MethodGet, "/api/v2/pull", http.StatusNotFound, domain.ENOTFOUND},
		{http.MethodGet, "/", http.StatusNotFound, domain.ENOTFOUND},
		{http.MethodGet, "/api/v1/push", http.StatusMethodNotAllowed, domain.EINVALID},
		{http.MethodPost, "/api/v1/pull", http.StatusMethodNotAllowed, domain.EINVALID},
		{http.MethodDelete, "/healthz", http.StatusMethodNotAllowed, domain.EINVALID},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			st, b, h := e.callHeader(tc.method, tc.path, nil, nil)
			if st != tc.status {
				t.Fatalf("status %d, want %d: %s", st, tc.status, b)
			}
			if eb := errorOf(t, b); eb.Code != tc.code {
				t.Errorf("code %q", eb.Code)
			}
			if st == http.StatusMethodNotAllowed && h.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
		})
	}
}

// TestRateLimit checks the token buckets: per device on the API, per address on /enroll, 429
// with Retry-After, and a bucket that fills again with time.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *Options) {
		o.DeviceRate, o.DeviceBurst = rate.Every(time.Minute), 2
		o.EnrolRate, o.EnrolBurst = rate.Every(10*time.Second), 3
	})
	site := e.addSite("EDAS")
	a, b, c := e.enrol(site.ID, "A"), e.enrol(site.ID, "B"), e.enrol(site.ID, "C")
	pull := func(d *desk) (int, []byte, http.Header) {
		return e.callHeader(http.MethodGet, "/api/v1/pull", http.Header{"Authorization": bearer(d.token)}, nil)
	}
	expectLimited := func(t *testing.T, st int, body []byte, h http.Header, retry string) {
		t.Helper()
		if st != http.StatusTooManyRequests {
			t.Fatalf("status %d, want 429: %s", st, body)
		}
		if eb := errorOf(t, body); eb.Code != domain.ERATELIMITED {
			t.Errorf("code %q", eb.Code)
		}
		if got := h.Get("Retry-After"); got != retry {
			t.Errorf("Retry-After %q, want %q", got, retry)
		}
	}
	t.Run("per device", func(t *testing.T) {
		for i := range 2 {
			if st, body, _ := pull(a); st != http.StatusOK {
				t.Fatalf("request %d: %d %s", i+1, st, body)
			}
		}
		st, body, h := pull(a)
		expectLimited(t, st, body, h, "60")
		if st, body, _ := pull(b); st != http.StatusOK {
			t.Errorf("another device is limited too: %d %s", st, body)
		}
	})
	t.Run("per address on enroll, the bucket shared with nobody", func(t *testing.T) {
		// Three enrolments above used the burst of this address.
		code, _, err := e.srv.NewEnrolment(context.Background(), site.ID)
		if err != nil {
			t.Fatal(err)
		}
		st, body, h := e.callHeader(http.MethodPost, "/api/v1/enroll", nil, map[string]string{"code": code, "device_name": "D"})
		expectLimited(t, st, body, h, "10")
		e.clock.Add(10 * time.Second)
		if st, body, _ := e.callHeader(http.MethodPost, "/api/v1/enroll", nil, map[string]string{"code": code, "device_name": "D"}); st != http.StatusOK {
			t.Errorf("after 10 s: %d %s", st, body)
		}
		_ = c
	})
	t.Run("the bucket fills again", func(t *testing.T) {
		e.clock.Add(50 * time.Second) // a minute since a's requests
		if st, body, _ := pull(a); st != http.StatusOK {
			t.Errorf("after a minute: %d %s", st, body)
		}
		st, body, h := pull(a)
		expectLimited(t, st, body, h, "60")
	})
}

// TestInternalError checks that a failure of the store answers 500 with a generic French
// message and leaves its details in the log only.
func TestInternalError(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	d := e.enrol(e.addSite("EDAS").ID, "Accueil")
	if st, b := e.call(http.MethodGet, "/healthz", "", nil, nil); st != http.StatusOK || !strings.Contains(string(b), `"ok"`) {
		t.Fatalf("healthz: %d %s", st, b)
	}
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/healthz", "/api/v1/pull"} {
		st, b := e.call(http.MethodGet, path, d.token, nil, nil)
		eb := errorOf(t, b)
		if st != http.StatusInternalServerError || eb.Code != domain.EINTERNAL || strings.Contains(eb.Message, "sql") {
			t.Errorf("%s: %d %s", path, st, b)
		}
	}
	if logs := e.logs.String(); !strings.Contains(logs, `"msg":"request failed"`) || !strings.Contains(logs, "closed") {
		t.Errorf("the log does not say why:\n%s", logs)
	}
}
