package syncserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

// httpStatus maps every domain error code to its HTTP status: the one table of
// docs/sync-protocol.md. A code missing here answers 500.
var httpStatus = map[string]int{
	domain.EINVALID:      http.StatusBadRequest,
	domain.EUNAUTHORIZED: http.StatusUnauthorized,
	domain.EREVOKED:      http.StatusUnauthorized,
	domain.EFORBIDDEN:    http.StatusForbidden,
	domain.ENOTFOUND:     http.StatusNotFound,
	domain.EGAP:          http.StatusConflict,
	domain.ECONFLICT:     http.StatusConflict,
	domain.ERESYNC:       http.StatusGone,
	domain.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	domain.ERATELIMITED:  http.StatusTooManyRequests,
	domain.EINTERNAL:     http.StatusInternalServerError,
}

// StatusOf returns the HTTP status of a domain error code (500 for a code it does not know).
func StatusOf(code string) int {
	if st, ok := httpStatus[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// route is one entry of the API. Its handler returns an error to answer with, or nil once it
// has written its answer.
type route struct {
	method, path string
	auth         bool // needs a device token
	handle       func(w http.ResponseWriter, r *http.Request, dev domain.Device) error
}

// apiRoutes is the API the desks see, as docs/openapi.yaml describes it (a test holds the two
// in step).
func (s *Server) apiRoutes() []route {
	return []route{
		{http.MethodGet, "/healthz", false, s.handleHealth},
		{http.MethodPost, "/api/v1/enroll", false, s.handleEnroll},
		{http.MethodPost, "/api/v1/push", true, s.handlePush},
		{http.MethodGet, "/api/v1/pull", true, s.handlePull},
	}
}

// routes builds the handler: one exact path per route, the method checked here so that a wrong
// one answers in JSON too, and a JSON 404 for everything else. Every request goes through the
// log and panic guard first.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.apiRoutes() {
		mux.HandleFunc(rt.path, func(w http.ResponseWriter, r *http.Request) {
			ri := infoOf(r.Context())
			ri.route = rt.method + " " + rt.path
			if err := s.serve(w, r, rt); err != nil {
				s.fail(w, r, err)
			}
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, domain.Errorf(domain.ENOTFOUND, "Adresse inconnue du serveur de synchronisation."))
	})
	return s.logged(mux)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, rt route) error {
	if r.Method != rt.method {
		w.Header().Set("Allow", rt.method)
		return &statusError{status: http.StatusMethodNotAllowed,
			err: domain.Errorf(domain.EINVALID, "Méthode %s non permise ici : %s attendu.", r.Method, rt.method)}
	}
	var dev domain.Device
	if rt.auth {
		var err error
		if dev, err = s.authenticate(r); err != nil {
			return err
		}
		if err := s.limit(w, s.devices, dev.ID); err != nil {
			return err
		}
	}
	return rt.handle(w, r, dev)
}

