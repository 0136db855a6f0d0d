package servertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// benchFixture gives an empty store a site, another site and a device of the first.
func benchFixture(b *testing.B, st domain.ServerStore) (site, other string, dev domain.Device) {
	b.Helper()
	a, o := mustSite(b, st, "EDAS A"), mustSite(b, st, "EDAS B")
	return a.ID, o.ID, mustEnrol(b, st, a.ID, "poste", t0)
}

// smallRecord is a usager file as a desk pushes it: a few short fields.
func smallRecord(site string, n int) domain.SyncRecord {
	h := hlc(n, "0190aaaa-bbbb-7ccc-8ddd-eeeeffff0000")
	return record("usager", fmt.Sprintf("0190aaaa-0000-7000-8000-%012d", n), site, h,
		"display_name", `"M. D."`, "commune", `"92040"`, "birth_year", `1971`, "note", `"Suivi RSA, orientation vers l’épicerie solidaire."`)
}

// BenchPush100 measures a push as the server applies it: one transaction reading the device,
// then reading and writing 100 small records (new ones: the common case of a desk back online)
// and the device's last mutation id. st must be empty.
func BenchPush100(b *testing.B, st domain.ServerStore) {
	ctx := context.Background()
	site, _, dev := benchFixture(b, st)
	const batch = 100
	n := 0
	for b.Loop() {
		err := st.InTx(ctx, func(tx domain.ServerTx) error {
			if _, err := tx.Device(ctx, dev.ID); err != nil {
				return err
			}
			for range batch {
				n++
				rec := smallRecord(site, n)
				if _, _, err := tx.Record(ctx, rec.Kind, rec.UUID); err != nil {
					return err
				}
				if _, err := tx.PutRecord(ctx, rec); err != nil {
					return err
				}
			}
			return tx.SetLastMutation(ctx, dev.ID, int64(n))
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}

// BenchPull500 measures pulls of 500-record pages of one site's scope, from a store holding
// 10,000 records of that site, 10,000 of another and 2,000 global ones, interleaved. st must be
// empty.
func BenchPull500(b *testing.B, st domain.ServerStore) {
	ctx := context.Background()
	site, other, _ := benchFixture(b, st)
	const perSite, global, page = 10_000, 2_000, 500
	n := 0
	for i := 0; i < perSite; i += page {
		err := st.InTx(ctx, func(tx domain.ServerTx) error {
			for j := range page {
				for _, s := range []string{site, other} {
					n++
					if _, err := tx.PutRecord(ctx, smallRecord(s, n)); err != nil {
						return err
					}
				}
				if (i+j)%(perSite/global) == 0 {
					n++
					rec := record("service", fmt.Sprintf("svc-%d", n), "", hlc(n, "srv"), "data",
						`{"nom":"Épicerie solidaire","thematiques":["equipement-et-alimentation--alimentation"],"commune":"Vanves"}`)
					if _, err := tx.PutRecord(ctx, rec); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}

	var cursor int64
	pulled := 0
	for b.Loop() {
		res, err := st.Pull(ctx, site, cursor, 0, page)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Changes) != page && res.More {
			b.Fatalf("a page of %d changes with more to come, want %d", len(res.Changes), page)
		}
		pulled += len(res.Changes)
		cursor = res.Cursor
		if !res.More {
			cursor = 0
		}
	}
	b.ReportMetric(float64(pulled)/b.Elapsed().Seconds(), "records/s")
}
