// Package geo knows the 36 communes of the Hauts-de-Seine (INSEE code, names, postcodes,
// centroid, territory), finds a commune from whatever a worker types (name in any case, accents
// or hyphens, INSEE code, postcode), and measures distances. Reference data embedded from
// data/ (provenance in data/README.md).
package geo

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/textfold"
)

// Departement is the INSEE code of the Hauts-de-Seine.
const Departement = "92"

//go:embed data/communes_92.csv
var communesCSV []byte

//go:embed data/postcodes_92.csv
var postcodesCSV []byte

// Commune is one of the 36 communes of the département.
type Commune struct {
	CodeInsee    string   `json:"code_insee"`
	Nom          string   `json:"nom"`
	CodesPostaux []string `json:"codes_postaux"`
	Population   int      `json:"population"`
	EPTCode      string   `json:"ept_code"` // SIREN of the établissement public territorial (an EPCI code)
	EPT          string   `json:"ept"`      // its name
	Lat          float64  `json:"lat"`
	Lon          float64  `json:"lon"`
}

var (
	communes []Commune
	byInsee  map[string]int
	byKey    map[string]int   // folded name, with and without leading article
	byPostal map[string][]int // postcode → communes (92190 → Meudon and Clamart)
)

func init() {
	rows, err := csv.NewReader(bytes.NewReader(communesCSV)).ReadAll()
	if err != nil {
		panic("geo: communes: " + err.Error())
	}
	byInsee = map[string]int{}
	byKey = map[string]int{}
	byPostal = map[string][]int{}
	for _, r := range rows[1:] {
		lat, _ := strconv.ParseFloat(r[9], 64)
		lon, _ := strconv.ParseFloat(r[10], 64)
		pop, _ := strconv.Atoi(r[4])
		c := Commune{CodeInsee: r[0], Nom: r[1], Population: pop, EPTCode: r[7], EPT: r[8], Lat: lat, Lon: lon}
		byInsee[c.CodeInsee] = len(communes)
		communes = append(communes, c)
	}
	pc, err := csv.NewReader(bytes.NewReader(postcodesCSV)).ReadAll()
	if err != nil {
		panic("geo: postcodes: " + err.Error())
	}
	for _, r := range pc[1:] {
		i, ok := byInsee[r[0]]
		if !ok {
			panic("geo: postcode for unknown commune " + r[0])
		}
		communes[i].CodesPostaux = append(communes[i].CodesPostaux, r[1])
		byPostal[r[1]] = append(byPostal[r[1]], i)
	}
	for i, c := range communes {
		k := textfold.Key(c.Nom)
		byKey[k] = i
		for _, art := range []string{"la ", "le ", "les ", "l "} {
			if rest, ok := strings.CutPrefix(k, art); ok {
				byKey[rest] = i
			}
		}
	}
	// The old IGN names of two communes ("Garenne-Colombes", "Plessis-Robinson") are covered by
	// the article-less keys above.
}

// Communes returns the 36 communes, ordered by name.
func Communes() []Commune {
	out := append([]Commune(nil), communes...)
	sort.Slice(out, func(i, j int) bool { return textfold.Key(out[i].Nom) < textfold.Key(out[j].Nom) })
	return out
}

// ByInsee returns the commune with that INSEE code.
func ByInsee(code string) (Commune, bool) {
	i, ok := byInsee[code]
	if !ok {
		return Commune{}, false
	}
	return communes[i], true
}

// Index returns the position of a commune in a stable 0…35 numbering (for bit sets), or -1.
func Index(codeInsee string) int {
	if i, ok := byInsee[codeInsee]; ok {
		return i
	}
	return -1
}

// Count is the number of communes of the département.
func Count() int { return len(communes) }