// statusError answers a domain error with a status other than its code's (405).
type statusError struct {
	status int
	err    *domain.Error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

// gapError is the refusal of a push whose first new mutation is not the next one: the answer
// says which id the desk must resend from.
type gapError struct{ expected int64 }

func (e *gapError) Error() string { return fmt.Sprintf("gap: expected mutation %d", e.expected) }
func (e *gapError) Unwrap() error {
	return domain.Errorf(domain.EGAP, "Des modifications de ce poste manquent : le serveur attend la n° %d.", e.expected)
}

// errorBody is the answer to every failed request.
type errorBody struct {
	Code     string `json:"code"`
	Message  string `json:"message"`
	Expected *int64 `json:"expected,omitempty"` // gap: the mutation id to resend from
}

// fail answers an error: its code's status and French message. The details of an internal
// error go to the log (with the request id), never to the desk.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := domain.ErrorCode(err)
	body := errorBody{Code: code, Message: domain.ErrorMessage(err)}
	status := StatusOf(code)
	var se *statusError
	if errors.As(err, &se) {
		status = se.status
	}
	var ge *gapError
	if errors.As(err, &ge) {
		body.Expected = &ge.expected
	}
	if code == domain.EINTERNAL {
		ri := infoOf(r.Context())
		s.log.Error("request failed", "request_id", ri.id, "route", ri.route, "device", ri.device, "err", err)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="passerelle"`)
	}
	writeJSON(w, status, body)
}

// writeJSON answers v as JSON with a status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // our own types always marshal; say so rather than send half a body
		status = http.StatusInternalServerError
		b = []byte(`{"code":"internal","message":"Une erreur interne est survenue."}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// decodeJSON reads a request body of at most max bytes holding exactly one JSON object into v,
// strictly: an unknown field, a value of the wrong type or anything after the object is
// EINVALID, a body over the limit ETOOLARGE.
func decodeJSON(body io.Reader, max int64, v any) error {
	lr := &limitedReader{r: body, n: max}
	dec := json.NewDecoder(lr)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errTrailing
			if terr != nil {
				err = terr
			}
		}
	}
	if err == nil {
		return nil
	}
	if lr.over {
		return domain.Errorf(domain.ETOOLARGE, "La requête dépasse la taille permise (%s).", formatBytes(max))
	}
	var (
		syn *json.SyntaxError
		ute *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, io.EOF):
		return domain.Errorf(domain.EINVALID, "Le corps de la requête est vide : un objet JSON est attendu.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return domain.Errorf(domain.EINVALID, "Le corps de la requête est un JSON tronqué.")
	case errors.As(err, &syn):
		return domain.Errorf(domain.EINVALID, "Le corps de la requête n’est pas un JSON valide (octet %d).", syn.Offset)
	case errors.As(err, &ute):
		where := ute.Field
		if where == "" {
			return domain.Errorf(domain.EINVALID, "Le corps de la requête doit être un objet JSON.")
		}
		return domain.Errorf(domain.EINVALID, "Le champ « %s » n’a pas le bon type (%s attendu).", where, frenchType(ute.Type.Kind().String()))
	case errors.Is(err, errTrailing):
		return domain.Errorf(domain.EINVALID, "Le corps de la requête contient des données après l’objet JSON.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return domain.Errorf(domain.EINVALID, "Champ inconnu %s dans la requête.", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return domain.Errorf(domain.EINVALID, "Le corps de la requête est illisible.")
}

var errTrailing = errors.New("data after the JSON object")

func frenchType(kind string) string {
	switch kind {
	case "string":
		return "une chaîne"
	case "int64", "int", "float64":
		return "un nombre"
	case "slice":
		return "un tableau"
	case "map", "struct":
		return "un objet"
	case "bool":
		return "un booléen"
	}
	return kind
}

// limitedReader reads at most n bytes and remembers whether the body went beyond.
type limitedReader struct {
	r    io.Reader
	n    int64
	over bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		// One byte more tells a body of exactly the limit from a longer one.
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			l.over = true
			return 0, errTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

var errTooLarge = errors.New("request body too large")

func formatBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " Mio"
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return strconv.FormatInt(n>>10, 10) + " Kio"
	}
	return strconv.FormatInt(n, 10) + " octets"
}

// statusWriter remembers the status a handler answered, for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// logged writes one log line per request — request id, route, device, status, duration; never
// the URL's query, a header, a token or a body — and turns a panic into a 500.
func (s *Server) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ri := &requestInfo{id: newRequestID(), route: "inconnue"}
		r = r.WithContext(contextWith(r.Context(), ri))
		sw := &statusWriter{ResponseWriter: w}
		sw.Header().Set("X-Request-Id", ri.id)
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic", "request_id", ri.id, "route", ri.route, "panic", fmt.Sprint(p))
				if sw.status == 0 {
					s.fail(sw, r, fmt.Errorf("panic: %v", p))
				}
			}
			level := slogLevel(sw.status)
			s.log.Log(r.Context(), level, "request", "request_id", ri.id, "route", ri.route,
				"device", ri.device, "status", sw.status, "duration", time.Since(start))
		}()
		next.ServeHTTP(sw, r)
	})
}
