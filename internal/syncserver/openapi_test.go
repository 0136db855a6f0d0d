package syncserver

import (
	"context"
	"maps"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"
	"gopkg.in/yaml.v3"

	"github.com/edas92/passerelle/internal/domain"
)

// openAPIFile is the OpenAPI description of the API, kept beside the protocol's document.
const openAPIFile = "../../docs/openapi.yaml"

// routeStatuses are the statuses each route answers besides 404 (unknown path), 405 (another
// method) and 500 (any), as the handlers and the tests of this package show them: the document
// must list each, and no other.
var routeStatuses = map[string][]int{
	"GET /healthz":        {200, 500},
	"POST /api/v1/enroll": {200, 400, 404, 409, 413, 429, 500},
	"POST /api/v1/push":   {200, 400, 401, 409, 413, 429, 500},
	"GET /api/v1/pull":    {200, 400, 401, 410, 429, 500},
}

// schemaTypes are the Go types each schema of the document describes: their JSON properties
// must be the same.
var schemaTypes = map[string]any{
	"Error":             errorBody{},
	"Health":            health{},
	"EnrollRequest":     enrollRequest{},
	"EnrollResponse":    EnrollResponse{},
	"PushRequest":       pushRequest{},
	"Mutation":          domain.Mutation{},
	"PushResult":        domain.PushResult{},
	"MutationRejection": domain.MutationRejection{},
	"PullResult":        domain.PullResult{},
	"SyncRecord":        domain.SyncRecord{},
	"FieldValue":        domain.FieldValue{},
	"AnswerConflict":    domain.AnswerConflict{},
}

// TestOpenAPI holds docs/openapi.yaml and the server together: its paths and methods are the
// server's routes, authentication where the routes ask for a token, every status a route
// answers, the error codes of the status table, and schemas whose properties are the JSON
// fields of the Go types the handlers read and write.
func TestOpenAPI(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(openAPIFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s is not YAML: %v", openAPIFile, err)
	}
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.1.") {
		t.Errorf("openapi %q, want 3.1.x", v)
	}
	checkRefs(t, doc, doc, "#")

	srv := New(nil, Options{})
	routes := srv.apiRoutes()
	paths := mapAt(t, doc, "paths")
	var want []string
	for _, rt := range routes {
		want = append(want, rt.path)
	}
	if got := slices.Sorted(maps.Keys(paths)); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		t.Errorf("paths %v, want the server's routes %v", got, want)
	}
	globalSecurity := doc["security"]
	for _, rt := range routes {
		name := rt.method + " " + rt.path
		t.Run(name, func(t *testing.T) {
			item := mapAt(t, paths, rt.path)
			var methods []string
			for k := range item {
				if slices.Contains([]string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}, k) {
					methods = append(methods, k)
				}
			}
			if len(methods) != 1 || methods[0] != strings.ToLower(rt.method) {
				t.Fatalf("methods %v, want only %s", methods, strings.ToLower(rt.method))
			}
			op := mapAt(t, item, strings.ToLower(rt.method))

			// The query parameters the handler reads, no more.
			var params []string
			declared, _ := op["parameters"].([]any)
			for _, p := range declared {
				if pm, ok := resolve(t, doc, p)["name"].(string); ok {
					params = append(params, pm)
				}
			}
			var wantParams []string
			if rt.path == "/api/v1/pull" {
				wantParams = pullParams
			}
			if !slices.Equal(slices.Sorted(slices.Values(params)), slices.Sorted(slices.Values(wantParams))) {
				t.Errorf("query parameters %v, want %v", params, wantParams)
			}

			// A token where the route authenticates, none elsewhere.
			sec, has := op["security"]
			if !has {
				sec = globalSecurity
			}
			list, _ := sec.([]any)
			if needs := len(list) > 0; needs != rt.auth {
				t.Errorf("security %v, but the route needs a token: %v", sec, rt.auth)
			}

			responses := mapAt(t, op, "responses")
			var got []int
			for code, r := range responses {
				n, err := strconv.Atoi(code)
				if err != nil {
					t.Errorf("response %q is not a status", code)
					continue
				}
				got = append(got, n)
				resp := resolve(t, doc, r)
				headers, _ := resp["headers"].(map[string]any)
				switch n {
				case http.StatusUnauthorized:
					if _, ok := headers["WWW-Authenticate"]; !ok {
						t.Errorf("401 without WWW-Authenticate")
					}
				case http.StatusTooManyRequests:
					if _, ok := headers["Retry-After"]; !ok {
						t.Errorf("429 without Retry-After")
					}
				}
				if _, ok := headers["X-Request-Id"]; !ok {
					t.Errorf("%d without X-Request-Id", n)
				}
				schema := jsonSchemaOf(t, doc, resp)
				if n != http.StatusOK && schema != "Error" {
					t.Errorf("%d answers %q, want the Error schema", n, schema)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, routeStatuses[name]) {
				t.Errorf("statuses %v, want %v", got, routeStatuses[name])
			}
		})
	}

	t.Run("error codes", func(t *testing.T) {
		schemas := mapAt(t, mapAt(t, doc, "components"), "schemas")
		code := mapAt(t, mapAt(t, mapAt(t, schemas, "Error"), "properties"), "code")
		enum, _ := code["enum"].([]any)
		var got []string
		for _, e := range enum {
			got = append(got, e.(string))
		}
		want := slices.Sorted(maps.Keys(httpStatus))
		if slices.Sort(got); !slices.Equal(got, want) {
			t.Errorf("error codes %v, want the status table's %v", got, want)
		}
		desc, _ := code["description"].(string)
		for c, st := range httpStatus {
			if !strings.Contains(desc, "`"+c+"` "+strconv.Itoa(st)) {
				t.Errorf("the codes' description does not say %s is %d", c, st)
			}
		}
	})

	t.Run("schemas are the Go types", func(t *testing.T) {
		schemas := mapAt(t, mapAt(t, doc, "components"), "schemas")
		for name, v := range schemaTypes {
			props := mapAt(t, mapAt(t, schemas, name), "properties")
			got := slices.Sorted(maps.Keys(props))
			want := jsonFields(reflect.TypeOf(v))
			if !slices.Equal(got, want) {
				t.Errorf("schema %s has properties %v, the Go type %T has %v", name, got, v, want)
			}
		}
		for name := range schemas {
			if _, ok := schemaTypes[name]; !ok {
				t.Errorf("schema %s is not checked against a Go type", name)
			}
		}
	})
}

