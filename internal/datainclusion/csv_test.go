package datainclusion

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// baseCols are the columns of the test spreadsheets: the required ones and a few others.
var baseCols = []string{"id", "source", "structure_id", "nom", "description", "date_maj", "thematiques", "publics",
	"latitude", "longitude", "nombre_semaines", "categorie", "peut_donner", "acces_transport",
	"structure_nom", "structure_siret", "structure_code_insee", "structure_date_maj", "structure_latitude", "structure_longitude"}

// csvRow returns a valid row, changed by kv (column, cell).
func csvRow(kv ...string) map[string]string {
	r := map[string]string{
		"id": "cd92--sv-1", "source": "cd92", "structure_id": "cd92--st-1", "nom": "Atelier cuisine",
		"description": "Cuisiner ensemble.", "date_maj": "2025-01-15",
		"thematiques": "equipement-et-alimentation--alimentation|remobilisation--lien-social", "publics": "tous-publics",
		"latitude": "48.8232", "longitude": "2.2641", "nombre_semaines": "4", "categorie": "epicerie-solidaire",
		"peut_donner": "oui", "acces_transport": "Bus 123",
		"structure_nom": "Centre social", "structure_siret": "12345678900017", "structure_code_insee": "92040",
		"structure_date_maj": "2024-12-01", "structure_latitude": "48.82", "structure_longitude": "2.26",
	}
	for i := 0; i < len(kv); i += 2 {
		r[kv[i]] = kv[i+1]
	}
	return r
}

// csvText writes a spreadsheet with the given separator, quoting cells as a spreadsheet does.
func csvText(sep string, cols []string, rows ...map[string]string) string {
	var b strings.Builder
	line := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				b.WriteString(sep)
			}
			if strings.ContainsAny(c, sep+"\"\r\n") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString("\r\n")
	}
	line(cols)
	for _, r := range rows {
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = r[c]
		}
		line(cells)
	}
	return b.String()
}

