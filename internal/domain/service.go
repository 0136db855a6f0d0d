package domain

import (
	"encoding/json"
	"time"
)

// Service is one thing a structure offers: a data·inclusion v1 service, every field kept as
// received (nil pointer or nil slice = null), plus the fields the département's guide needs.
type Service struct {
	Meta `json:"-"`

	ID                        string   `json:"id"`
	Source                    string   `json:"source"`
	StructureID               string   `json:"structure_id"`
	Nom                       string   `json:"nom"`
	Description               string   `json:"description"`
	DateMaj                   string   `json:"date_maj"` // YYYY-MM-DD
	Type                      *string  `json:"type,omitzero"`
	Thematiques               []string `json:"thematiques,omitzero"`
	Frais                     *string  `json:"frais,omitzero"`
	FraisPrecisions           *string  `json:"frais_precisions,omitzero"`
	Publics                   []string `json:"publics,omitzero"`
	PublicsPrecisions         *string  `json:"publics_precisions,omitzero"`
	ConditionsAcces           *string  `json:"conditions_acces,omitzero"`
	Telephone                 *string  `json:"telephone,omitzero"`
	Courriel                  *string  `json:"courriel,omitzero"`
	ContactNomPrenom          *string  `json:"contact_nom_prenom,omitzero"`
	ModesAccueil              []string `json:"modes_accueil,omitzero"`
	ZoneEligibilite           []string `json:"zone_eligibilite,omitzero"`
	LienMobilisation          *string  `json:"lien_mobilisation,omitzero"`
	ModesMobilisation         []string `json:"modes_mobilisation,omitzero"`
	MobilisablePar            []string `json:"mobilisable_par,omitzero"`
	MobilisationPrecisions    *string  `json:"mobilisation_precisions,omitzero"`
	Adresse                   *string  `json:"adresse,omitzero"`
	ComplementAdresse         *string  `json:"complement_adresse,omitzero"`
	CodePostal                *string  `json:"code_postal,omitzero"`
	CodeInsee                 *string  `json:"code_insee,omitzero"`
	Commune                   *string  `json:"commune,omitzero"`
	Latitude                  *float64 `json:"latitude,omitzero"`
	Longitude                 *float64 `json:"longitude,omitzero"`
	HorairesAccueil           *string  `json:"horaires_accueil,omitzero"` // OpenStreetMap opening_hours
	LienSource                *string  `json:"lien_source,omitzero"`
	NombreSemaines            *int     `json:"nombre_semaines,omitzero"`
	VolumeHoraireHebdomadaire *float64 `json:"volume_horaire_hebdomadaire,omitzero"`

	// Local fields of the département's guide, exported as documented extension fields.
	Categorie      string `json:"passerelle_categorie,omitempty"`       // a local category code (vocab.Categories)
	PeutDonner     bool   `json:"passerelle_peut_donner,omitempty"`     // a usager can also give there (volunteer, skills)
	AccesTransport string `json:"passerelle_acces_transport,omitempty"` // how to get there

	// Extra holds the record's fields that neither data·inclusion v1 nor Passerelle define,
	// unchanged, so that an import followed by an export gives the record back.
	Extra map[string]json.RawMessage `json:"-"`
}

// Note is a worker's private note on a service. Notes never leave the desk's EDAS and are never
// exported with the directory.
type Note struct {
	ServiceUUID string    `json:"service_uuid"`
	Body        string    `json:"body"`
	UpdatedAt   time.Time `json:"updated_at"`
}
