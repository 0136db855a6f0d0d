package geo

import (
	"math"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

func TestCommunes(t *testing.T) {
	t.Parallel()
	cs := Communes()
	if len(cs) != 36 {
		t.Fatalf("got %d communes, want 36", len(cs))
	}
	for _, c := range cs {
		if !strings.HasPrefix(c.CodeInsee, "92") || len(c.CodesPostaux) == 0 || c.Lat < 48.7 || c.Lat > 49 || c.Lon < 2.1 || c.Lon > 2.4 {
			t.Errorf("implausible commune %+v", c)
		}
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string // want: INSEE code, or "" when an error is expected
		errHas   string
	}{
		{in: "92040", want: "92040"},
		{in: "Issy-les-Moulineaux", want: "92040"},
		{in: "issy les moulineaux", want: "92040"},
		{in: "ISSY LES MOULINEAUX", want: "92040"},
		{in: "92130", want: "92040"},
		{in: "La Garenne-Colombes", want: "92035"},
		{in: "garenne colombes", want: "92035"},
		{in: "Garenne-Colombes", want: "92035"}, // the old IGN name
		{in: "Le Plessis-Robinson", want: "92060"},
		{in: "plessis robinson", want: "92060"},
		{in: "Sèvres", want: "92072"},
		{in: "sevres", want: "92072"},
		{in: "Châtillon", want: "92020"},
		{in: "chatillon", want: "92020"},
		{in: "Châtenay-Malabry", want: "92019"},
		{in: "chatenay", want: "92019"}, // unique prefix
		{in: "nanterr", want: "92050"},  // unique prefix
		{in: "nanterer", want: "92050"}, // one transposition
		{in: "boulogne", want: "92012"}, // unique prefix
		{in: "Ville d'Avray", want: "92077"},
		{in: "ville-d’avray", want: "92077"},
		{in: "92360", want: "92048"},                                      // Meudon-la-Forêt
		{in: "92190", errHas: "Clamart (92023) ou Meudon (92048)"},        // shared postcode
		{in: "75016", errHas: "Paris"},                                    // Paris, and part of Boulogne
		{in: "75015", errHas: "Issy-les-Moulineaux (92040)"},              // Paris, and part of Issy
		{in: "75056", errHas: "ni un code INSEE ni un code postal"},       // Paris: outside
		{in: "Paris", errHas: "n’est pas une commune des Hauts-de-Seine"}, // outside
		{in: "chat", errHas: "Châtenay-Malabry (92019)"},                  // ambiguous prefix
		{in: "", errHas: "Indiquez une commune"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			c, err := Resolve(tc.in)
			if tc.errHas != "" {
				if err == nil || domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), tc.errHas) {
					t.Fatalf("Resolve(%q) = %v, %v; want EINVALID containing %q", tc.in, c.CodeInsee, err, tc.errHas)
				}
				return
			}
			if err != nil || c.CodeInsee != tc.want {
				t.Fatalf("Resolve(%q) = %q, %v; want %q", tc.in, c.CodeInsee, err, tc.want)
			}
		})
	}
}

func TestDistanceKm(t *testing.T) {
	t.Parallel()
	nanterre, _ := ByInsee("92050")
	antony, _ := ByInsee("92002")
	d := DistanceKm(nanterre.Lat, nanterre.Lon, antony.Lat, antony.Lon)
	// Nanterre–Antony is about 17.5 km as the crow flies.
	if d < 16 || d > 19 {
		t.Fatalf("Nanterre–Antony = %.2f km", d)
	}
	if DistanceKm(1, 2, 1, 2) != 0 || math.IsNaN(DistanceKm(0, 0, 0, 180)) {
		t.Fatal("degenerate distances")
	}
}

func TestZoneName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"92": "Hauts-de-Seine", "92050": "Nanterre", "france": "toute la France",
		"200057966": "territoire Vallée Sud-Grand Paris", "75": "département 75",
	} {
		if got := ZoneName(in); got != want {
			t.Errorf("ZoneName(%q) = %q, want %q", in, got, want)
		}
	}
}
