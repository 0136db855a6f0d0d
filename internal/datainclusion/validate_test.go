package datainclusion

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/vocab"
)

// TestDecode_ValidationRules checks every validation rule with one bad field per case: the
// record is rejected, and the French reason names the field and says what is wrong.
func TestDecode_ValidationRules(t *testing.T) {
	t.Parallel()
	sv, st := validService(), validStructure()
	long := strings.Repeat("é", 151)
	tests := []struct {
		name string
		rec  map[string]any
		want []string // fragments of the reason; the first names the field
	}{
		// required fields
		{"service sans source", with(sv, "source", absent), []string{"source : champ obligatoire absent"}},
		{"service sans structure_id", with(sv, "structure_id", absent), []string{"structure_id : champ obligatoire absent"}},
		{"service sans id", with(sv, "id", absent), []string{"id : champ obligatoire absent"}},
		{"service sans nom", with(sv, "nom", absent), []string{"nom : champ obligatoire absent"}},
		{"service sans description", with(sv, "description", absent), []string{"description : champ obligatoire absent"}},
		{"service sans date_maj", with(sv, "date_maj", absent), []string{"date_maj : champ obligatoire absent"}},
		{"structure sans source", with(st, "source", absent), []string{"source : champ obligatoire absent"}},
		{"structure sans id", with(st, "id", absent), []string{"id : champ obligatoire absent"}},
		{"structure sans nom", with(st, "nom", absent), []string{"nom : champ obligatoire absent"}},
		{"structure sans date_maj", with(st, "date_maj", absent), []string{"date_maj : champ obligatoire absent"}},
		{"nom null", with(sv, "nom", nil), []string{"nom : obligatoire, ne peut pas être null"}},
		{"structure_id null", with(sv, "structure_id", nil), []string{"structure_id : obligatoire, ne peut pas être null"}},

		// JSON types are never converted
		{"latitude en chaîne", with(sv, "latitude", "48.8232"), []string{"latitude : doit être un nombre ou null, pas une chaîne de caractères", `"48.8232"`}},
		{"longitude booléen", with(st, "longitude", true), []string{"longitude : doit être un nombre ou null, pas un booléen"}},
		{"nom nombre", with(sv, "nom", 42), []string{"nom : doit être une chaîne de caractères, pas un nombre", "42"}},
		{"id nombre", with(st, "id", 17), []string{"id : doit être une chaîne de caractères, pas un nombre"}},
		{"telephone tableau", with(sv, "telephone", []any{"01"}), []string{"telephone : doit être une chaîne de caractères ou null, pas un tableau"}},
		{"thematiques chaîne", with(sv, "thematiques", "remobilisation--lien-social"), []string{"thematiques : doit être une liste (tableau) ou null, pas une chaîne"}},
		{"thematiques élément nombre", with(sv, "thematiques", []any{"remobilisation--lien-social", 3}), []string{"thematiques : l’élément 2 doit être une chaîne de caractères, pas un nombre"}},
		{"nombre_semaines chaîne", with(sv, "nombre_semaines", "3"), []string{"nombre_semaines : doit être un nombre entier ou null, pas une chaîne"}},
		{"volume objet", with(sv, "volume_horaire_hebdomadaire", map[string]any{}), []string{"volume_horaire_hebdomadaire : doit être un nombre ou null, pas un objet"}},

		// lengths
		{"nom trop court", with(sv, "nom", "ab"), []string{"nom : « ab » compte 2 caractères, il en faut entre 3 et 150"}},
		{"nom vide", with(sv, "nom", ""), []string{"nom : obligatoire, ne doit pas être vide"}},
		{"nom trop long", with(st, "nom", long), []string{"nom : « éééé", "compte 151 caractères"}},
		{"description trop courte", with(sv, "description", "abcd"), []string{"description : « abcd » compte 4 caractères, il en faut entre 5 et 10000"}},
		{"description trop longue", with(sv, "description", strings.Repeat("a", 10001)), []string{"description : ", "compte 10001 caractères"}},
		{"description de structure trop courte", with(st, "description", "abc"), []string{"description : « abc » compte 3 caractères"}},

		// patterns
		{"code_insee à 4 chiffres", with(sv, "code_insee", "9204"), []string{"code_insee : « 9204 » n’est pas un code INSEE de commune (5 caractères)"}},
		{"code_insee avec espace", with(st, "code_insee", "92 04"), []string{"code_insee : « 92 04 »"}},
		{"code_postal à 4 chiffres", with(sv, "code_postal", "9213"), []string{"code_postal : « 9213 » n’est pas un code postal (5 chiffres)"}},
		{"code_postal avec lettre", with(st, "code_postal", "A2130"), []string{"code_postal : « A2130 »"}},
		{"siret court", with(st, "siret", "123"), []string{"siret : « 123 » n’est pas un numéro SIRET (14 chiffres)"}},
		{"siret avec lettre", with(st, "siret", "1234567890123X"), []string{"siret : « 1234567890123X »"}},

		// formats
		{"date impossible", with(sv, "date_maj", "2025-02-30"), []string{"date_maj : « 2025-02-30 » n’est pas une date réelle au format AAAA-MM-JJ"}},
		{"date française", with(st, "date_maj", "15/01/2025"), []string{"date_maj : « 15/01/2025 »"}},
		{"date sans zéros", with(sv, "date_maj", "2025-1-5"), []string{"date_maj : « 2025-1-5 »"}},
		{"courriel sans arobase", with(sv, "courriel", "pas-une-adresse"), []string{"courriel : « pas-une-adresse » n’est pas une adresse de courriel valide"}},
		{"courriel avec espace", with(st, "courriel", "jean dupont@exemple.fr"), []string{"courriel : « jean dupont@exemple.fr »"}},
		{"courriel sans point dans le domaine", with(sv, "courriel", "contact@mairie"), []string{"courriel : « contact@mairie »"}},
		{"courriel double point", with(sv, "courriel", "a..b@exemple.fr"), []string{"courriel : « a..b@exemple.fr »"}},
		{"site_web sans schéma", with(st, "site_web", "www.exemple.fr"), []string{"site_web : « www.exemple.fr » n’est pas une adresse web complète : il manque « https:// »"}},
		{"site_web ftp", with(st, "site_web", "ftp://exemple.fr"), []string{"site_web : « ftp://exemple.fr » n’est pas une adresse web complète (http:// ou https://)"}},
		{"lien_source relatif", with(sv, "lien_source", "/services/1"), []string{"lien_source : « /services/1 »"}},
		{"lien_mobilisation javascript", with(sv, "lien_mobilisation", "javascript:alert(1)"), []string{"lien_mobilisation : « javascript:alert(1) »"}},
		{"accessibilite_lieu vide", with(st, "accessibilite_lieu", ""), []string{"accessibilite_lieu : ne doit pas être vide"}},
		{"lien_source trop long", with(st, "lien_source", "https://exemple.fr/"+strings.Repeat("a", 2070)), []string{"lien_source : ", "compte 2089 caractères, 2083 au plus"}},

		// vocabularies
		{"thematique catégorie", with(sv, "thematiques", []any{"sante"}), []string{"thematiques : « sante » n’est pas une thématique data·inclusion"}},
		{"public inconnu", with(sv, "publics", []any{"enfants"}), []string{"publics : « enfants » n’est pas un public data·inclusion"}},
		{"frais inconnu", with(sv, "frais", "libre"), []string{"frais : « libre » n’est pas une valeur de frais (valeurs possibles : gratuit, payant)"}},
		{"type inconnu", with(sv, "type", "autre"), []string{"type : « autre » n’est pas un type de service data·inclusion"}},
		{"mode d'accueil inconnu", with(sv, "modes_accueil", []any{"sur-place"}), []string{"modes_accueil : « sur-place » n’est pas un mode d’accueil"}},
		{"mode de mobilisation inconnu", with(sv, "modes_mobilisation", []any{"courrier"}), []string{"modes_mobilisation : « courrier » n’est pas un mode de mobilisation"}},
		{"mobilisable_par inconnu", with(sv, "mobilisable_par", []any{"tous"}), []string{"mobilisable_par : « tous » n’est pas une personne mobilisatrice"}},
		{"réseau porteur inconnu", with(st, "reseaux_porteurs", []any{"inconnu"}), []string{"reseaux_porteurs : « inconnu » n’est pas un réseau porteur"}},
		{"tous-publics combiné", with(sv, "publics", []any{"tous-publics", "jeunes"}), []string{"publics : « tous-publics » ne peut pas être combiné avec d’autres publics (tous-publics, jeunes)"}},

		// arrays
		{"thematiques en double", with(sv, "thematiques", []any{"remobilisation--lien-social", "remobilisation--lien-social"}), []string{"thematiques : « remobilisation--lien-social » figure plusieurs fois"}},
		{"publics en double", with(sv, "publics", []any{"jeunes", "jeunes"}), []string{"publics : « jeunes » figure plusieurs fois"}},
		{"modes_accueil en double", with(sv, "modes_accueil", []any{"a-distance", "a-distance"}), []string{"modes_accueil : « a-distance » figure plusieurs fois"}},
		{"reseaux en double", with(st, "reseaux_porteurs", []any{"caf", "caf"}), []string{"reseaux_porteurs : « caf » figure plusieurs fois"}},
		{"mobilisable_par en double", with(sv, "mobilisable_par", []any{"usagers", "usagers"}), []string{"mobilisable_par : « usagers » figure plusieurs fois"}},
		{"modes_mobilisation en double", with(sv, "modes_mobilisation", []any{"telephoner", "telephoner"}), []string{"modes_mobilisation : « telephoner » figure plusieurs fois"}},
		{"publics vide", with(sv, "publics", []any{}), []string{"publics : la liste ne peut pas être vide"}},
		{"modes_mobilisation vide", with(sv, "modes_mobilisation", []any{}), []string{"modes_mobilisation : la liste ne peut pas être vide"}},
		{"mobilisable_par vide", with(sv, "mobilisable_par", []any{}), []string{"mobilisable_par : la liste ne peut pas être vide"}},
		{"zone vide", with(sv, "zone_eligibilite", []any{}), []string{"zone_eligibilite : la liste ne peut pas être vide"}},

		// numbers
		{"nombre_semaines zéro", with(sv, "nombre_semaines", 0), []string{"nombre_semaines : 0 est inférieur au minimum 1"}},
		{"nombre_semaines négatif", with(sv, "nombre_semaines", -2), []string{"nombre_semaines : -2 est inférieur au minimum 1"}},
		{"nombre_semaines décimal", with(sv, "nombre_semaines", 2.5), []string{"nombre_semaines : « 2.5 » n’est pas un nombre entier"}},
		{"volume négatif", with(sv, "volume_horaire_hebdomadaire", -1), []string{"volume_horaire_hebdomadaire : -1 ne peut pas être négatif"}},

		// zone_eligibilite patterns
		{"zone d'un caractère", with(sv, "zone_eligibilite", []any{"9"}), []string{"zone_eligibilite : « 9 » n’est pas un code de zone"}},
		{"zone avec tiret", with(sv, "zone_eligibilite", []any{"92040", "92-04"}), []string{"zone_eligibilite : « 92-04 »"}},
		{"zone FRANCE", with(sv, "zone_eligibilite", []any{"FRANCE"}), []string{"zone_eligibilite : « FRANCE »"}},
		{"zone de 10 chiffres", with(sv, "zone_eligibilite", []any{"1234567890"}), []string{"zone_eligibilite : « 1234567890 »"}},

		// coordinates
		{"latitude hors bornes", with(sv, "latitude", 95), []string{"latitude : 95 n’est pas une latitude (entre -90 et 90)"}},
		{"longitude hors bornes", with(st, "longitude", 200), []string{"longitude : 200 n’est pas une longitude (entre -180 et 180)"}},
		{"latitude seule", with(sv, "longitude", absent), []string{"latitude : 48.8232 est donnée sans longitude"}},
		{"longitude seule", with(st, "latitude", nil), []string{"longitude : 2.2641 est donnée sans latitude"}},
		{"point hors de France", with(sv, "latitude", 0, "longitude", 0), []string{"latitude, longitude : le point (0, 0) est hors de France"}},
		{"point à New York", with(st, "latitude", 40.7, "longitude", -74), []string{"latitude, longitude : le point (40.7, -74) est hors de France"}},
		{"latitude et longitude inversées", with(sv, "latitude", 2.2641, "longitude", 48.8232), []string{"latitude, longitude : latitude et longitude semblent inversées (latitude 2.2641, longitude 48.8232)"}},

		// INSEE codes beyond the schema
		{"commune 92 inconnue", with(sv, "code_insee", "92999"), []string{"code_insee : « 92999 » n’est pas le code INSEE d’une des 36 communes des Hauts-de-Seine"}},
		{"département 00", with(st, "code_insee", "00123"), []string{"code_insee : « 00123 » ne commence pas par un numéro de département existant"}},
		{"département 20", with(sv, "code_insee", "20004"), []string{"code_insee : « 20004 » ne commence pas"}},
		{"département 96", with(sv, "code_insee", "96001"), []string{"code_insee : « 96001 » ne commence pas"}},
		{"outre-mer 977", with(sv, "code_insee", "97701"), []string{"code_insee : « 97701 » ne commence pas"}},
		{"Corse en minuscules", with(st, "code_insee", "2a004"), []string{"code_insee : « 2a004 » ne commence pas"}},
		{"lettres après le département", with(st, "code_insee", "75ABC"), []string{"code_insee : « 75ABC » ne commence pas"}},

		// identifiers
		{"id vide", with(sv, "id", ""), []string{"id : obligatoire, ne doit pas être vide"}},
		{"source vide", with(st, "source", ""), []string{"source : obligatoire, ne doit pas être vide"}},
		{"structure_id vide", with(sv, "structure_id", ""), []string{"structure_id : obligatoire, ne doit pas être vide"}},

		// extension fields
		{"catégorie inconnue", with(sv, "passerelle_categorie", "cafe"), []string{"passerelle_categorie : « cafe » n’est pas une catégorie du guide (tiers-lieu, epicerie-solidaire"}},
		{"catégorie vide", with(sv, "passerelle_categorie", ""), []string{"passerelle_categorie : ne doit pas être vide"}},
		{"catégorie nombre", with(sv, "passerelle_categorie", 3), []string{"passerelle_categorie : doit être une chaîne de caractères ou null, pas un nombre"}},
		{"peut_donner en texte", with(sv, "passerelle_peut_donner", "oui"), []string{"passerelle_peut_donner : doit être un booléen (true ou false), pas une chaîne", `"oui"`}},
		{"acces_transport nombre", with(sv, "passerelle_acces_transport", 12), []string{"passerelle_acces_transport : doit être une chaîne de caractères ou null, pas un nombre"}},
		{"acces_transport vide", with(sv, "passerelle_acces_transport", ""), []string{"passerelle_acces_transport : ne doit pas être vide"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := decodeBytes(t, mustJSON(t, []any{tc.rec}))
			r := onlyRejection(t, p)
			for _, w := range tc.want {
				if !strings.Contains(r.Reason, w) {
					t.Errorf("reason %q\ndoes not contain %q", r.Reason, w)
				}
			}
			if strings.Count(r.Reason, " ; ") != 0 {
				t.Errorf("one bad field gave several problems: %q", r.Reason)
			}
			if r.Position != 0 {
				t.Errorf("position %d, want 0", r.Position)
			}
			if id, ok := tc.rec["id"].(string); ok && r.ID != id {
				t.Errorf("rejection ID %q, want %q", r.ID, id)
			}
		})
	}
}

