package datainclusion

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/edas92/passerelle/internal/geo"
	"github.com/edas92/passerelle/internal/vocab"
)

// benchServices writes n services as a data·inclusion JSON array, deterministically, with the
// variety of a national export (optional fields null or set, lists of various lengths).
func benchServices(n int) []byte {
	communes := geo.Communes()
	them := values(vocab.Thematiques)
	pub := publicsButTous()
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i := range n {
		c := communes[i%len(communes)]
		rec := map[string]any{
			"id":           fmt.Sprintf("bench--sv-%d", i),
			"source":       "bench",
			"structure_id": fmt.Sprintf("bench--st-%d", i/3),
			"nom":          fmt.Sprintf("Atelier numérique n°%d", i),
			"description": fmt.Sprintf("Un accompagnement de %d semaines pour apprendre à utiliser un ordinateur, "+
				"faire ses démarches en ligne et échanger avec ses proches. Ouvert à %s.", i%12+1, c.Nom),
			"date_maj":                    fmt.Sprintf("20%02d-%02d-%02d", 20+i%6, i%12+1, i%28+1),
			"type":                        []any{"atelier", "accompagnement", nil}[i%3],
			"thematiques":                 []string{them[i%len(them)], them[(i+7)%len(them)]},
			"frais":                       []any{"gratuit", "payant", nil}[i%3],
			"frais_precisions":            nil,
			"publics":                     []string{pub[i%len(pub)]},
			"publics_precisions":          nil,
			"conditions_acces":            nil,
			"telephone":                   "+33146421234",
			"courriel":                    fmt.Sprintf("contact%d@exemple.fr", i%100),
			"contact_nom_prenom":          nil,
			"modes_accueil":               []string{"en-presentiel"},
			"zone_eligibilite":            []string{c.CodeInsee},
			"lien_mobilisation":           nil,
			"modes_mobilisation":          []string{"telephoner", "se-presenter"},
			"mobilisable_par":             []string{"usagers", "professionnels"},
			"mobilisation_precisions":     nil,
			"adresse":                     fmt.Sprintf("%d rue de la République", i%150+1),
			"complement_adresse":          nil,
			"code_postal":                 c.CodesPostaux[0],
			"code_insee":                  c.CodeInsee,
			"commune":                     c.Nom,
			"latitude":                    c.Lat + float64(i%100)/10000,
			"longitude":                   c.Lon - float64(i%70)/10000,
			"horaires_accueil":            "Mo-Fr 09:00-12:00,14:00-17:00",
			"lien_source":                 fmt.Sprintf("https://exemple.fr/services/%d", i),
			"nombre_semaines":             []any{i%12 + 1, nil}[i%2],
			"volume_horaire_hebdomadaire": []any{2.5, nil}[i%2],
		}
		b, _ := json.Marshal(rec)
		if i > 0 {
			buf.WriteString(",\n")
		}
		buf.Write(b)
	}
	buf.WriteString("\n]\n")
	return buf.Bytes()
}

// BenchmarkDecodeServices decodes and validates a national-size file of 100,000 services.
func BenchmarkDecodeServices(b *testing.B) {
	const n = 100_000
	data := benchServices(n)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := Decode(bytes.NewReader(data), "bench.json", Options{})
		if err != nil || len(p.Services) != n {
			b.Fatalf("decode: %v, %d services, rejected %v", err, len(p.Services), p.Rejected[:min(3, len(p.Rejected))])
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
