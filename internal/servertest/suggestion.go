package servertest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

func testSuggestions(t *testing.T, open func(t *testing.T) domain.ServerStore) {
	f := newFixture(t, open)
	ctx := context.Background()
	add := func(sgs ...domain.CuratorSuggestion) error {
		return f.st.InTx(ctx, func(tx domain.ServerTx) error {
			for _, sg := range sgs {
				if err := tx.AddSuggestion(ctx, sg); err != nil {
					return err
				}
			}
			return nil
		})
	}

	proposal := domain.CuratorSuggestion{UUID: "sg1", SiteID: f.siteA.ID, DeviceID: f.devA.ID, Type: "proposition",
		Service: json.RawMessage(`{"nom":"Repair café de Vanves","thematiques":["remobilisation--lien-social"]}`),
		Message: "Ouvert le samedi, très fréquenté.", CreatedAt: t0}
	correction := domain.CuratorSuggestion{UUID: "sg2", SiteID: f.siteB.ID, DeviceID: f.devB.ID, Type: "correction",
		Service: json.RawMessage(`{"telephone":"01 47 00 00 00"}`), Message: "Le numéro a changé.", Status: "nouvelle",
		CreatedAt: t0.Add(time.Hour)}
	if err := add(correction, proposal); err != nil {
		t.Fatal(err)
	}
	// A replayed push: the first one stays as it was.
	replay := proposal
	replay.Message = "autre message"
	if err := add(replay); err != nil {
		t.Fatalf("AddSuggestion again: %v", err)
	}

	wantProposal, wantCorrection := proposal, correction
	wantProposal.Status, wantProposal.CreatedAt = "nouvelle", stored(t0)
	wantCorrection.CreatedAt = stored(t0.Add(time.Hour))
	check := func(t *testing.T, status string, want ...domain.CuratorSuggestion) {
		t.Helper()
		got, err := f.st.Suggestions(ctx, status)
		if err != nil {
			t.Fatalf("Suggestions(%q): %v", status, err)
		}
		if len(got) != len(want) {
			t.Fatalf("Suggestions(%q) = %+v, want %+v", status, got, want)
		}
		for i := range want {
			checkSuggestion(t, got[i], want[i])
		}
	}
	// Oldest first.
	check(t, "nouvelle", wantProposal, wantCorrection)
	check(t, "", wantProposal, wantCorrection)
	check(t, "acceptee")

	got, err := f.st.SetSuggestionStatus(ctx, "sg1", "acceptee")
	if err != nil {
		t.Fatal(err)
	}
	wantProposal.Status = "acceptee"
	checkSuggestion(t, got, wantProposal)
	check(t, "acceptee", wantProposal)
	check(t, "nouvelle", wantCorrection)
	if _, err := f.st.SetSuggestionStatus(ctx, "sg2", "refusee"); err != nil {
		t.Fatal(err)
	}
	wantCorrection.Status = "refusee"
	check(t, "refusee", wantCorrection)
	check(t, "nouvelle")

	// A replay after the curator's decision does not undo it.
	if err := add(proposal); err != nil {
		t.Fatal(err)
	}
	check(t, "acceptee", wantProposal)

	t.Run("no created time", func(t *testing.T) {
		before := time.Now().UTC().Truncate(time.Millisecond)
		sg := domain.CuratorSuggestion{UUID: "sg3", SiteID: f.siteA.ID, DeviceID: f.devA.ID, Type: "proposition", Message: "m"}
		if err := add(sg); err != nil {
			t.Fatal(err)
		}
		got, err := f.st.SetSuggestionStatus(ctx, "sg3", "nouvelle")
		if err != nil {
			t.Fatal(err)
		}
		if got.CreatedAt.Before(before) || got.CreatedAt.After(time.Now()) || len(got.Service) != 0 && string(got.Service) != "null" {
			t.Errorf("suggestion = %+v, want it created now and without service", got)
		}
	})

	for _, tt := range []struct {
		name string
		sg   domain.CuratorSuggestion
		code string
	}{
		{"no uuid", domain.CuratorSuggestion{SiteID: f.siteA.ID, DeviceID: f.devA.ID, Type: "proposition"}, domain.EINVALID},
		{"unknown type", domain.CuratorSuggestion{UUID: "x", SiteID: f.siteA.ID, DeviceID: f.devA.ID, Type: "avis"}, domain.EINVALID},
		{"unknown status", domain.CuratorSuggestion{UUID: "x", SiteID: f.siteA.ID, DeviceID: f.devA.ID, Type: "correction", Status: "en-cours"}, domain.EINVALID},
		{"service not JSON", domain.CuratorSuggestion{UUID: "x", SiteID: f.siteA.ID, DeviceID: f.devA.ID, Type: "correction", Service: json.RawMessage(`{`)}, domain.EINVALID},
		{"unknown site", domain.CuratorSuggestion{UUID: "x", SiteID: "no-such-site", DeviceID: f.devA.ID, Type: "correction"}, domain.ENOTFOUND},
		{"unknown device", domain.CuratorSuggestion{UUID: "x", SiteID: f.siteA.ID, DeviceID: "no-such-device", Type: "correction"}, domain.ENOTFOUND},
	} {
		t.Run("AddSuggestion refused: "+tt.name, func(t *testing.T) {
			wantCode(t, add(tt.sg), tt.code)
		})
	}
	t.Run("status refused", func(t *testing.T) {
		_, err := f.st.SetSuggestionStatus(ctx, "no-such-suggestion", "acceptee")
		wantCode(t, err, domain.ENOTFOUND)
		_, err = f.st.SetSuggestionStatus(ctx, "sg1", "validee")
		wantCode(t, err, domain.EINVALID)
		_, err = f.st.Suggestions(ctx, "validee")
		wantCode(t, err, domain.EINVALID)
		check(t, "acceptee", wantProposal)
	})
}

func checkSuggestion(t testing.TB, got, want domain.CuratorSuggestion) {
	t.Helper()
	if got.UUID != want.UUID || got.SiteID != want.SiteID || got.DeviceID != want.DeviceID || got.Type != want.Type ||
		got.Message != want.Message || got.Status != want.Status || !got.CreatedAt.Equal(want.CreatedAt) ||
		got.CreatedAt.Location() != time.UTC || !sameJSON(got.Service, want.Service) {
		t.Fatalf("suggestion = %+v (service %s), want %+v (service %s)", got, got.Service, want, want.Service)
	}
}
