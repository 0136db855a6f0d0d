package datainclusion

import (
	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/vocab"
)

// kind is how a field is written in JSON and held in the domain type.
type kind uint8

const (
	kText    kind = iota // required JSON string → string
	kOptText             // string or null → *string
	kList                // array of strings or null → []string (nil = null, empty = [])
	kNumber              // number or null → *float64
	kInteger             // integer or null → *int
	kFlag                // boolean or null → bool; false is written as absence (extension field)
	kExtText             // non-empty string or null → string; "" is absence (extension field)
)

// listRule holds the array keywords of the schema for one list field.
type listRule struct {
	minItems bool                  // "minItems": 1
	unique   bool                  // "uniqueItems": true
	check    func([]string) string // whole-list rule beyond the schema (tous-publics)
}

// field describes one field of a record type R once, for JSON, CSV, validation and export, so
// that the formats cannot drift apart. Exactly one accessor matches the kind.
type field[R any] struct {
	name     string // JSON name
	col      string // CSV column name
	kind     kind
	required bool
	check    func(string) string  // rule on a text value or on each list item; "" when fine
	list     listRule             // kList only
	numCheck func(float64) string // kNumber / kInteger rule; "" when fine

	text  func(*R) *string
	opt   func(*R) **string
	items func(*R) *[]string
	num   func(*R) **float64
	int   func(*R) **int
	flag  func(*R) *bool
}

// fieldSet is the field table of a record type with a name index.
type fieldSet[R any] struct {
	kind   string // domain.KindStructure or domain.KindService
	fields []field[R]
	byName map[string]int // JSON name → index
	byCol  map[string]int // CSV column → index
}

func newFieldSet[R any](k string, fs []field[R]) *fieldSet[R] {
	s := &fieldSet[R]{kind: k, fields: fs, byName: map[string]int{}, byCol: map[string]int{}}
	for i, f := range fs {
		s.byName[f.name] = i
		s.byCol[f.col] = i
	}
	if len(fs) > 64 {
		panic("datainclusion: more than 64 fields do not fit the seen-mask")
	}
	return s
}

// label returns how a field is named in a reason: its JSON name, or its CSV column.
func (f *field[R]) label(csv bool) string {
	if csv {
		return f.col
	}
	return f.name
}

// Structure fields, in the order of domain.Structure (also the export order). In CSV a
// structure's fields are prefixed "structure_"; its id is the service's structure_id column.
var structureFields = newFieldSet(domain.KindStructure, []field[domain.Structure]{
	{name: "id", col: "structure_id", kind: kText, required: true,
		text: func(r *domain.Structure) *string { return &r.ID }},
	{name: "source", col: "structure_source", kind: kText, required: true,
		text: func(r *domain.Structure) *string { return &r.Source }},
	{name: "nom", col: "structure_nom", kind: kText, required: true, check: length(3, 150),
		text: func(r *domain.Structure) *string { return &r.Nom }},
	{name: "date_maj", col: "structure_date_maj", kind: kText, required: true, check: checkDate,
		text: func(r *domain.Structure) *string { return &r.DateMaj }},
	{name: "siret", col: "structure_siret", kind: kOptText, check: checkSiret,
		opt: func(r *domain.Structure) **string { return &r.Siret }},
	{name: "telephone", col: "structure_telephone", kind: kOptText,
		opt: func(r *domain.Structure) **string { return &r.Telephone }},
	{name: "courriel", col: "structure_courriel", kind: kOptText, check: checkEmail,
		opt: func(r *domain.Structure) **string { return &r.Courriel }},
	{name: "site_web", col: "structure_site_web", kind: kOptText, check: checkURL,
		opt: func(r *domain.Structure) **string { return &r.SiteWeb }},
	{name: "lien_source", col: "structure_lien_source", kind: kOptText, check: checkURL,
		opt: func(r *domain.Structure) **string { return &r.LienSource }},
	{name: "horaires_accueil", col: "structure_horaires_accueil", kind: kOptText,
		opt: func(r *domain.Structure) **string { return &r.HorairesAccueil }},
	{name: "accessibilite_lieu", col: "structure_accessibilite_lieu", kind: kOptText, check: checkURL,
		opt: func(r *domain.Structure) **string { return &r.AccessibiliteLieu }},
	{name: "reseaux_porteurs", col: "structure_reseaux_porteurs", kind: kList,
		check: inVocab(vocab.ReseauxPorteurs, "un réseau porteur data·inclusion"), list: listRule{unique: true},
		items: func(r *domain.Structure) *[]string { return &r.ReseauxPorteurs }},
	{name: "description", col: "structure_description", kind: kOptText, check: length(5, 10000),
		opt: func(r *domain.Structure) **string { return &r.Description }},
	{name: "adresse", col: "structure_adresse", kind: kOptText,
		opt: func(r *domain.Structure) **string { return &r.Adresse }},
	{name: "complement_adresse", col: "structure_complement_adresse", kind: kOptText,
		opt: func(r *domain.Structure) **string { return &r.ComplementAdresse }},
	{name: "code_postal", col: "structure_code_postal", kind: kOptText, check: checkCodePostal,
		opt: func(r *domain.Structure) **string { return &r.CodePostal }},
	{name: "code_insee", col: "structure_code_insee", kind: kOptText, check: checkCodeInsee,
		opt: func(r *domain.Structure) **string { return &r.CodeInsee }},
	{name: "commune", col: "structure_commune", kind: kOptText,
		opt: func(r *domain.Structure) **string { return &r.Commune }},
	{name: "latitude", col: "structure_latitude", kind: kNumber, numCheck: checkLatitude,
		num: func(r *domain.Structure) **float64 { return &r.Latitude }},
	{name: "longitude", col: "structure_longitude", kind: kNumber, numCheck: checkLongitude,
		num: func(r *domain.Structure) **float64 { return &r.Longitude }},
})