// TestDecode_ValidEdgeCases checks values at the edges that must be accepted, unchanged.
func TestDecode_ValidEdgeCases(t *testing.T) {
	t.Parallel()
	sv, st := validService(), validStructure()
	tests := []struct {
		name string
		rec  map[string]any
	}{
		{"Corse", with(st, "code_insee", "2A004", "code_postal", "20000", "latitude", 41.92, "longitude", 8.74)},
		{"La Réunion", with(st, "code_insee", "97411", "code_postal", "97400", "latitude", -20.88, "longitude", 55.45)},
		{"Guyane", with(sv, "code_insee", "97302", "latitude", 4.94, "longitude", -52.33)},
		{"Paris arrondissement", with(st, "code_insee", "75115", "latitude", 48.84, "longitude", 2.29)},
		{"sans coordonnées", with(sv, "latitude", nil, "longitude", absent)},
		{"tous-publics seul", with(sv, "publics", []any{"tous-publics"})},
		{"nombre_semaines 3.0 est un entier", with(sv, "nombre_semaines", 3.0)},
		{"volume zéro", with(sv, "volume_horaire_hebdomadaire", 0)},
		{"zones de toutes sortes", with(sv, "zone_eligibilite", []any{"2A", "976", "200054781", "99100", "france", "A_1", "92040", "92040"})},
		{"listes vides permises", with(sv, "thematiques", []any{}, "modes_accueil", []any{})},
		{"extensions nulles", with(sv, "passerelle_categorie", nil, "passerelle_peut_donner", nil, "passerelle_acces_transport", nil)},
		{"peut_donner faux", with(sv, "passerelle_peut_donner", false)},
		{"sans extensions", with(sv, "passerelle_categorie", absent, "passerelle_peut_donner", absent, "passerelle_acces_transport", absent)},
		{"courriel entre guillemets", with(sv, "courriel", `"jean.dupont"@exemple.fr`)},
		{"URL en majuscules", with(st, "site_web", "HTTPS://EXEMPLE.FR/Page?x=1#a")},
		{"nom de 3 caractères", with(sv, "nom", "SEL")},
		{"nom de 150 caractères accentués", with(st, "nom", strings.Repeat("é", 150))},
		{"champ inconnu", with(st, "x-inconnu", map[string]any{"a": []any{1, 2}})},
		{"structure minimale", map[string]any{"id": "a--1", "source": "a", "nom": "Abc", "date_maj": "2020-02-29"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := decodeBytes(t, mustJSON(t, []any{tc.rec}))
			if len(p.Rejected) != 0 {
				t.Fatalf("rejected: %s", p.Rejected[0].Reason)
			}
			if len(p.Structures)+len(p.Services) != 1 {
				t.Fatalf("want one record, got %+v", p)
			}
		})
	}
}

