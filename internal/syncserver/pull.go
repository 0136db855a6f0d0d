package syncserver

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"github.com/edas92/passerelle/internal/domain"
)

// pullParams are the query parameters of a pull (docs/openapi.yaml; a test holds the two in
// step).
var pullParams = []string{"cursor", "since", "limit"}

// pageFrame is the longest a page's JSON is beside its changes: the buffer is sized once.
const pageFrame = `{"changes":[],"cursor":-9223372036854775808,"more":false,"since":-9223372036854775808}` + "\n"

// pageBuffers keeps the buffers pull answers are assembled in: a wave of desks pulling would
// otherwise allocate, and collect, a page-sized buffer per request.
var pageBuffers = sync.Pool{New: func() any { return new([]byte) }}

func (s *Server) handlePull(w http.ResponseWriter, r *http.Request, dev domain.Device) error {
	s.touch(r.Context(), dev.ID)
	q := r.URL.Query()
	for k := range q {
		if !slices.Contains(pullParams, k) {
			return domain.Errorf(domain.EINVALID, "Paramètre inconnu « %s » : seuls cursor, since et limit sont permis.", k)
		}
	}
	cursor, err := queryInt(q, "cursor", 0, 0, -1)
	if err != nil {
		return err
	}
	limit, err := queryInt(q, "limit", int64(s.opt.PullLimit), 1, MaxPullLimit)
	if err != nil {
		return err
	}
	since, err := queryInt(q, "since", 0, 0, -1)
	if err != nil {
		return err
	}
	page, err := s.store.PullEncoded(r.Context(), dev.SiteID, cursor, since, int(limit))
	if err := pullError(err); err != nil {
		return err
	}
	// The page as a domain.PullResult encodes, assembled from the records the store encoded: a
	// pull is the server's most frequent and largest answer, and decoding the stored fields only
	// to encode them again was most of its cost.
	size := len(pageFrame)
	for _, c := range page.Changes {
		size += len(c) + 1
	}
	bp := pageBuffers.Get().(*[]byte)
	defer pageBuffers.Put(bp)
	b := slices.Grow((*bp)[:0], size)
	defer func() { *bp = b[:0] }()
	b = append(b, `{"changes":[`...)
	for i, c := range page.Changes {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, c...)
	}
	b = append(b, `],"cursor":`...)
	b = strconv.AppendInt(b, page.Cursor, 10)
	b = append(b, `,"more":`...)
	b = strconv.AppendBool(b, page.More)
	if page.Since > 0 {
		b = append(b, `,"since":`...)
		b = strconv.AppendInt(b, page.Since, 10)
	}
	b = append(b, '}', '\n')
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return nil
}

// pullError keeps the store's French message for the errors a desk must act on.
func pullError(err error) error {
	switch domain.ErrorCode(err) {
	case "":
		if err == nil {
			return nil
		}
	case domain.ERESYNC, domain.EINVALID: // the store's French message says which
		return err
	}
	return fmt.Errorf("pull: %w", err)
}

// queryInt reads one integer parameter between min and max (max < 0: no maximum), def when
// absent. EINVALID when it is repeated, not a number or out of range.
func queryInt(q map[string][]string, name string, def, min, max int64) (int64, error) {
	vs := q[name]
	if len(vs) == 0 {
		return def, nil
	}
	n, err := strconv.ParseInt(vs[0], 10, 64)
	if len(vs) > 1 || err != nil || n < min || (max >= 0 && n > max) {
		if max >= 0 {
			return 0, domain.Errorf(domain.EINVALID, "Le paramètre %s doit être un nombre entier de %d à %d.", name, min, max)
		}
		return 0, domain.Errorf(domain.EINVALID, "Le paramètre %s doit être un nombre entier positif ou nul.", name)
	}
	return n, nil
}

// health is the answer of GET /healthz.
type health struct {
	Status string `json:"status"`
}

// handleHealth answers 200 when the store answers: what a load balancer or a supervisor needs.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request, _ domain.Device) error {
	if _, err := s.store.Version(r.Context()); err != nil {
		return fmt.Errorf("health: %w", err)
	}
	writeJSON(w, http.StatusOK, health{Status: "ok"})
	return nil
}