func TestDecode_CSV(t *testing.T) {
	t.Parallel()
	t.Run("séparateur point-virgule et BOM", func(t *testing.T) {
		t.Parallel()
		p := decodeBytes(t, []byte("\xEF\xBB\xBF"+csvText(";", baseCols, csvRow())))
		if p.Format != FormatCSV || len(p.Services) != 1 || len(p.Structures) != 1 || len(p.Rejected) != 0 {
			t.Fatalf("got %+v", p)
		}
		sv, st := p.Services[0], p.Structures[0]
		want := domain.Service{ID: "cd92--sv-1", Source: "cd92", StructureID: "cd92--st-1", Nom: "Atelier cuisine",
			Description: "Cuisiner ensemble.", DateMaj: "2025-01-15",
			Thematiques: []string{"equipement-et-alimentation--alimentation", "remobilisation--lien-social"},
			Publics:     []string{"tous-publics"}, Latitude: domain.Ptr(48.8232), Longitude: domain.Ptr(2.2641),
			NombreSemaines: domain.Ptr(4), Categorie: "epicerie-solidaire", PeutDonner: true, AccesTransport: "Bus 123"}
		want.UUID = domain.RecordUUID(domain.KindService, "cd92", "cd92--sv-1")
		if !equalJSON(t, sv, want) || sv.UUID != want.UUID {
			t.Errorf("service\n got %+v\nwant %+v", sv, want)
		}
		wantSt := domain.Structure{ID: "cd92--st-1", Source: "cd92", Nom: "Centre social", DateMaj: "2024-12-01",
			Siret: domain.Ptr("12345678900017"), CodeInsee: domain.Ptr("92040"), Latitude: domain.Ptr(48.82), Longitude: domain.Ptr(2.26)}
		if !equalJSON(t, st, wantSt) {
			t.Errorf("structure\n got %+v\nwant %+v", st, wantSt)
		}
	})
	t.Run("séparateur virgule, virgule décimale entre guillemets", func(t *testing.T) {
		t.Parallel()
		p := decodeBytes(t, []byte(csvText(",", baseCols, csvRow("latitude", "48,8232", "nom", "Atelier, cuisine ; budget"))))
		if len(p.Services) != 1 || *p.Services[0].Latitude != 48.8232 || p.Services[0].Nom != "Atelier, cuisine ; budget" {
			t.Fatalf("got %+v", p)
		}
	})
	t.Run("guillemets et retours à la ligne dans les cellules", func(t *testing.T) {
		t.Parallel()
		desc := "Première ligne ; « deux »\r\nDeuxième \"ligne\"\nTroisième"
		p := decodeBytes(t, []byte(csvText(";", baseCols, csvRow("description", desc))))
		if len(p.Services) != 1 || p.Services[0].Description != desc {
			t.Fatalf("got %+v", p)
		}
	})
	t.Run("numéros de ligne avec cellules sur plusieurs lignes", func(t *testing.T) {
		t.Parallel()
		in := csvText(";", baseCols,
			csvRow("id", "a", "description", "sur\ndeux lignes"),      // lines 2–3
			csvRow("id", "b", "nom", "x"),                             // line 4
			csvRow("id", "c", "description", "une\r\nde plus\navant"), // lines 5–7
			csvRow("id", "d", "latitude", "abc"))                      // line 8
		p := decodeBytes(t, []byte(in))
		if len(p.Rejected) != 2 || p.Rejected[0].Position != 4 || p.Rejected[1].Position != 8 ||
			p.Rejected[0].ID != "b" || p.Rejected[1].ID != "d" {
			t.Fatalf("rejections %+v", p.Rejected)
		}
		if fmt.Sprint(p.ServicePositions, p.StructurePositions) != "[2 5] [2]" {
			t.Errorf("positions of valid rows: %v %v", p.ServicePositions, p.StructurePositions)
		}
		if p.Rejected[1].Reason != "latitude : « abc » n’est pas un nombre" {
			t.Errorf("reason %q", p.Rejected[1].Reason)
		}
	})
	t.Run("lignes vides ignorées sans fausser les numéros", func(t *testing.T) {
		t.Parallel()
		in := "\n\n" + csvText(";", baseCols, csvRow("id", "a")) + "\r\n" + strings.Repeat(";", len(baseCols)-1) + "\r\n" +
			strings.TrimPrefix(csvText(";", baseCols, csvRow("id", "b", "nom", "x")), strings.Join(baseCols, ";")+"\r\n")
		p := decodeBytes(t, []byte(in))
		if len(p.Services) != 1 || len(p.Rejected) != 1 || p.Rejected[0].Position != 7 {
			t.Fatalf("got services %d, rejections %+v", len(p.Services), p.Rejected)
		}
	})
	t.Run("en-tête seul", func(t *testing.T) {
		t.Parallel()
		p := decodeBytes(t, []byte(strings.Join(baseCols, ";")))
		if p.Read != 0 || p.Format != FormatCSV {
			t.Errorf("got %+v", p)
		}
	})
	t.Run("en-tête en majuscules avec espaces", func(t *testing.T) {
		t.Parallel()
		cols := append([]string(nil), baseCols...)
		cols[3] = " Nom "
		r := csvRow()
		r[" Nom "] = r["nom"]
		p := decodeBytes(t, []byte(csvText(";", cols, r)))
		if len(p.Services) != 1 || p.Services[0].Nom != "Atelier cuisine" {
			t.Errorf("got %+v", p)
		}
	})
	t.Run("peut_donner", func(t *testing.T) {
		t.Parallel()
		for cell, want := range map[string]bool{"oui": true, "OUI": true, "true": true, "1": true, "Vrai": true,
			"non": false, "false": false, "0": false, "": false, "faux": false} {
			p := decodeBytes(t, []byte(csvText(";", baseCols, csvRow("peut_donner", cell))))
			if len(p.Services) != 1 || p.Services[0].PeutDonner != want {
				t.Errorf("peut_donner %q: got %+v", cell, p)
			}
		}
		r := onlyRejectionOf(t, decodeBytes(t, []byte(csvText(";", baseCols, csvRow("peut_donner", "peut-être")))).Rejected)
		if r.Reason != "peut_donner : « peut-être » n’est pas « oui » ou « non »" {
			t.Errorf("got %q", r.Reason)
		}
	})
	t.Run("listes", func(t *testing.T) {
		t.Parallel()
		p := decodeBytes(t, []byte(csvText(";", baseCols, csvRow("publics", " jeunes | femmes "))))
		if len(p.Services) != 1 || strings.Join(p.Services[0].Publics, ",") != "jeunes,femmes" {
			t.Fatalf("got %+v", p)
		}
		r := onlyRejectionOf(t, decodeBytes(t, []byte(csvText(";", baseCols, csvRow("publics", "jeunes||femmes")))).Rejected)
		if r.Reason != "publics : « jeunes||femmes » contient un élément vide (les valeurs sont séparées par « | »)" {
			t.Errorf("got %q", r.Reason)
		}
	})
}

