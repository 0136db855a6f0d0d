package directory

import (
	"context"
	"fmt"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/demo"
	"github.com/edas92/passerelle/internal/domain"
)

// metaDemoOffered records that the demo directory was offered once, so that a worker who
// removed it does not see it come back at the next start.
const metaDemoOffered = "demo_offered"

// LoadDemo imports the embedded demo directory (fictitious initiatives, OriginDemo).
func (d *Directory) LoadDemo(ctx context.Context, progress domain.ProgressFunc) (domain.ImportReport, error) {
	sts, svs := demo.Files()
	rep, err := d.Import(ctx, []Source{
		BytesSource("demo/structures.json", sts),
		BytesSource("demo/services.json", svs),
	}, datainclusion.FormatDIJSON, domain.OriginDemo, progress)
	if err != nil {
		return rep, err
	}
	if len(rep.Rejected) > 0 { // the embedded data is tested; this would be a bug
		return rep, fmt.Errorf("load demo: %d records rejected, first: %s", len(rep.Rejected), rep.Rejected[0].Reason)
	}
	return rep, d.store.SetMeta(ctx, metaDemoOffered, "1")
}

// EnsureDemo loads the demo directory on the first launch of a desk whose directory is empty,
// and reports whether it did.
func (d *Directory) EnsureDemo(ctx context.Context) (bool, error) {
	offered, err := d.store.GetMeta(ctx, metaDemoOffered)
	if err != nil {
		return false, fmt.Errorf("ensure demo: %w", err)
	}
	n, err := d.store.CountServices(ctx)
	if err != nil {
		return false, fmt.Errorf("ensure demo: %w", err)
	}
	if offered != "" || n > 0 {
		return false, nil
	}
	if _, err := d.LoadDemo(ctx, nil); err != nil {
		return false, err
	}
	return true, nil
}

// RemoveDemo deletes (softly) every demo record and returns how many services went.
func (d *Directory) RemoveDemo(ctx context.Context) (int, error) {
	d.writes.Lock()
	defer d.writes.Unlock()
	n, err := d.store.DeleteOrigin(ctx, domain.OriginDemo)
	if err != nil {
		return 0, fmt.Errorf("remove demo: %w", err)
	}
	if n > 0 {
		if err := d.load(ctx); err != nil {
			return n, err
		}
	}
	return n, nil
}

// DemoServices returns how many demo services the directory holds.
func (d *Directory) DemoServices(ctx context.Context) (int, error) {
	return d.store.CountServicesOfOrigin(ctx, domain.OriginDemo)
}