// Resolve finds the commune a worker means: an INSEE code ("92040"), a postcode ("92130"), or a
// name in any case, with or without accents, hyphens or leading article ("issy les moulineaux",
// "garenne colombes"). A postcode shared by several communes or mostly outside the département
// (92190; 75015, 75016) is ambiguous. Errors are EINVALID with a French message that lists the
// candidates.
func Resolve(input string) (Commune, error) {
	s := strings.TrimSpace(input)
	if s == "" {
		return Commune{}, domain.Errorf(domain.EINVALID, "Indiquez une commune.")
	}
	if isDigits(s) && len(s) == 5 {
		if i, ok := byInsee[s]; ok {
			return communes[i], nil
		}
		if idx, ok := byPostal[s]; ok {
			if len(idx) == 1 && strings.HasPrefix(s, Departement) {
				return communes[idx[0]], nil
			}
			return Commune{}, ambiguousPostcode(s, idx)
		}
		return Commune{}, domain.Errorf(domain.EINVALID,
			"Le code %s n’est ni un code INSEE ni un code postal d’une commune des Hauts-de-Seine.", s)
	}
	k := textfold.Key(s)
	if i, ok := byKey[k]; ok {
		return communes[i], nil
	}
	// A unique prefix ("boulogne", "chatenay") or a single typo ("nanterr", "suresne").
	var cands []int
	for key, i := range byKey {
		if strings.HasPrefix(key, k) && !containsInt(cands, i) {
			cands = append(cands, i)
		}
	}
	if len(cands) == 0 && len(k) >= 4 {
		for key, i := range byKey {
			if editDistanceAtMost1(k, key) && !containsInt(cands, i) {
				cands = append(cands, i)
			}
		}
	}
	if len(cands) == 1 {
		return communes[cands[0]], nil
	}
	if len(cands) > 1 {
		return Commune{}, domain.Errorf(domain.EINVALID, "« %s » peut désigner %s : précisez la commune.",
			s, names(cands))
	}
	return Commune{}, domain.Errorf(domain.EINVALID, "« %s » n’est pas une commune des Hauts-de-Seine.", s)
}

func ambiguousPostcode(code string, idx []int) error {
	if !strings.HasPrefix(code, Departement) {
		return domain.Errorf(domain.EINVALID,
			"Le code postal %s est surtout celui de Paris ; dans les Hauts-de-Seine il couvre aussi une partie de %s. Indiquez la commune par son nom ou son code INSEE.",
			code, names(idx))
	}
	return domain.Errorf(domain.EINVALID,
		"Le code postal %s est partagé par %s : indiquez la commune par son nom ou son code INSEE.", code, names(idx))
}

func names(idx []int) string {
	ns := make([]string, len(idx))
	for j, i := range idx {
		ns[j] = fmt.Sprintf("%s (%s)", communes[i].Nom, communes[i].CodeInsee)
	}
	sort.Strings(ns)
	if len(ns) == 1 {
		return ns[0]
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " ou " + ns[len(ns)-1]
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// editDistanceAtMost1 reports whether a and b differ by at most one insertion, deletion,
// substitution or transposition of adjacent letters.
func editDistanceAtMost1(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	switch {
	case la == lb:
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case la > lb:
		return a[i+1:] == b[i:]
	default:
		return a[i:] == b[i+1:]
	}
}

// DistanceKm returns the great-circle distance between two points, in kilometres.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0088
	φ1, φ2 := lat1*math.Pi/180, lat2*math.Pi/180
	dφ, dλ := φ2-φ1, (lon2-lon1)*math.Pi/180
	h := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// InDepartement reports whether an INSEE code is one of the 36 communes.
func InDepartement(codeInsee string) bool { _, ok := byInsee[codeInsee]; return ok }

// ZoneName names a data·inclusion zone_eligibilite code in French: a commune or territory of the
// département by name, the département, France, or the code itself for places elsewhere.
func ZoneName(code string) string {
	switch {
	case code == Departement:
		return "Hauts-de-Seine"
	case code == "france" || code == "99100":
		return "toute la France"
	}
	if c, ok := ByInsee(code); ok {
		return c.Nom
	}
	for _, c := range communes {
		if c.EPTCode == code {
			return "territoire " + c.EPT
		}
	}
	if len(code) == 2 || len(code) == 3 {
		return "département " + code
	}
	return "zone " + code
}