// TestDecode_CSVValidation checks that CSV rows get the JSON rules, with reasons naming the
// columns.
func TestDecode_CSVValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		row  map[string]string
		want string
	}{
		{"nom vide", csvRow("nom", ""), "nom : obligatoire, ne doit pas être vide"},
		{"latitude texte", csvRow("latitude", "48.8N"), "latitude : « 48.8N » n’est pas un nombre"},
		{"latitude NaN", csvRow("latitude", "NaN"), "latitude : « NaN » n’est pas un nombre"},
		{"latitude hexadécimale", csvRow("latitude", "0x30"), "latitude : « 0x30 » n’est pas un nombre"},
		{"nombre_semaines décimal", csvRow("nombre_semaines", "2,5"), "nombre_semaines : « 2.5 » n’est pas un nombre entier"},
		{"nombre_semaines texte", csvRow("nombre_semaines", "deux"), "nombre_semaines : « deux » n’est pas un nombre entier"},
		{"nombre_semaines zéro", csvRow("nombre_semaines", "0"), "nombre_semaines : 0 est inférieur au minimum 1"},
		{"longitude seule", csvRow("latitude", ""), "longitude : 2.2641 est donnée sans latitude"},
		{"inversées", csvRow("latitude", "2.2641", "longitude", "48.8232"), "latitude, longitude : latitude et longitude semblent inversées"},
		{"catégorie inconnue", csvRow("categorie", "potager"), "categorie : « potager » n’est pas une catégorie du guide"},
		{"thématique inconnue", csvRow("thematiques", "sante"), "thematiques : « sante » n’est pas une thématique"},
		{"tous-publics combiné", csvRow("publics", "tous-publics|jeunes"), "publics : « tous-publics » ne peut pas être combiné"},
		{"date", csvRow("date_maj", "15/01/2025"), "date_maj : « 15/01/2025 » n’est pas une date réelle"},
		{"siret de la structure", csvRow("structure_siret", "123 456"), "structure_siret : « 123 456 » n’est pas un numéro SIRET"},
		{"commune de la structure", csvRow("structure_code_insee", "92999"), "structure_code_insee : « 92999 » n’est pas le code INSEE d’une des 36 communes"},
		{"coordonnées de la structure", csvRow("structure_latitude", "0", "structure_longitude", "0"), "structure_latitude, structure_longitude : le point (0, 0) est hors de France"},
		{"nom de structure manquant", csvRow("structure_nom", ""), "structure_nom : obligatoire sur la première ligne de la structure « cd92--st-1 »"},
		{"structure_id vide", csvRow("structure_id", ""), "structure_id : obligatoire, ne doit pas être vide"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := decodeBytes(t, []byte(csvText(";", baseCols, tc.row)))
			r := onlyRejection(t, p)
			if r.Reason != tc.want && !strings.HasPrefix(r.Reason, tc.want) {
				t.Errorf("reason %q\nwant      %q", r.Reason, tc.want)
			}
			if r.Position != 2 {
				t.Errorf("position %d, want line 2", r.Position)
			}
		})
	}
	t.Run("date de la structure reprise du service", func(t *testing.T) {
		t.Parallel()
		p := decodeBytes(t, []byte(csvText(";", baseCols, csvRow("structure_date_maj", ""))))
		if len(p.Structures) != 1 || p.Structures[0].DateMaj != "2025-01-15" {
			t.Errorf("got %+v", p)
		}
	})
	t.Run("plusieurs problèmes sur une ligne", func(t *testing.T) {
		t.Parallel()
		r := onlyRejection(t, decodeBytes(t, []byte(csvText(";", baseCols, csvRow("nom", "ab", "latitude", "x", "structure_siret", "1")))))
		if r.Reason != "nom : « ab » compte 2 caractères, il en faut entre 3 et 150 ; latitude : « x » n’est pas un nombre ; structure_siret : « 1 » n’est pas un numéro SIRET (14 chiffres)" {
			t.Errorf("got %q", r.Reason)
		}
	})
}