// TestDecode_MultipleProblems checks that a record's reason lists every problem, not the first.
func TestDecode_MultipleProblems(t *testing.T) {
	t.Parallel()
	rec := with(validService(), "nom", "ab", "latitude", "48.8", "publics", []any{"enfants", "tous-publics", "tous-publics"},
		"date_maj", absent, "courriel", "x")
	r := onlyRejection(t, decodeBytes(t, mustJSON(t, []any{rec})))
	for _, w := range []string{"nom : « ab »", "latitude : doit être un nombre", "publics : « enfants »",
		"publics : « tous-publics » figure plusieurs fois", "date_maj : champ obligatoire absent", "courriel : « x »"} {
		if !strings.Contains(r.Reason, w) {
			t.Errorf("reason %q\ndoes not contain %q", r.Reason, w)
		}
	}
	if n := strings.Count(r.Reason, " ; "); n != 5 {
		t.Errorf("want 6 problems joined with « ; », got %d separators: %q", n, r.Reason)
	}
}

// TestValidateService checks the exported validators used for records made on the desk.
func TestValidateService(t *testing.T) {
	t.Parallel()
	sv := domain.Service{ID: "passerelle--1", Source: "passerelle", StructureID: "passerelle--2",
		Nom: "Jardin", Description: "Un jardin partagé.", DateMaj: "2025-05-01",
		Latitude: domain.Ptr(48.82), Longitude: domain.Ptr(2.26), Categorie: "jardin-partage"}
	if err := ValidateService(sv); err != nil {
		t.Fatalf("valid service refused: %v", err)
	}
	sv.Nom, sv.Longitude, sv.Categorie = "J", nil, "potager"
	err := ValidateService(sv)
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("want EINVALID, got %v", err)
	}
	msg := domain.ErrorMessage(err)
	for _, w := range []string{"nom : « J »", "latitude : 48.82 est donnée sans longitude", "passerelle_categorie : « potager »"} {
		if !strings.Contains(msg, w) {
			t.Errorf("message %q does not contain %q", msg, w)
		}
	}
	st := domain.Structure{ID: "x", Source: "y", Nom: "Abc", DateMaj: "2025-13-01", Siret: domain.Ptr("1")}
	if err := ValidateStructure(st); err == nil || !strings.Contains(domain.ErrorMessage(err), "siret : « 1 »") ||
		!strings.Contains(domain.ErrorMessage(err), "date_maj : « 2025-13-01 »") {
		t.Errorf("ValidateStructure = %v", err)
	}
	st.DateMaj, st.Siret = "2025-12-01", nil
	if err := ValidateStructure(st); err != nil {
		t.Errorf("valid structure refused: %v", err)
	}
}

