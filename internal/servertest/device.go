package servertest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/google/uuid"
)

func testSites(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	st := open(t)
	ctx := context.Background()

	if sites, err := st.Sites(ctx); err != nil || len(sites) != 0 {
		t.Fatalf("Sites on an empty store = %v, %v; want none", sites, err)
	}
	before := time.Now().UTC().Truncate(time.Millisecond)
	nanterre := mustSite(t, st, "EDAS Nanterre")
	issy := mustSite(t, st, "EDAS Issy-les-Moulineaux–Vanves")
	after := time.Now().UTC()

	for _, s := range []domain.Site{nanterre, issy} {
		if s.ID == "" {
			t.Errorf("site %q has no id", s.Name)
		}
		if s.CreatedAt.Location() != time.UTC || s.CreatedAt.Before(before) || s.CreatedAt.After(after) {
			t.Errorf("site %q created at %v, want a UTC time within [%v, %v]", s.Name, s.CreatedAt, before, after)
		}
	}
	if nanterre.ID == issy.ID {
		t.Errorf("two sites share the id %s", issy.ID)
	}
	sites, err := st.Sites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// By name.
	if want := []domain.Site{issy, nanterre}; !reflect.DeepEqual(sites, want) {
		t.Errorf("Sites = %+v, want %+v", sites, want)
	}

	for _, tt := range []struct {
		name, site, code string
	}{
		{"empty name", "", domain.EINVALID},
		{"blank name", "  \t", domain.EINVALID},
		{"name taken", "EDAS Nanterre", domain.ECONFLICT},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := st.AddSite(ctx, tt.site)
			wantCode(t, err, tt.code)
		})
	}
	if sites, err := st.Sites(ctx); err != nil || len(sites) != 2 {
		t.Errorf("after refused sites, Sites = %+v, %v; want the 2 sites", sites, err)
	}
}

func testEnrolment(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	ctx := context.Background()
	expires := t0.Add(24 * time.Hour)

	t.Run("once", func(t *testing.T) {
		t.Parallel()
		st := open(t)
		site := mustSite(t, st, "EDAS Nanterre")
		if err := st.AddEnrolment(ctx, site.ID, "code-1", expires); err != nil {
			t.Fatal(err)
		}
		dev, err := st.Enrol(ctx, "code-1", "token-1", "Accueil, poste 2", t0, "")
		if err != nil {
			t.Fatal(err)
		}
		if u, err := uuid.Parse(dev.ID); err != nil || u.Version() != 7 {
			t.Errorf("device id %q is not a UUIDv7 (%v)", dev.ID, err)
		}
		want := domain.Device{ID: dev.ID, SiteID: site.ID, Name: "Accueil, poste 2", CreatedAt: stored(t0)}
		if !reflect.DeepEqual(dev, want) {
			t.Errorf("Enrol = %+v, want %+v", dev, want)
		}
		if devs, err := st.Devices(ctx); err != nil || !reflect.DeepEqual(devs, []domain.Device{want}) {
			t.Errorf("Devices = %+v, %v; want %+v", devs, err, want)
		}

		// A code is single use, even with another token and before it expires.
		_, err = st.Enrol(ctx, "code-1", "token-2", "autre poste", t0.Add(time.Minute), "")
		wantCode(t, err, domain.ECONFLICT)
		if devs, err := st.Devices(ctx); err != nil || len(devs) != 1 {
			t.Errorf("after a second use of the code, Devices = %+v, %v; want the first device only", devs, err)
		}
	})

	for _, tt := range []struct {
		name     string
		add      bool // AddEnrolment(code) first
		token    string
		now      time.Time
		wantCode string // "" for a success
	}{
		{"unknown code", false, "token-x", t0, domain.ENOTFOUND},
		{"just before expiry", true, "token-x", expires.Add(-time.Millisecond), ""},
		{"at expiry", true, "token-x", expires, domain.ECONFLICT},
		{"after expiry", true, "token-x", expires.Add(time.Hour), domain.ECONFLICT},
		{"token of another device", true, "token-taken", t0, domain.ECONFLICT},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := open(t)
			site := mustSite(t, st, "EDAS Nanterre")
			taken := mustEnrol(t, st, site.ID, "taken", t0)
			if tt.add {
				if err := st.AddEnrolment(ctx, site.ID, "code-x", expires); err != nil {
					t.Fatal(err)
				}
			}
			dev, err := st.Enrol(ctx, "code-x", tt.token, "poste x", tt.now, "")
			wantCode(t, err, tt.wantCode)
			devs, lerr := st.Devices(ctx)
			if lerr != nil {
				t.Fatal(lerr)
			}
			if tt.wantCode != "" {
				if len(devs) != 1 || devs[0].ID != taken.ID {
					t.Errorf("after a refused enrolment, Devices = %+v; want only the first device", devs)
				}
				return
			}
			if dev.SiteID != site.ID || len(devs) != 2 {
				t.Errorf("Enrol = %+v, Devices = %+v; want a second device of the site", dev, devs)
			}
		})
	}

	t.Run("refused enrolment leaves the code unused", func(t *testing.T) {
		t.Parallel()
		st := open(t)
		site := mustSite(t, st, "EDAS Nanterre")
		mustEnrol(t, st, site.ID, "taken", t0)
		if err := st.AddEnrolment(ctx, site.ID, "code-x", expires); err != nil {
			t.Fatal(err)
		}
		_, err := st.Enrol(ctx, "code-x", "token-taken", "poste x", t0, "")
		wantCode(t, err, domain.ECONFLICT)
		// The failed attempt was one transaction, rolled back whole: the code still works.
		if _, err := st.Enrol(ctx, "code-x", "token-new", "poste x", t0, ""); err != nil {
			t.Fatalf("Enrol after a refused attempt: %v", err)
		}
	})

	t.Run("AddEnrolment refusals", func(t *testing.T) {
		t.Parallel()
		st := open(t)
		site := mustSite(t, st, "EDAS Nanterre")
		wantCode(t, st.AddEnrolment(ctx, "no-such-site", "code-1", expires), domain.ENOTFOUND)
		if err := st.AddEnrolment(ctx, site.ID, "code-1", expires); err != nil {
			t.Fatal(err)
		}
		wantCode(t, st.AddEnrolment(ctx, site.ID, "code-1", expires), domain.ECONFLICT)
	})

	t.Run("code of another site than the desk's files", func(t *testing.T) {
		t.Parallel()
		st := open(t)
		a, b := mustSite(t, st, "EDAS A"), mustSite(t, st, "EDAS B")
		if err := st.AddEnrolment(ctx, b.ID, "code-b", expires); err != nil {
			t.Fatal(err)
		}
		// A desk holding files of A asks with a code of B: refused, and the code stays unused.
		_, err := st.Enrol(ctx, "code-b", "token-1", "poste de A", t0, a.ID)
		wantCode(t, err, domain.ECONFLICT)
		if devs, err := st.Devices(ctx); err != nil || len(devs) != 0 {
			t.Errorf("after the refusal, Devices = %+v, %v; want none", devs, err)
		}
		// The same code for a desk of B's files, or of none, works.
		dev, err := st.Enrol(ctx, "code-b", "token-2", "poste de B", t0, b.ID)
		if err != nil || dev.SiteID != b.ID {
			t.Fatalf("Enrol with the code's own site = %+v, %v", dev, err)
		}
	})

	t.Run("codes of two sites", func(t *testing.T) {
		t.Parallel()
		st := open(t)
		a, b := mustSite(t, st, "EDAS A"), mustSite(t, st, "EDAS B")
		da, db := mustEnrol(t, st, a.ID, "pa", t0), mustEnrol(t, st, b.ID, "pb", t0)
		if da.SiteID != a.ID || db.SiteID != b.ID {
			t.Errorf("devices bound to sites %s and %s, want %s and %s", da.SiteID, db.SiteID, a.ID, b.ID)
		}
	})
}

