// Package interviews is the use cases of the usager file and the interview grid: files with the
// person's consent, interviews saved answer by answer, needs and suggestions from the directory,
// distance travelled, and the retention rule. The desktop app and the command-line tool drive it.
package interviews

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/grid"
)

// Searcher is what the usager file needs of the directory (directory.Directory has it).
type Searcher interface {
	// SearchResolved runs a query whose communes are INSEE codes.
	SearchResolved(q domain.SearchQuery) domain.SearchResult
	// HitOf returns the result line of one live service.
	HitOf(serviceUUID string) (domain.Hit, bool)
}

// Service serves the usager files and interviews.
type Service struct {
	store domain.InterviewStore
	dir   Searcher
	now   func() time.Time
	log   *slog.Logger
}

// Options configure a Service.
type Options struct {
	Now    func() time.Time // nil → time.Now
	Logger *slog.Logger     // nil → slog.Default()
}

// New returns the service over a store and the directory's search.
func New(store domain.InterviewStore, dir Searcher, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	return &Service{store: store, dir: dir, now: opt.Now, log: opt.Logger}
}

// Start prepares the service at application start: the embedded default grid is stored (a no-op
// when it already is) and files past the retention period are anonymised. It returns how many
// files were anonymised.
func (s *Service) Start(ctx context.Context) (int, error) {
	if _, err := s.store.SaveGrid(ctx, grid.Default(), true); err != nil {
		return 0, fmt.Errorf("store default grid: %w", err)
	}
	limit := s.now().AddDate(-domain.RetentionYears, 0, 0)
	n, err := s.store.AnonymiseBefore(ctx, limit)
	if err != nil {
		return 0, fmt.Errorf("retention: %w", err)
	}
	if n > 0 {
		s.log.Info("files anonymised after the retention period", "count", n, "last_contact_before", limit.Format(time.DateOnly))
	}
	return n, nil
}

// ValidateGrid checks a grid file without storing it. EINVALID lists every problem in French.
func ValidateGrid(b []byte) (domain.Grid, error) { return grid.Parse(b) }

// ImportGrid checks and stores a grid file. It reports whether the version is new (false: the
// same version was already stored, identical). EINVALID for a bad file, ECONFLICT for a
// version already stored with another content.
func (s *Service) ImportGrid(ctx context.Context, b []byte) (domain.Grid, bool, error) {
	g, err := grid.Parse(b)
	if err != nil {
		return g, false, err
	}
	added, err := s.store.SaveGrid(ctx, g, false)
	if err != nil {
		return g, false, err
	}
	if added {
		s.log.Info("grid imported", "id", g.ID, "version", g.Version)
	}
	return g, added, nil
}

// Grids lists the stored grid versions.
func (s *Service) Grids(ctx context.Context) ([]domain.GridInfo, error) { return s.store.Grids(ctx) }
