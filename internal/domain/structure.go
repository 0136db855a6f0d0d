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
	Siret             *string  `json:"siret"`
	Telephone         *string  `json:"telephone"`
	Courriel          *string  `json:"courriel"`
	SiteWeb           *string  `json:"site_web"`
	LienSource        *string  `json:"lien_source"`
	HorairesAccueil   *string  `json:"horaires_accueil"` // OpenStreetMap opening_hours
	AccessibiliteLieu *string  `json:"accessibilite_lieu"`
	ReseauxPorteurs   []string `json:"reseaux_porteurs"`
	Description       *string  `json:"description"`
	Adresse           *string  `json:"adresse"`
	ComplementAdresse *string  `json:"complement_adresse"`
	CodePostal        *string  `json:"code_postal"`
	CodeInsee         *string  `json:"code_insee"`
	Commune           *string  `json:"commune"`
	Latitude          *float64 `json:"latitude"`
	Longitude         *float64 `json:"longitude"`

	// Extra holds the record's fields that data·inclusion v1 does not define, unchanged, so that
	// an import followed by an export gives the record back.
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
