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
	Type                      *string  `json:"type"`
	Thematiques               []string `json:"thematiques"`
	Frais                     *string  `json:"frais"`
	FraisPrecisions           *string  `json:"frais_precisions"`
	Publics                   []string `json:"publics"`
	PublicsPrecisions         *string  `json:"publics_precisions"`
	ConditionsAcces           *string  `json:"conditions_acces"`
	Telephone                 *string  `json:"telephone"`
	Courriel                  *string  `json:"courriel"`
	ContactNomPrenom          *string  `json:"contact_nom_prenom"`
	ModesAccueil              []string `json:"modes_accueil"`
	ZoneEligibilite           []string `json:"zone_eligibilite"`
	LienMobilisation          *string  `json:"lien_mobilisation"`
	ModesMobilisation         []string `json:"modes_mobilisation"`
	MobilisablePar            []string `json:"mobilisable_par"`
	MobilisationPrecisions    *string  `json:"mobilisation_precisions"`
	Adresse                   *string  `json:"adresse"`
	ComplementAdresse         *string  `json:"complement_adresse"`
	CodePostal                *string  `json:"code_postal"`
	CodeInsee                 *string  `json:"code_insee"`
	Commune                   *string  `json:"commune"`
	Latitude                  *float64 `json:"latitude"`
	Longitude                 *float64 `json:"longitude"`
	HorairesAccueil           *string  `json:"horaires_accueil"` // OpenStreetMap opening_hours
	LienSource                *string  `json:"lien_source"`
	NombreSemaines            *int     `json:"nombre_semaines"`
	VolumeHoraireHebdomadaire *float64 `json:"volume_horaire_hebdomadaire"`

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
