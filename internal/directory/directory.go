// Package directory is the directory's use cases: search, detail, import and export, proposals
// and notes. It keeps the durable store (a domain.DirectoryStore) and the in-memory search index
// in step, and resolves what a worker types (a commune name, a postcode, a weekday) into the
// codes the index knows. The desktop app and the command-line tool both drive it.
package directory

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/search"
	"github.com/edas92/passerelle/internal/textfold"
	"github.com/edas92/passerelle/internal/vocab"
)

// Store is what the directory needs of storage: the directory records and a few desk facts.
type Store interface {
	domain.DirectoryStore
	// GetMeta returns a desk fact, "" when unset.
	GetMeta(ctx context.Context, key string) (string, error)
	// SetMeta records a desk fact.
	SetMeta(ctx context.Context, key, value string) error
}

// Directory serves the directory over a store and a search index.
type Directory struct {
	store  Store
	index  *search.Index
	now    func() time.Time
	log    *slog.Logger
	writes sync.Mutex // one write use case at a time, so the index follows the store in order
}

// Options configure a Directory.
type Options struct {
	Now    func() time.Time // nil → time.Now
	Logger *slog.Logger     // nil → slog.Default()
}

// New returns a directory over store. Call Load before searching.
func New(store Store, opt Options) *Directory {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	return &Directory{
		store: store,
		index: search.New(search.Options{Now: opt.Now}),
		now:   opt.Now,
		log:   opt.Logger,
	}
}

// Load builds the search index from the store.
func (d *Directory) Load(ctx context.Context) error {
	d.writes.Lock()
	defer d.writes.Unlock()
	return d.load(ctx)
}

// load builds the index from the store; the caller holds d.writes.
func (d *Directory) load(ctx context.Context) error {
	start := time.Now()
	sts, svs, err := d.store.LoadDirectory(ctx)
	if err != nil {
		return fmt.Errorf("load directory: %w", err)
	}
	d.index.Replace(sts, svs)
	d.log.Info("directory loaded", "structures", len(sts), "services", len(svs), "took", time.Since(start))
	return nil
}

// Size returns the number of live services.
func (d *Directory) Size() int { return d.index.Len() }

// Search runs a query. The commune fields (Commune, Near, EligibleFor) may hold what the worker
// typed — a name in any case or accents, an INSEE code, a postcode — and are resolved here.
// Returns EINVALID (French message) for a commune that cannot be resolved or an out-of-range
// value.
func (d *Directory) Search(ctx context.Context, q domain.SearchQuery) (domain.SearchResult, error) {
	var err error
	for _, f := range []*string{&q.Commune, &q.Near, &q.EligibleFor} {
		if *f == "" {
			continue
		}
		c, rerr := geo.Resolve(*f)
		if rerr != nil {
			return domain.SearchResult{}, rerr
		}
		*f = c.CodeInsee
	}
	switch {
	case q.OpenOn < 0 || q.OpenOn > 7:
		err = domain.Errorf(domain.EINVALID, "Jour inconnu (%d) : choisissez un jour de lundi à dimanche.", q.OpenOn)
	case q.Km < 0 || q.Km > 100:
		err = domain.Errorf(domain.EINVALID, "La distance doit être comprise entre 0 et 100 km.")
	case q.Km > 0 && q.Near == "":
		err = domain.Errorf(domain.EINVALID, "Une distance n’a de sens qu’autour d’une commune : indiquez-la.")
	case q.Mode != "" && q.Mode != "en-presentiel" && q.Mode != "a-distance":
		err = domain.Errorf(domain.EINVALID, "Mode d’accueil inconnu « %s » : en-presentiel ou a-distance.", q.Mode)
	case q.Limit < 0 || q.Offset < 0:
		err = domain.Errorf(domain.EINVALID, "La pagination demandée est invalide.")
	}
	if err != nil {
		return domain.SearchResult{}, err
	}
	for _, t := range q.Themes {
		if !vocab.ThemeCategories.Has(t) && !vocab.Thematiques.Has(t) {
			return domain.SearchResult{}, domain.Errorf(domain.EINVALID, "Thématique inconnue « %s ».", t)
		}
	}
	for _, c := range q.Categories {
		if _, ok := vocab.CategoryByCode(c); !ok {
			return domain.SearchResult{}, domain.Errorf(domain.EINVALID, "Catégorie inconnue « %s ».", c)
		}
	}
	for _, p := range q.Publics {
		if !vocab.Publics.Has(p) {
			return domain.SearchResult{}, domain.Errorf(domain.EINVALID, "Public inconnu « %s ».", p)
		}
	}
	return d.index.Search(q), nil
}

var weekdays = map[string]int{
	"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
	"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7,
	"lundi": 1, "mardi": 2, "mercredi": 3, "jeudi": 4, "vendredi": 5, "samedi": 6, "dimanche": 7,
	"lun": 1, "mar": 2, "mer": 3, "jeu": 4, "ven": 5, "sam": 6, "dim": 7,
	"mo": 1, "tu": 2, "we": 3, "th": 4, "fr": 5, "sa": 6, "su": 7,
}

// ParseWeekday reads a weekday in English or French, full or abbreviated, in any case
// ("saturday", "Samedi", "sam", "Sa") or as an ISO number 1 (Monday)…7 (Sunday). EINVALID otherwise.
func ParseWeekday(s string) (int, error) {
	k := textfold.Key(s)
	if d, ok := weekdays[k]; ok {
		return d, nil
	}
	if len(k) == 1 && k[0] >= '1' && k[0] <= '7' {
		return int(k[0] - '0'), nil
	}
	return 0, domain.Errorf(domain.EINVALID, "Jour inconnu « %s » : indiquez un jour de la semaine (lundi…dimanche, ou monday…sunday).", s)
}

// SearchResolved runs a query whose communes are already INSEE codes and whose codes are known
// (suggestions build such queries); it does not check them.
func (d *Directory) SearchResolved(q domain.SearchQuery) domain.SearchResult {
	return d.index.Search(q)
}

// HitOf returns the result line of one live service; false when it is not in the directory.
func (d *Directory) HitOf(serviceUUID string) (domain.Hit, bool) { return d.index.Hit(serviceUUID) }