// jsonFields returns the JSON names of a struct's fields, embedded structs flattened.
func jsonFields(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case name == "-" || !f.IsExported():
			continue
		case f.Anonymous && name == "":
			out = append(out, jsonFields(f.Type)...)
			continue
		case name == "":
			name = f.Name
		}
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// mapAt returns m[key] as a map, failing the test when it is not one.
func mapAt(t *testing.T, m map[string]any, key string) map[string]any {
	t.Helper()
	v, ok := m[key].(map[string]any)
	if !ok {
		t.Fatalf("%q is not a mapping", key)
	}
	return v
}

// resolve follows a $ref to its target (one level: the document uses no chains).
func resolve(t *testing.T, doc map[string]any, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%v is not a mapping", v)
	}
	if ref, ok := m["$ref"].(string); ok {
		return lookup(t, doc, ref)
	}
	return m
}

func lookup(t *testing.T, doc map[string]any, ref string) map[string]any {
	t.Helper()
	cur := doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		next, ok := cur[part].(map[string]any)
		if !ok {
			t.Fatalf("$ref %s does not resolve", ref)
		}
		cur = next
	}
	return cur
}

// checkRefs fails the test for every $ref of the document that does not resolve.
func checkRefs(t *testing.T, doc map[string]any, v any, where string) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if k == "$ref" {
				ref, _ := child.(string)
				if !strings.HasPrefix(ref, "#/") {
					t.Errorf("%s: $ref %q is not local", where, ref)
					continue
				}
				lookup(t, doc, ref)
				continue
			}
			checkRefs(t, doc, child, where+"/"+k)
		}
	case []any:
		for i, child := range x {
			checkRefs(t, doc, child, where+"/"+strconv.Itoa(i))
		}
	}
}