// TestDecode_CSVStructures checks how rows share a structure.
func TestDecode_CSVStructures(t *testing.T) {
	t.Parallel()
	t.Run("structure partagée, cellules vides ou identiques", func(t *testing.T) {
		t.Parallel()
		in := csvText(";", baseCols,
			csvRow("id", "a"),
			csvRow("id", "b", "structure_nom", "", "structure_siret", "", "structure_code_insee", "", "structure_latitude", "", "structure_longitude", "", "structure_date_maj", ""),
			csvRow("id", "c", "structure_latitude", "48,82"))
		p := decodeBytes(t, []byte(in))
		if len(p.Structures) != 1 || len(p.Services) != 3 || len(p.Rejected) != 0 || p.Read != 4 {
			t.Fatalf("got %d structures, %d services, rejected %+v", len(p.Structures), len(p.Services), p.Rejected)
		}
	})
	t.Run("structure décrite autrement plus loin", func(t *testing.T) {
		t.Parallel()
		in := csvText(";", baseCols,
			csvRow("id", "a"),
			csvRow("id", "b", "structure_nom", "Centre Social", "structure_siret", ""),
			csvRow("id", "c", "structure_latitude", "48.83", "structure_date_maj", "2025-01-01"))
		p := decodeBytes(t, []byte(in))
		if len(p.Structures) != 1 || len(p.Services) != 1 || len(p.Rejected) != 2 {
			t.Fatalf("got %d structures, %d services, rejected %+v", len(p.Structures), len(p.Services), p.Rejected)
		}
		if r := p.Rejected[0]; r.Position != 3 || r.ID != "b" ||
			r.Reason != "structure_nom : « Centre Social » diffère de la valeur donnée ligne 2 pour la même structure (« Centre social »)" {
			t.Errorf("got %+v", r)
		}
		if r := p.Rejected[1]; r.Position != 4 ||
			r.Reason != "structure_date_maj : « 2025-01-01 » diffère de la valeur donnée ligne 2 pour la même structure (« 2024-12-01 ») ; "+
				"structure_latitude : « 48.83 » diffère de la valeur donnée ligne 2 pour la même structure (« 48.82 »)" {
			t.Errorf("got %+v", r)
		}
	})
	t.Run("valeur ajoutée à une structure qui n'en avait pas", func(t *testing.T) {
		t.Parallel()
		in := csvText(";", baseCols, csvRow("id", "a", "structure_siret", ""), csvRow("id", "b"))
		p := decodeBytes(t, []byte(in))
		r := onlyRejectionOf(t, p.Rejected)
		if r.Reason != "structure_siret : « 12345678900017 » diffère de la valeur donnée ligne 2 pour la même structure (vide)" {
			t.Errorf("got %q", r.Reason)
		}
	})
	t.Run("première ligne rejetée : la suivante décrit la structure", func(t *testing.T) {
		t.Parallel()
		in := csvText(";", baseCols, csvRow("id", "a", "structure_siret", "1"), csvRow("id", "b", "structure_nom", ""), csvRow("id", "c"))
		p := decodeBytes(t, []byte(in))
		if len(p.Rejected) != 2 || len(p.Services) != 1 || p.Services[0].ID != "c" || len(p.Structures) != 1 {
			t.Fatalf("got %d structures, services %+v, rejected %+v", len(p.Structures), p.Services, p.Rejected)
		}
		if !strings.Contains(p.Rejected[1].Reason, "structure_nom : obligatoire sur la première ligne") {
			t.Errorf("got %q", p.Rejected[1].Reason)
		}
	})
	t.Run("ligne de structure sans service", func(t *testing.T) {
		t.Parallel()
		r := map[string]string{"structure_id": "cd92--st-9", "source": "", "structure_nom": "Ressourcerie",
			"structure_date_maj": "2025-02-02"}
		cols := append([]string{"structure_source"}, baseCols...)
		r["structure_source"] = "cd92"
		p := decodeBytes(t, []byte(csvText(";", cols, r)))
		if len(p.Structures) != 1 || len(p.Services) != 0 || len(p.Rejected) != 0 || p.Structures[0].Source != "cd92" {
			t.Fatalf("got %+v", p)
		}
		delete(r, "structure_date_maj")
		rej := onlyRejection(t, decodeBytes(t, []byte(csvText(";", cols, r))))
		if rej.ID != "cd92--st-9" || rej.Reason != "structure_date_maj : obligatoire, ne doit pas être vide" {
			t.Errorf("got %+v", rej)
		}
	})
	t.Run("service en double", func(t *testing.T) {
		t.Parallel()
		in := csvText(";", baseCols, csvRow(), csvRow("description", "autre\ntexte"), csvRow())
		p := decodeBytes(t, []byte(in))
		if len(p.Rejected) != 2 || p.Rejected[0].Reason != "id : identifiant « cd92--sv-1 » déjà présent ligne 2" || p.Rejected[1].Position != 5 {
			t.Errorf("got %+v", p.Rejected)
		}
	})
	t.Run("nombre de colonnes", func(t *testing.T) {
		t.Parallel()
		in := csvText(";", baseCols, csvRow()) + "a;b;c\r\n"
		p := decodeBytes(t, []byte(in))
		r := onlyRejectionOf(t, p.Rejected)
		if r.Position != 3 || r.Reason != "la ligne compte 3 colonnes au lieu de 20 (vérifiez le séparateur et les guillemets)" {
			t.Errorf("got %+v", r)
		}
	})
}

