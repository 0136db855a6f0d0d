package domain

import (
	"encoding/json"
	"time"
)

// Origin says where a directory record came from.
type Origin string

const (
	OriginImport   Origin = "import"      // from a data·inclusion or CSV file
	OriginDemo     Origin = "demo"        // from the embedded demo directory (fictitious)
	OriginProposal Origin = "proposition" // proposed by a worker on this desk
)

// DemoSource is the data·inclusion source of the embedded demo directory.
const DemoSource = "passerelle-demo"

// LocalSource is the data·inclusion source of records created on the desk; their identifier is
// LocalSource + "--" + UUID.
const LocalSource = "passerelle"

// Meta is what Passerelle keeps about every synced record besides its content.
type Meta struct {
	UUID      string     `json:"-"`
	Origin    Origin     `json:"-"`
	CreatedAt time.Time  `json:"-"`
	UpdatedAt time.Time  `json:"-"`
	DeletedAt *time.Time `json:"-"` // soft deletion: nil while the record is live
}

// Structure is an organisation of the directory: a data·inclusion v1 structure, every field kept
// as received (nil pointer or nil slice = null), plus the fields no standard knows in Extra.
type Structure struct {
	Meta `json:"-"`

	ID                string   `json:"id"`
	Source            string   `json:"source"`
	Nom               string   `json:"nom"`
	DateMaj           string   `json:"date_maj"` // YYYY-MM-DD
	Siret             *string  `json:"siret,omitzero"`
	Telephone         *string  `json:"telephone,omitzero"`
	Courriel          *string  `json:"courriel,omitzero"`
	SiteWeb           *string  `json:"site_web,omitzero"`
	LienSource        *string  `json:"lien_source,omitzero"`
	HorairesAccueil   *string  `json:"horaires_accueil,omitzero"` // OpenStreetMap opening_hours
	AccessibiliteLieu *string  `json:"accessibilite_lieu,omitzero"`
	ReseauxPorteurs   []string `json:"reseaux_porteurs,omitzero"`
	Description       *string  `json:"description,omitzero"`
	Adresse           *string  `json:"adresse,omitzero"`
	ComplementAdresse *string  `json:"complement_adresse,omitzero"`
	CodePostal        *string  `json:"code_postal,omitzero"`
	CodeInsee         *string  `json:"code_insee,omitzero"`
	Commune           *string  `json:"commune,omitzero"`
	Latitude          *float64 `json:"latitude,omitzero"`
	Longitude         *float64 `json:"longitude,omitzero"`

	// Extra holds the record's fields that data·inclusion v1 does not define, unchanged, so that
	// an import followed by an export gives the record back. (The json tags serve storage:
	// omitzero leaves null fields out of the stored text; the data·inclusion export writes them.)
	Extra map[string]json.RawMessage `json:"-"`
}

// Str returns the value of an optional text field, "" for null.
func Str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Ptr returns a pointer to v; handy to fill optional fields.
func Ptr[T any](v T) *T { return &v }
