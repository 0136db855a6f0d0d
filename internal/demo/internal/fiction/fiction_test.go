package fiction

import (
	"testing"

	"github.com/edas92/passerelle/internal/geo"
)

func TestPhone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "01 99 00 00 00"}, {7, "01 99 00 00 07"}, {1234, "01 99 00 12 34"}, {9999, "01 99 00 99 99"},
		{10000, "01 99 00 00 00"}, {123456, "01 99 00 34 56"}, {-1, "01 99 00 99 99"},
	} {
		if got := Phone(tc.n); got != tc.want {
			t.Errorf("Phone(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestDateMaj(t *testing.T) {
	t.Parallel()
	for days, want := range map[int]string{0: "2026-11-01", 1: "2026-10-31", 365: "2025-11-01", 730: "2024-11-01", 1096: "2023-11-01"} {
		if got := DateMaj(days); got != want {
			t.Errorf("DateMaj(%d) = %s, want %s", days, got, want)
		}
	}
}

func TestSlug(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Épicerie La Passerelle":         "epicerie-la-passerelle",
		"Ville-d'Avray":                  "ville-d-avray",
		"Le Panier du Cœur":              "le-panier-du-coeur",
		"Ateliers « Premiers pas » (92)": "ateliers-premiers-pas-92",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOfCommune(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Antony":              "d’Antony",
		"Issy-les-Moulineaux": "d’Issy-les-Moulineaux",
		"Le Plessis-Robinson": "du Plessis-Robinson",
		"La Garenne-Colombes": "de La Garenne-Colombes",
		"Sèvres":              "de Sèvres",
	} {
		if got := OfCommune(in); got != want {
			t.Errorf("OfCommune(%q) = %q, want %q", in, got, want)
		}
	}
	if got := InCommune("Le Plessis-Robinson"); got != "au Plessis-Robinson" {
		t.Errorf("InCommune = %q", got)
	}
}

func TestPostalCode(t *testing.T) {
	t.Parallel()
	for insee, want := range map[string]string{
		"92048": "92190", // Meudon; Meudon-la-Forêt's 92360 is asked for explicitly
		"92023": "92140", // Clamart, not the 92190 it shares with Meudon
		"92012": "92100", // Boulogne-Billancourt, not Paris 16e
		"92040": "92130", // Issy-les-Moulineaux, not Paris 15e
		"92050": "92000",
	} {
		c, _ := geo.ByInsee(insee)
		if got := PostalCode(c); got != want {
			t.Errorf("PostalCode(%s) = %s, want %s", c.Nom, got, want)
		}
	}
}

func TestNear(t *testing.T) {
	t.Parallel()
	for _, c := range geo.Communes() {
		for _, uv := range [][2]float64{{0, 0}, {0.999999, 0}, {0.999999, 0.25}, {0.999999, 0.5}, {0.5, 0.75}, {0.999999, 0.999999}} {
			lat, lon := Near(c, uv[0], uv[1])
			// Rounding to 5 decimals moves a point by a metre at most.
			if d := geo.DistanceKm(lat, lon, c.Lat, c.Lon); d > MaxOffsetKm+0.002 {
				t.Errorf("%s %v: %.3f km from the centre", c.Nom, uv, d)
			}
		}
	}
	if lat, lon := Near(geo.Communes()[0], 0.999999, 0.25); lat == geo.Communes()[0].Lat && lon == geo.Communes()[0].Lon {
		t.Error("Near does not move the point")
	}
}

func TestHash(t *testing.T) {
	t.Parallel()
	if Hash("a") == Hash("b") || Hash("x") != Hash("x") {
		t.Error("Hash is not a function of its input")
	}
	// Close names must give far apart values: the low bits of plain FNV barely move.
	if Hash("id-1")%6 == Hash("id-2")%6 && Hash("id-2")%6 == Hash("id-3")%6 && Hash("id-3")%6 == Hash("id-4")%6 {
		t.Error("close names fall in the same bucket")
	}
	if u := Unit(^uint64(0)); u >= 1 || u < 0.999 {
		t.Errorf("Unit(max) = %v, want just under 1", u)
	}
}