// TestVocabulariesMatchSchema checks that the embedded vocabularies the validator uses are the
// enums of the official schemas, value for value.
func TestVocabulariesMatchSchema(t *testing.T) {
	t.Parallel()
	var schemas [2]struct {
		Defs map[string]struct {
			Enum []string `json:"enum"`
		} `json:"$defs"`
	}
	for i, name := range []string{"service.json", "structure.json"} {
		if err := json.Unmarshal(readFixture(t, "schema/"+name), &schemas[i]); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		def   string
		file  int
		vocab *vocab.Vocabulary
	}{
		{"Thematique", 0, vocab.Thematiques},
		{"Public", 0, vocab.Publics},
		{"Frais", 0, vocab.Frais},
		{"TypeService", 0, vocab.TypesServices},
		{"ModeAccueil", 0, vocab.ModesAccueil},
		{"ModeMobilisation", 0, vocab.ModesMobilisation},
		{"PersonneMobilisatrice", 0, vocab.PersonnesMobilisatrices},
		{"ReseauPorteur", 1, vocab.ReseauxPorteurs},
	}
	for _, tc := range tests {
		t.Run(tc.def, func(t *testing.T) {
			t.Parallel()
			enum := append([]string(nil), schemas[tc.file].Defs[tc.def].Enum...)
			got := values(tc.vocab)
			sort.Strings(enum)
			sort.Strings(got)
			if len(enum) == 0 || !reflect.DeepEqual(got, enum) {
				t.Errorf("vocabulary %s differs from the schema enum:\n got %v\nwant %v", tc.def, got, enum)
			}
		})
	}
}
