package domain

import (
	"math"
	"time"
)

// Location is where a service is received: its own address when it has one, else its
// structure's (data·inclusion lets a service leave its address and hours to its structure).
type Location struct {
	Adresse           string   `json:"adresse"`
	ComplementAdresse string   `json:"complement_adresse"`
	CodePostal        string   `json:"code_postal"`
	CodeInsee         string   `json:"code_insee"`
	Commune           string   `json:"commune"`
	Latitude          *float64 `json:"latitude"`
	Longitude         *float64 `json:"longitude"`
	FromStructure     bool     `json:"from_structure"`
}

// EffectiveLocation returns where sv is received. st may be nil.
func EffectiveLocation(sv *Service, st *Structure) Location {
	own := sv.CodeInsee != nil || sv.Commune != nil || sv.Adresse != nil || sv.Latitude != nil
	if own || st == nil {
		return Location{
			Adresse: Str(sv.Adresse), ComplementAdresse: Str(sv.ComplementAdresse),
			CodePostal: Str(sv.CodePostal), CodeInsee: Str(sv.CodeInsee), Commune: Str(sv.Commune),
			Latitude: sv.Latitude, Longitude: sv.Longitude,
		}
	}
	return Location{
		Adresse: Str(st.Adresse), ComplementAdresse: Str(st.ComplementAdresse),
		CodePostal: Str(st.CodePostal), CodeInsee: Str(st.CodeInsee), Commune: Str(st.Commune),
		Latitude: st.Latitude, Longitude: st.Longitude, FromStructure: true,
	}
}

// EffectiveHours returns the OpenStreetMap opening_hours of sv: its own, else its structure's.
func EffectiveHours(sv *Service, st *Structure) string {
	if sv.HorairesAccueil != nil || st == nil {
		return Str(sv.HorairesAccueil)
	}
	return Str(st.HorairesAccueil)
}

// IsRemoteOnly reports whether a service is offered only at a distance.
func IsRemoteOnly(sv *Service) bool {
	return len(sv.ModesAccueil) > 0 && !contains(sv.ModesAccueil, "en-presentiel")
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// FreshnessOf applies the data·inclusion quality rule to a date_maj (YYYY-MM-DD): score 1 under
// 6 months old, falling linearly to 0 at 2 years.
func FreshnessOf(dateMaj string, now time.Time) Freshness {
	d, err := time.Parse(time.DateOnly, dateMaj)
	if err != nil {
		return Freshness{Level: FreshUnknown}
	}
	sixMonths, twoYears := d.AddDate(0, 6, 0), d.AddDate(2, 0, 0)
	months := (now.Year()-d.Year())*12 + int(now.Month()-d.Month())
	if now.Day() < d.Day() {
		months--
	}
	months = max(months, 0)
	switch {
	case now.Before(sixMonths):
		return Freshness{Level: FreshUpToDate, Score: 1, MonthsOld: months}
	case !now.Before(twoYears):
		return Freshness{Level: FreshStale, Score: 0, MonthsOld: months}
	default:
		score := 1 - now.Sub(sixMonths).Hours()/twoYears.Sub(sixMonths).Hours()
		return Freshness{Level: FreshToCheck, Score: math.Round(score*100) / 100, MonthsOld: months}
	}
}
