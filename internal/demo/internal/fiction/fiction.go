// Package fiction makes the clearly fictitious details shared by the embedded demo directory
// and the benchmark generator: dates relative to a fixed reference day, telephone numbers of the
// range reserved for fiction, example.org addresses, and places near a commune's centre.
package fiction

import (
	"math"
	"strings"
	"time"

	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/textfold"
)

// Notice ends every description of the demo records, so that nobody mistakes one for a real
// initiative, on screen or on a printed referral sheet.
const Notice = "(Initiative fictive — données de démonstration.)"

// Reference is the fixed day the demo data is dated from. A fixed day, not time.Now, keeps the
// generated files and records identical from one run to the next; freshness shown on screen
// still ages as the real calendar moves on.
var Reference = time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)

// DateMaj returns the date_maj (YYYY-MM-DD) that lies daysAgo days before Reference.
func DateMaj(daysAgo int) string {
	return Reference.AddDate(0, 0, -daysAgo).Format(time.DateOnly)
}

// Phone returns the n-th number (modulo 10,000) of the range 01 99 00 00 00 – 01 99 00 99 99,
// which the ARCEP reserves for fiction: no real line can ever answer it.
func Phone(n int) string {
	n = ((n % 10000) + 10000) % 10000
	// Formatted by hand: the benchmark generator calls this 150,000 times.
	b := []byte("01 99 00 00 00")
	b[9], b[10] = byte('0'+n/1000), byte('0'+n/100%10)
	b[12], b[13] = byte('0'+n/10%10), byte('0'+n%10)
	return string(b)
}

// PhonePrefix is what every fictitious number starts with.
const PhonePrefix = "01 99 00 "

// Domain is the reserved domain (RFC 2606) of every fictitious e-mail address and website.
const Domain = "example.org"

// Email returns a fictitious address local@example.org.
func Email(local string) string { return local + "@" + Domain }

// Website returns a fictitious address https://example.org/path.
func Website(path string) string { return "https://" + Domain + "/" + path }

// Slug turns a name into a readable identifier part: folded, words joined by hyphens
// ("Épicerie La Passerelle" → "epicerie-la-passerelle", "Ville-d'Avray" → "ville-d-avray").
func Slug(s string) string {
	return strings.ReplaceAll(textfold.Key(s), " ", "-")
}

// PostalCode returns the code_postal of an address in c: its own département code (92…), the
// first one when it has several. Meudon's 92190 is shared with part of Clamart; Clamart's main
// code is 92140; Boulogne-Billancourt and Issy-les-Moulineaux also have a Paris code that is
// never theirs alone. Meudon-la-Forêt (92360) is asked for explicitly by its callers.
func PostalCode(c geo.Commune) string {
	for _, cp := range c.CodesPostaux {
		if strings.HasPrefix(cp, geo.Departement) {
			return cp
		}
	}
	return ""
}

// MaxOffsetKm is how far from its commune's centroid a fictitious place may be put.
const MaxOffsetKm = 0.9

// Near returns a point near the centroid of c, rounded to 5 decimals (about a metre). u and v in
// [0, 1) choose it: u the distance (up to MaxOffsetKm, uniform over the disc), v the direction.
func Near(c geo.Commune, u, v float64) (lat, lon float64) {
	const kmPerDegree = 111.32
	r := MaxOffsetKm * math.Sqrt(u)
	a := 2 * math.Pi * v
	lat = c.Lat + r*math.Sin(a)/kmPerDegree
	lon = c.Lon + r*math.Cos(a)/(kmPerDegree*math.Cos(c.Lat*math.Pi/180))
	return round5(lat), round5(lon)
}

func round5(x float64) float64 { return math.Round(x*1e5) / 1e5 }

// Unit maps a 64-bit hash to [0, 1), for deterministic choices that depend on a name only.
func Unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// Hash returns a well-mixed 64-bit hash of s, stable across runs and platforms (unlike map
// hashing): FNV-1a, whose low bits change little between close names, then a splitmix64
// finaliser so that every bit depends on every byte.
func Hash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

// OfCommune writes « de Bagneux », « d’Issy-les-Moulineaux », « du Plessis-Robinson », « de La
// Garenne-Colombes » as French wants.
func OfCommune(nom string) string {
	switch {
	case strings.HasPrefix(nom, "Le "):
		return "du " + strings.TrimPrefix(nom, "Le ")
	case strings.HasPrefix(nom, "Les "):
		return "des " + strings.TrimPrefix(nom, "Les ")
	case strings.IndexAny(nom[:1], "AEIOUY") == 0 || strings.HasPrefix(nom, "É"):
		return "d’" + nom
	default:
		return "de " + nom
	}
}

// InCommune writes « à Nanterre », « au Plessis-Robinson ».
func InCommune(nom string) string {
	if rest, ok := strings.CutPrefix(nom, "Le "); ok {
		return "au " + rest
	}
	return "à " + nom
}