func testDeviceByToken(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	f := newFixture(t, open)
	ctx := context.Background()

	got, err := f.st.DeviceByToken(ctx, "token-poste-a")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, f.devA) {
		t.Errorf("DeviceByToken = %+v, want %+v", got, f.devA)
	}
	_, err = f.st.DeviceByToken(ctx, "token-unknown")
	wantCode(t, err, domain.ENOTFOUND)
	_, err = f.st.DeviceByToken(ctx, "code-poste-a") // a code is not a token
	wantCode(t, err, domain.ENOTFOUND)

	// A revoked device is still found, so that the server can answer « revoked ».
	if err := f.st.RevokeDevice(ctx, f.devA.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err = f.st.DeviceByToken(ctx, "token-poste-a")
	if err != nil || got.RevokedAt == nil {
		t.Errorf("DeviceByToken of a revoked device = %+v, %v; want it with RevokedAt", got, err)
	}
}

func testRevokeDevice(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	f := newFixture(t, open)
	ctx := context.Background()
	at := t0.Add(90 * time.Minute)

	if err := f.st.RevokeDevice(ctx, f.devA.ID, at); err != nil {
		t.Fatal(err)
	}
	// Revoking again keeps the first time.
	if err := f.st.RevokeDevice(ctx, f.devA.ID, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.st.RevokeDevice(ctx, "no-such-device", at), domain.ENOTFOUND)

	got, err := f.st.DeviceByToken(ctx, "token-poste-a")
	if err != nil {
		t.Fatal(err)
	}
	if got.RevokedAt == nil || !got.RevokedAt.Equal(stored(at)) || got.RevokedAt.Location() != time.UTC {
		t.Errorf("RevokedAt = %v, want %v", got.RevokedAt, stored(at))
	}
	// The other device is untouched.
	other, err := f.st.DeviceByToken(ctx, "token-poste-b")
	if err != nil || other.RevokedAt != nil {
		t.Errorf("the other device = %+v, %v; want it not revoked", other, err)
	}
}

