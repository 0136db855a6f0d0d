package syncserver

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/hlc"
)

// TestAuthorizationMatrix sends every route with every kind of credentials.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	siteA, siteB := e.addSite("EDAS A"), e.addSite("EDAS B")
	e.importFixtures()
	a1 := e.enrol(siteA.ID, "A1")
	b1 := e.enrol(siteB.ID, "B1")
	revoked := e.enrol(siteA.ID, "ancien poste")
	if _, err := e.srv.Revoke(ctx, revoked.id); err != nil {
		t.Fatal(err)
	}
	usagerA := newUUID()
	a1.mustPush(a1.upsert(domain.KindUsager, usagerA, map[string]any{"display_name": "M. A."}))

	creds := []struct {
		name   string
		header []string
		desk   *desk // whose mutation ids a push uses
	}{
		{"no token", nil, nil},
		{"malformed header", []string{"Basic dXNlcjpwYXNz"}, nil},
		{"malformed token", []string{"Bearer pas-un-jeton"}, nil},
		{"unknown token", []string{"Bearer " + newDeviceToken()}, nil},
		{"revoked token", bearer(revoked.token), revoked},
		{"other-site token", bearer(b1.token), b1},
		{"right token", bearer(a1.token), a1},
	}
	type want struct {
		status int
		code   string // "" for a 200
		check  func(t *testing.T, body []byte)
	}
	unauthorized := want{http.StatusUnauthorized, domain.EUNAUTHORIZED, nil}
	routes := []struct {
		name string
		send func(d *desk) (method, path string, body any)
		want map[string]want // by credentials
	}{
		{
			name: "GET /healthz",
			send: func(*desk) (string, string, any) { return http.MethodGet, "/healthz", nil },
			want: map[string]want{"*": {http.StatusOK, "", nil}},
		},
		{
			name: "POST /api/v1/enroll",
			send: func(*desk) (string, string, any) {
				code, _, err := e.srv.NewEnrolment(ctx, siteA.ID)
				if err != nil {
					t.Fatal(err)
				}
				return http.MethodPost, "/api/v1/enroll", map[string]string{"code": code, "device_name": "nouveau"}
			},
			// A token plays no part in an enrolment: the code alone decides.
			want: map[string]want{"*": {http.StatusOK, "", func(t *testing.T, b []byte) {
				var r EnrollResponse
				if err := json.Unmarshal(b, &r); err != nil || r.SiteID != siteA.ID || r.Token == "" {
					t.Errorf("enrolment answer %s", b)
				}
			}}},
		},
		{
			name: "POST /api/v1/push",
			send: func(d *desk) (string, string, any) {
				id := int64(1)
				if d != nil {
					id = d.nextID
					d.nextID++
				}
				m := domain.Mutation{ID: id, Kind: domain.KindUsager, UUID: usagerA, Op: domain.MutUpsert,
					HLC: "1772442000000-0000-test", Fields: map[string]json.RawMessage{"commune": []byte(`"92050"`)}}
				if d != nil {
					m.HLC = d.stamp()
				}
				return http.MethodPost, "/api/v1/push", map[string]any{"mutations": []domain.Mutation{m}}
			},
			want: map[string]want{
				"no token": unauthorized, "malformed header": unauthorized, "malformed token": unauthorized, "unknown token": unauthorized,
				"revoked token": {http.StatusUnauthorized, domain.EREVOKED, nil},
				"other-site token": {http.StatusOK, "", func(t *testing.T, b []byte) {
					var r domain.PushResult
					if err := json.Unmarshal(b, &r); err != nil || len(r.Rejected) != 1 || !strings.Contains(r.Rejected[0].Reason, "autre EDAS") {
						t.Errorf("push to another site's record: %s", b)
					}
				}},
				"right token": {http.StatusOK, "", func(t *testing.T, b []byte) {
					var r domain.PushResult
					if err := json.Unmarshal(b, &r); err != nil || len(r.Rejected) != 0 || r.AppliedThrough != 2 {
						t.Errorf("push: %s", b)
					}
				}},
			},
		},
		{
			name: "GET /api/v1/pull",
			send: func(*desk) (string, string, any) { return http.MethodGet, "/api/v1/pull?cursor=0", nil },
			want: map[string]want{
				"no token": unauthorized, "malformed header": unauthorized, "malformed token": unauthorized, "unknown token": unauthorized,
				"revoked token": {http.StatusUnauthorized, domain.EREVOKED, nil},
				"other-site token": {http.StatusOK, "", func(t *testing.T, b []byte) {
					var r domain.PullResult
					if err := json.Unmarshal(b, &r); err != nil || len(r.Changes) != 3 {
						t.Fatalf("pull of site B: %s", b)
					}
					for _, c := range r.Changes {
						if c.Kind != domain.KindStructure && c.Kind != domain.KindService {
							t.Errorf("site B received %s %s", c.Kind, c.UUID)
						}
					}
				}},
				"right token": {http.StatusOK, "", func(t *testing.T, b []byte) {
					var r domain.PullResult
					if err := json.Unmarshal(b, &r); err != nil || len(r.Changes) != 4 || !strings.Contains(string(b), usagerA) {
						t.Errorf("pull of site A: %s", b)
					}
				}},
			},
		},
	}
	// Sequential: the push cases move the desks' mutation ids.
	for _, rt := range routes {
		for _, c := range creds {
			t.Run(rt.name+"/"+c.name, func(t *testing.T) {
				w, ok := rt.want[c.name]
				if !ok {
					w = rt.want["*"]
				}
				method, path, body := rt.send(c.desk)
				st, b, h := e.callHeader(method, path, http.Header{"Authorization": c.header}, body)
				if st != w.status {
					t.Fatalf("status %d, want %d: %s", st, w.status, b)
				}
				if w.code != "" {
					if eb := errorOf(t, b); eb.Code != w.code {
						t.Errorf("code %q, want %q", eb.Code, w.code)
					}
					if st == http.StatusUnauthorized && !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
						t.Errorf("401 without WWW-Authenticate: %q", h.Get("WWW-Authenticate"))
					}
				}
				if w.check != nil {
					w.check(t, b)
				}
			})
		}
	}
}