// Service fields, in the order of domain.Service (also the export order), then the local
// extension fields.
var serviceFields = newFieldSet(domain.KindService, []field[domain.Service]{
	{name: "id", col: "id", kind: kText, required: true,
		text: func(r *domain.Service) *string { return &r.ID }},
	{name: "source", col: "source", kind: kText, required: true,
		text: func(r *domain.Service) *string { return &r.Source }},
	{name: "structure_id", col: "structure_id", kind: kText, required: true,
		text: func(r *domain.Service) *string { return &r.StructureID }},
	{name: "nom", col: "nom", kind: kText, required: true, check: length(3, 150),
		text: func(r *domain.Service) *string { return &r.Nom }},
	{name: "description", col: "description", kind: kText, required: true, check: length(5, 10000),
		text: func(r *domain.Service) *string { return &r.Description }},
	{name: "date_maj", col: "date_maj", kind: kText, required: true, check: checkDate,
		text: func(r *domain.Service) *string { return &r.DateMaj }},
	{name: "type", col: "type", kind: kOptText, check: inVocab(vocab.TypesServices, "un type de service data·inclusion"),
		opt: func(r *domain.Service) **string { return &r.Type }},
	{name: "thematiques", col: "thematiques", kind: kList,
		check: inVocab(vocab.Thematiques, "une thématique data·inclusion"), list: listRule{unique: true},
		items: func(r *domain.Service) *[]string { return &r.Thematiques }},
	{name: "frais", col: "frais", kind: kOptText, check: inVocab(vocab.Frais, "une valeur de frais"),
		opt: func(r *domain.Service) **string { return &r.Frais }},
	{name: "frais_precisions", col: "frais_precisions", kind: kOptText,
		opt: func(r *domain.Service) **string { return &r.FraisPrecisions }},
	{name: "publics", col: "publics", kind: kList,
		check: inVocab(vocab.Publics, "un public data·inclusion"),
		list:  listRule{minItems: true, unique: true, check: checkTousPublics},
		items: func(r *domain.Service) *[]string { return &r.Publics }},
	{name: "publics_precisions", col: "publics_precisions", kind: kOptText,
		opt: func(r *domain.Service) **string { return &r.PublicsPrecisions }},
	{name: "conditions_acces", col: "conditions_acces", kind: kOptText,
		opt: func(r *domain.Service) **string { return &r.ConditionsAcces }},
	{name: "telephone", col: "telephone", kind: kOptText,
		opt: func(r *domain.Service) **string { return &r.Telephone }},
	{name: "courriel", col: "courriel", kind: kOptText, check: checkEmail,
		opt: func(r *domain.Service) **string { return &r.Courriel }},
	{name: "contact_nom_prenom", col: "contact_nom_prenom", kind: kOptText,
		opt: func(r *domain.Service) **string { return &r.ContactNomPrenom }},
	{name: "modes_accueil", col: "modes_accueil", kind: kList,
		check: inVocab(vocab.ModesAccueil, "un mode d’accueil"), list: listRule{unique: true},
		items: func(r *domain.Service) *[]string { return &r.ModesAccueil }},
	// The schema sets no uniqueItems on zone_eligibilite.
	{name: "zone_eligibilite", col: "zone_eligibilite", kind: kList, check: checkZone,
		list:  listRule{minItems: true},
		items: func(r *domain.Service) *[]string { return &r.ZoneEligibilite }},
	{name: "lien_mobilisation", col: "lien_mobilisation", kind: kOptText, check: checkURL,
		opt: func(r *domain.Service) **string { return &r.LienMobilisation }},
	{name: "modes_mobilisation", col: "modes_mobilisation", kind: kList,
		check: inVocab(vocab.ModesMobilisation, "un mode de mobilisation"), list: listRule{minItems: true, unique: true},
		items: func(r *domain.Service) *[]string { return &r.ModesMobilisation }},
	{name: "mobilisable_par", col: "mobilisable_par", kind: kList,
		check: inVocab(vocab.PersonnesMobilisatrices, "une personne mobilisatrice"), list: listRule{minItems: true, unique: true},
		items: func(r *domain.Service) *[]string { return &r.MobilisablePar }},
	{name: "mobilisation_precisions", col: "mobilisation_precisions", kind: kOptText,
		opt: func(r *domain.Service) **string { return &r.MobilisationPrecisions }},
	{name: "adresse", col: "adresse", kind: kOptText,
		opt: func(r *domain.Service) **string { return &r.Adresse }},
	{name: "complement_adresse", col: "complement_adresse", kind: kOptText,
		opt: func(r *domain.Service) **string { return &r.ComplementAdresse }},
	{name: "code_postal", col: "code_postal", kind: kOptText, check: checkCodePostal,
		opt: func(r *domain.Service) **string { return &r.CodePostal }},
	{name: "code_insee", col: "code_insee", kind: kOptText, check: checkCodeInsee,
		opt: func(r *domain.Service) **string { return &r.CodeInsee }},
	{name: "commune", col: "commune", kind: kOptText,
		opt: func(r *domain.Service) **string { return &r.Commune }},
	{name: "latitude", col: "latitude", kind: kNumber, numCheck: checkLatitude,
		num: func(r *domain.Service) **float64 { return &r.Latitude }},
	{name: "longitude", col: "longitude", kind: kNumber, numCheck: checkLongitude,
		num: func(r *domain.Service) **float64 { return &r.Longitude }},
	{name: "horaires_accueil", col: "horaires_accueil", kind: kOptText,
		opt: func(r *domain.Service) **string { return &r.HorairesAccueil }},
	{name: "lien_source", col: "lien_source", kind: kOptText, check: checkURL,
		opt: func(r *domain.Service) **string { return &r.LienSource }},
	{name: "nombre_semaines", col: "nombre_semaines", kind: kInteger, numCheck: atLeast(1),
		int: func(r *domain.Service) **int { return &r.NombreSemaines }},
	{name: "volume_horaire_hebdomadaire", col: "volume_horaire_hebdomadaire", kind: kNumber, numCheck: atLeast(0),
		num: func(r *domain.Service) **float64 { return &r.VolumeHoraireHebdomadaire }},

	{name: "passerelle_categorie", col: "categorie", kind: kExtText, check: checkCategorie,
		text: func(r *domain.Service) *string { return &r.Categorie }},
	{name: "passerelle_peut_donner", col: "peut_donner", kind: kFlag,
		flag: func(r *domain.Service) *bool { return &r.PeutDonner }},
	{name: "passerelle_acces_transport", col: "acces_transport", kind: kExtText,
		text: func(r *domain.Service) *string { return &r.AccesTransport }},
})
