package suggest

import (
	"reflect"
	"testing"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

func TestPublicsOf(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	year := func(y int) *int { return &y }
	tests := []struct {
		name  string
		u     domain.Usager
		needs []domain.Need
		want  []string
	}{
		{"nothing known", domain.Usager{}, nil, []string{}},
		{"60 this year: senior", domain.Usager{BirthYear: year(1966)}, nil, []string{"seniors"}},
		{"59 this year", domain.Usager{BirthYear: year(1967)}, nil, []string{}},
		{"25 this year: young", domain.Usager{BirthYear: year(2001)}, nil, []string{"jeunes"}},
		{"26 this year", domain.Usager{BirthYear: year(2000)}, nil, []string{}},
		{"a year in the future", domain.Usager{BirthYear: year(2030)}, nil, []string{}},
		{"year zero", domain.Usager{BirthYear: year(0)}, nil, []string{}},
		{"parent alone", domain.Usager{Household: "parent-seul"}, nil, []string{"familles"}},
		{"couple with children", domain.Usager{Household: "couple-enfants"}, nil, []string{"familles"}},
		{"couple without children", domain.Usager{Household: "couple"}, nil, []string{}},
		{
			"everything, sorted and without repeats",
			domain.Usager{BirthYear: year(2004), Household: "parent-seul"},
			[]domain.Need{
				{Domain: "emploi", Publics: []string{"demandeurs-emploi", "familles"}},
				{Domain: "logement", Publics: []string{"demandeurs-emploi", ""}},
				needNone,
			},
			[]string{"demandeurs-emploi", "familles", "jeunes"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := PublicsOf(tt.u, tt.needs, now); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}