// TestEnroll checks the enrolment rules: single use, expiry, unknown or malformed codes.
func TestEnroll(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	enroll := func(e *testEnv, code, name string) (int, []byte) {
		return e.call(http.MethodPost, "/api/v1/enroll", "", map[string]string{"code": code, "device_name": name}, nil)
	}
	for _, tc := range []struct {
		name   string
		run    func(t *testing.T, e *testEnv, code string) (int, []byte)
		status int
		code   string
	}{
		{"first use", func(t *testing.T, e *testEnv, code string) (int, []byte) { return enroll(e, code, "Accueil") }, http.StatusOK, ""},
		{"typed in lower case without dashes", func(t *testing.T, e *testEnv, code string) (int, []byte) {
			return enroll(e, " "+strings.ToLower(strings.ReplaceAll(code, "-", ""))+" ", "Accueil")
		}, http.StatusOK, ""},
		{"second use", func(t *testing.T, e *testEnv, code string) (int, []byte) {
			if st, b := enroll(e, code, "Accueil"); st != http.StatusOK {
				t.Fatalf("first use: %d %s", st, b)
			}
			return enroll(e, code, "Accueil bis")
		}, http.StatusConflict, domain.ECONFLICT},
		{"a second before expiry", func(t *testing.T, e *testEnv, code string) (int, []byte) {
			e.clock.Add(24*time.Hour - time.Second)
			return enroll(e, code, "Accueil")
		}, http.StatusOK, ""},
		{"expired", func(t *testing.T, e *testEnv, code string) (int, []byte) {
			e.clock.Add(24 * time.Hour)
			return enroll(e, code, "Accueil")
		}, http.StatusConflict, domain.ECONFLICT},
		{"unknown code", func(t *testing.T, e *testEnv, code string) (int, []byte) {
			return enroll(e, newEnrolmentCode(), "Accueil")
		}, http.StatusNotFound, domain.ENOTFOUND},
		{"malformed code", func(t *testing.T, e *testEnv, code string) (int, []byte) {
			return enroll(e, "ABCD-EFGH-IJKL-MNO0", "Accueil")
		}, http.StatusBadRequest, domain.EINVALID},
		{"no device name", func(t *testing.T, e *testEnv, code string) (int, []byte) { return enroll(e, code, "  ") }, http.StatusBadRequest, domain.EINVALID},
		{"unknown field", func(t *testing.T, e *testEnv, code string) (int, []byte) {
			return e.call(http.MethodPost, "/api/v1/enroll", "", map[string]string{"code": code, "device_name": "A", "site": "x"}, nil)
		}, http.StatusBadRequest, domain.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, nil)
			site := e.addSite("EDAS")
			code, expires, err := e.srv.NewEnrolment(ctx, site.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !expires.Equal(t0.Add(24 * time.Hour)) {
				t.Errorf("expires %v", expires)
			}
			st, b := tc.run(t, e, code)
			if st != tc.status {
				t.Fatalf("status %d, want %d: %s", st, tc.status, b)
			}
			if tc.code != "" {
				if eb := errorOf(t, b); eb.Code != tc.code {
					t.Errorf("code %q, want %q (%s)", eb.Code, tc.code, eb.Message)
				}
				return
			}
			var r EnrollResponse
			if err := json.Unmarshal(b, &r); err != nil || r.SiteID != site.ID || r.SiteName != "EDAS" || r.DeviceID == "" {
				t.Fatalf("answer %s", b)
			}
			if _, ok := hashToken(r.Token); !ok {
				t.Errorf("token %q is not 32 bytes of base64url", r.Token)
			}
			devs, err := e.srv.Devices(ctx)
			if err != nil || len(devs) != 1 || devs[0].ID != r.DeviceID || devs[0].Name != "Accueil" {
				t.Errorf("devices %+v %v", devs, err)
			}
		})
	}
	t.Run("unknown site", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, nil)
		if _, _, err := e.srv.NewEnrolment(ctx, newUUID()); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("got %v", err)
		}
	})
}