func testTouchDevice(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	f := newFixture(t, open)
	ctx := context.Background()

	for i, at := range []time.Time{t0.Add(time.Minute), t0.Add(2 * time.Hour)} {
		if err := f.st.TouchDevice(ctx, f.devA.ID, at); err != nil {
			t.Fatal(err)
		}
		got, err := f.st.DeviceByToken(ctx, "token-poste-a")
		if err != nil {
			t.Fatal(err)
		}
		if got.LastSeenAt == nil || !got.LastSeenAt.Equal(stored(at)) || got.LastSeenAt.Location() != time.UTC {
			t.Errorf("touch %d: LastSeenAt = %v, want %v", i, got.LastSeenAt, stored(at))
		}
	}
	wantCode(t, f.st.TouchDevice(ctx, "no-such-device", t0), domain.ENOTFOUND)

	// In a transaction: with its writes, and not at all when it rolls back.
	inTx := func(id string, at time.Time, fail error) error {
		return f.st.InTx(ctx, func(tx domain.ServerTx) error {
			if err := tx.TouchDevice(ctx, id, at); err != nil {
				return err
			}
			return fail
		})
	}
	rolledBack := errors.New("push refused")
	if err := inTx(f.devA.ID, t0.Add(3*time.Hour), rolledBack); !errors.Is(err, rolledBack) {
		t.Fatalf("InTx = %v, want fn's error", err)
	}
	if got, err := f.st.DeviceByToken(ctx, "token-poste-a"); err != nil || !got.LastSeenAt.Equal(stored(t0.Add(2*time.Hour))) {
		t.Errorf("after a rolled-back touch: LastSeenAt = %v, %v; want the previous %v", got.LastSeenAt, err, stored(t0.Add(2*time.Hour)))
	}
	if err := inTx(f.devA.ID, t0.Add(4*time.Hour), nil); err != nil {
		t.Fatal(err)
	}
	if got, err := f.st.DeviceByToken(ctx, "token-poste-a"); err != nil || !got.LastSeenAt.Equal(stored(t0.Add(4*time.Hour))) {
		t.Errorf("after a touch in a transaction: LastSeenAt = %v, %v; want %v", got.LastSeenAt, err, stored(t0.Add(4*time.Hour)))
	}
	wantCode(t, inTx("no-such-device", t0, nil), domain.ENOTFOUND)
	if other, err := f.st.DeviceByToken(ctx, "token-poste-b"); err != nil || other.LastSeenAt != nil {
		t.Errorf("the other device = %+v, %v; want it never seen", other, err)
	}
}

func testDevices(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	st := open(t)
	ctx := context.Background()
	site := mustSite(t, st, "EDAS Nanterre")
	// Enrolled in this order, whatever their names.
	var want []domain.Device
	for i, name := range []string{"zeta", "alpha", "mu"} {
		want = append(want, mustEnrol(t, st, site.ID, name, t0.Add(time.Duration(i)*time.Minute)))
	}
	if err := st.RevokeDevice(ctx, want[1].ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	want[1].RevokedAt = new(stored(t0.Add(time.Hour)))

	got, err := st.Devices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Devices = %+v, want %+v (enrolment order, revoked ones too)", got, want)
	}
}

func testLastMutation(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	f := newFixture(t, open)
	ctx := context.Background()

	err := f.st.InTx(ctx, func(tx domain.ServerTx) error {
		dev, err := tx.Device(ctx, f.devA.ID)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(dev, f.devA) {
			t.Errorf("tx.Device = %+v, want %+v", dev, f.devA)
		}
		if err := tx.SetLastMutation(ctx, f.devA.ID, 43); err != nil {
			return err
		}
		// The transaction sees its own write.
		if dev, err := tx.Device(ctx, f.devA.ID); err != nil || dev.LastMutation != 43 {
			t.Errorf("tx.Device after SetLastMutation = %+v, %v; want LastMutation 43", dev, err)
		}
		_, err = tx.Device(ctx, "no-such-device")
		wantCode(t, err, domain.ENOTFOUND)
		wantCode(t, tx.SetLastMutation(ctx, "no-such-device", 1), domain.ENOTFOUND)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.st.DeviceByToken(ctx, "token-poste-a")
	if err != nil || got.LastMutation != 43 {
		t.Errorf("after the commit, device = %+v, %v; want LastMutation 43", got, err)
	}
	if other, err := f.st.DeviceByToken(ctx, "token-poste-b"); err != nil || other.LastMutation != 0 {
		t.Errorf("the other device = %+v, %v; want LastMutation 0", other, err)
	}
	devs, err := f.st.Devices(ctx)
	if err != nil || len(devs) != 2 || devs[0].LastMutation != 43 {
		t.Errorf("Devices = %+v, %v; want the first with LastMutation 43", devs, err)
	}
}