// jsonSchemaOf returns the name of the component schema a response's JSON content refers to.
func jsonSchemaOf(t *testing.T, doc map[string]any, resp map[string]any) string {
	t.Helper()
	content, _ := resp["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	schema, _ := media["schema"].(map[string]any)
	ref, _ := schema["$ref"].(string)
	name, ok := strings.CutPrefix(ref, "#/components/schemas/")
	if !ok {
		t.Errorf("response without an application/json schema reference: %v", resp)
	}
	return name
}

// TestOpenAPI_StatusesReachable answers every status the document lists for a route (500
// apart: TestInternalError) with a request to a real server, so that the document lists no
// status the server never answers. A status added to routeStatuses needs its case here.
func TestOpenAPI_StatusesReachable(t *testing.T) {
	t.Parallel()
	// One byte over the limit is refused; the limits are small so that the bodies stay small.
	e := newEnv(t, func(o *Options) { o.MaxBody, o.MaxMutations = 4096, 3 })
	site := e.addSite("EDAS")
	d := e.enrol(site.ID, "Accueil")
	used, _, err := e.srv.NewEnrolment(context.Background(), site.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.enrol(site.ID, "Accueil 2") // uses a code of its own
	if st, b := e.call(http.MethodPost, "/api/v1/enroll", "", map[string]string{"code": used, "device_name": "A"}, nil); st != http.StatusOK {
		t.Fatalf("enrol: %d %s", st, b)
	}
	limited := newEnv(t, func(o *Options) {
		o.DeviceRate, o.DeviceBurst = rate.Every(time.Hour), 1
		o.EnrolRate, o.EnrolBurst = rate.Every(time.Hour), 1
	})
	ld := limited.enrol(limited.addSite("EDAS").ID, "Accueil")       // the address's one enrolment
	limited.call(http.MethodGet, "/api/v1/pull", ld.token, nil, nil) // the device's one request
	v, _ := e.store.Version(context.Background())
	big := `{"code":"` + strings.Repeat("A", 5000) + `","device_name":"A"}`
	enrolBody := func(code string) map[string]string { return map[string]string{"code": code, "device_name": "B"} }

	type req struct {
		env          *testEnv
		method, path string
		token        string
		body         any
	}
	cases := map[string]map[int]req{
		"GET /healthz": {200: {e, "GET", "/healthz", "", nil}},
		"POST /api/v1/enroll": {
			200: {e, "POST", "/api/v1/enroll", "", enrolBody(mustCode(t, e, site.ID))},
			400: {e, "POST", "/api/v1/enroll", "", enrolBody("pas un code")},
			404: {e, "POST", "/api/v1/enroll", "", enrolBody("2222-2222-2222-2222")},
			409: {e, "POST", "/api/v1/enroll", "", enrolBody(used)},
			413: {e, "POST", "/api/v1/enroll", "", big},
			429: {limited, "POST", "/api/v1/enroll", "", enrolBody("2222-2222-2222-2222")},
		},
		"POST /api/v1/push": {
			200: {e, "POST", "/api/v1/push", d.token, map[string]any{"mutations": []any{}}},
			400: {e, "POST", "/api/v1/push", d.token, `{"mutations": 3}`},
			401: {e, "POST", "/api/v1/push", "", map[string]any{"mutations": []any{}}},
			409: {e, "POST", "/api/v1/push", d.token, map[string]any{"mutations": []domain.Mutation{{ID: 7, Kind: "usager", UUID: newUUID(), Op: "delete", HLC: d.stamp()}}}},
			413: {e, "POST", "/api/v1/push", d.token, `{"mutations": [{"id":1},{"id":2},{"id":3},{"id":4}]}`},
			429: {limited, "POST", "/api/v1/push", ld.token, map[string]any{"mutations": []any{}}},
		},
		"GET /api/v1/pull": {
			200: {e, "GET", "/api/v1/pull?cursor=0", d.token, nil},
			400: {e, "GET", "/api/v1/pull?cursor=-1", d.token, nil},
			401: {e, "GET", "/api/v1/pull", "", nil},
			410: {e, "GET", "/api/v1/pull?cursor=" + strconv.FormatInt(v+1000, 10), d.token, nil},
			429: {limited, "GET", "/api/v1/pull", ld.token, nil},
		},
	}
	for route, statuses := range routeStatuses {
		for _, st := range statuses {
			if st == http.StatusInternalServerError {
				continue
			}
			t.Run(route+" "+strconv.Itoa(st), func(t *testing.T) {
				c, ok := cases[route][st]
				if !ok {
					t.Fatalf("no request answers %d on %s: add one", st, route)
				}
				if got := c.method + " " + strings.SplitN(c.path, "?", 2)[0]; got != route {
					t.Fatalf("the case asks %s", got)
				}
				got, b := c.env.call(c.method, c.path, c.token, c.body, nil)
				if got != st {
					t.Fatalf("status %d, want %d: %s", got, st, b)
				}
				if st != http.StatusOK {
					errorOf(t, b)
				}
			})
		}
	}
}

func mustCode(t *testing.T, e *testEnv, siteID string) string {
	t.Helper()
	code, _, err := e.srv.NewEnrolment(context.Background(), siteID)
	if err != nil {
		t.Fatal(err)
	}
	return code
}