// TestEnrolmentCode checks the shape of codes: 80 random bits in four groups, no look-alikes.
func TestEnrolmentCode(t *testing.T) {
	t.Parallel()
	shape := regexp.MustCompile(`^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$`)
	seen := map[string]bool{}
	for range 2000 {
		c := newEnrolmentCode()
		if !shape.MatchString(c) {
			t.Fatalf("code %q", c)
		}
		if seen[c] {
			t.Fatalf("code %q twice", c)
		}
		seen[c] = true
		if n, err := normaliseCode(c); err != nil || n != strings.ReplaceAll(c, "-", "") {
			t.Fatalf("normalise %q: %q %v", c, n, err)
		}
	}
	if len(codeAlphabet) != 32 || strings.ContainsAny(codeAlphabet, "01OI") {
		t.Errorf("alphabet %q", codeAlphabet)
	}
}

// TestSecrets_NeverLogged captures the server's log through enrolment, sync and failures, and
// looks for the code, the token, its hash and a pushed value in it.
func TestSecrets_NeverLogged(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx := context.Background()
	site := e.addSite("EDAS")
	code, _, err := e.srv.NewEnrolment(ctx, site.ID)
	if err != nil {
		t.Fatal(err)
	}
	var r EnrollResponse
	if st, b := e.call(http.MethodPost, "/api/v1/enroll", "", map[string]string{"code": code, "device_name": "Accueil"}, &r); st != http.StatusOK {
		t.Fatalf("%d %s", st, b)
	}
	e.call(http.MethodPost, "/api/v1/enroll", "", map[string]string{"code": code, "device_name": "Accueil"}, nil) // used: 409
	d := &desk{env: e, id: r.DeviceID, token: r.Token, nextID: 1, clock: hlc.New(r.DeviceID, e.clock.Now, "")}
	secretValue := "Valeur-Confidentielle-8271"
	d.mustPush(d.upsert(domain.KindUsager, newUUID(), map[string]any{"display_name": secretValue}))
	d.pull(0, 0)
	e.call(http.MethodPost, "/api/v1/push", r.Token, `{"mutations": [{"id": 1, "secret": "`+secretValue+`"}]}`, nil) // 400
	e.call(http.MethodGet, "/api/v1/pull?cursor=0&x="+secretValue, r.Token, nil, nil)                                // 400
	if _, err := e.srv.Revoke(ctx, r.DeviceID); err != nil {
		t.Fatal(err)
	}
	d.pull(0, 0) // 401 revoked

	logs := e.logs.String()
	hash, _ := hashToken(r.Token)
	norm, _ := normaliseCode(code)
	for name, secret := range map[string]string{"code": code, "normalised code": norm, "code hash": hashCode(norm),
		"token": r.Token, "token hash": hash, "pushed value": secretValue} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds the %s", name)
		}
	}
	// The log is not empty: each request has its line with what is needed to follow it.
	var lines int
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec["msg"] != "request" {
			continue
		}
		lines++
		for _, k := range []string{"request_id", "route", "device", "status", "duration"} {
			if _, ok := rec[k]; !ok {
				t.Errorf("request log line without %s: %s", k, line)
			}
		}
	}
	if lines != 7 {
		t.Errorf("%d request lines in the log:\n%s", lines, logs)
	}
}

// TestTouch_AtMostOncePerMinute checks that a device's last-seen time is written on its first
// request and then no more than once a minute.
func TestTouch_AtMostOncePerMinute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	d := e.enrol(e.addSite("EDAS").ID, "Accueil")
	lastSeen := func() time.Time {
		devs, err := e.srv.Devices(context.Background())
		if err != nil || len(devs) != 1 || devs[0].LastSeenAt == nil {
			t.Fatalf("devices %+v %v", devs, err)
		}
		return devs[0].LastSeenAt.UTC()
	}
	d.pull(0, 0)
	if got := lastSeen(); !got.Equal(t0) {
		t.Fatalf("last seen %v, want %v", got, t0)
	}
	e.clock.Add(59 * time.Second)
	d.pull(0, 0)
	if got := lastSeen(); !got.Equal(t0) {
		t.Errorf("last seen written again after 59 s: %v", got)
	}
	e.clock.Add(time.Second)
	d.pull(0, 0)
	if got := lastSeen(); !got.Equal(t0.Add(time.Minute)) {
		t.Errorf("last seen %v after a minute, want %v", got, t0.Add(time.Minute))
	}
}