// TestDecode_CSVFileErrors checks the spreadsheets that cannot be read at all.
func TestDecode_CSVFileErrors(t *testing.T) {
	t.Parallel()
	good := csvText(";", baseCols, csvRow())
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"colonne inconnue", csvText(";", append(append([]string(nil), baseCols...), "Remarques", "ville"), csvRow()),
			"a des colonnes inconnues : « Remarques », « ville »"},
		{"colonnes obligatoires manquantes", csvText(";", baseCols[3:], csvRow()),
			"Il manque au fichier « test » des colonnes obligatoires : « source », « id », « structure_id »."},
		{"structure_nom manquant", csvText(";", []string{"id", "source", "structure_id", "nom", "description", "date_maj"}, csvRow()),
			"des colonnes obligatoires : « structure_nom »"},
		{"colonne en double", csvText(";", append(append([]string(nil), baseCols...), "NOM"), csvRow()), "a deux colonnes « nom » (colonnes 4 et 21)"},
		{"colonne sans nom", csvText(";", append(append([]string(nil), baseCols...), ""), csvRow()), "a une colonne sans nom (colonne 21"},
		{"guillemets jamais refermés", good + "\"a;b\r\nc;d\r\n", "a des guillemets jamais refermés (cellule commencée ligne 3)"},
		{"guillemet mal placé", good + strings.Replace(strings.SplitN(good, "\r\n", 2)[1], "Atelier cuisine", `"Atelier" cuisine`, 1), "a un guillemet mal placé ligne 3"},
		{"Windows-1252", good + "x;cd92;s;Caf\xe9;Une description;2025-01-01\r\n", "n’est pas encodé en UTF-8 (ligne 3)"},
		{"une seule colonne", "bonjour\nle monde\n", "a des colonnes inconnues : « bonjour »"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			msg := decodeErr(t, []byte(tc.in))
			if !strings.Contains(msg, tc.want) {
				t.Errorf("message %q\ndoes not contain %q", msg, tc.want)
			}
		})
	}
	t.Run("CSV imposé sur du JSON", func(t *testing.T) {
		t.Parallel()
		_, err := Decode(bytes.NewReader(mustJSON(t, []any{validService()})), "test", Options{Format: FormatCSV})
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("got %v", err)
		}
	})
}
