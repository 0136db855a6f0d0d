package domain

import "time"

// Usager is the file of a person received by the EDAS: only what the work needs (DOMAIN.md,
// CNIL référentiel 2021-028). Health answers are never here: they live with the interview,
// apart from the other answers.
type Usager struct {
	Meta `json:"-"`

	DisplayName string `json:"display_name"` // initials or a pseudonym are enough
	BirthYear   *int   `json:"birth_year"`   // optional
	// Commune is the INSEE code of one of the 36 communes, or CommuneOther.
	Commune   string `json:"commune"`
	Household string `json:"household"` // optional, one of Households' codes
	Contact   string `json:"contact"`   // optional: a phone number or an e-mail
	Notes     string `json:"notes"`     // the worker's free notes

	// The person's consent to the file, with the date and the exact wording shown.
	ConsentGiven bool       `json:"consent_given"`
	ConsentAt    *time.Time `json:"consent_at"`
	ConsentText  string     `json:"consent_text"`

	// LastContactAt moves with every interview activity: the file is kept active two years
	// after it (CNIL retention référentiel), then anonymised.
	LastContactAt time.Time `json:"last_contact_at"`
	Anonymised    bool      `json:"anonymised"`
}

// CommuneOther is a usager's commune outside the département.
const CommuneOther = "autre"

// Households are the optional household situations of a usager, with their French labels.
var Households = []struct{ Code, Label string }{
	{"seul", "Vit seul·e"},
	{"couple", "En couple, sans enfant"},
	{"couple-enfants", "En couple, avec enfant(s)"},
	{"parent-seul", "Parent seul·e avec enfant(s)"},
	{"heberge", "Hébergé·e (famille, amis, structure)"},
	{"autre", "Autre situation"},
}

// ConsentWording is the consent text shown to the person when their file is created. A file
// keeps the wording it was given with.
const ConsentWording = "J’accepte que l’EDAS conserve ce dossier pour m’accompagner : mes réponses " +
	"aux entretiens et les orientations proposées. Je peux le consulter, le faire corriger ou " +
	"demander sa suppression à tout moment. Il est conservé deux ans après notre dernier contact, " +
	"puis anonymisé. Mes réponses sur la santé sont facultatives et gardées à part."

// RetentionYears is how long a file stays active after the last contact.
const RetentionYears = 2

// AnonymousName replaces the display name of an anonymised file.
const AnonymousName = "Dossier anonymisé"

// DeletedName replaces the display name of a file erased at the person's request; its tombstone
// stays for sync.
const DeletedName = "Dossier supprimé"

// UsagerSummary is one line of the list of usagers.
type UsagerSummary struct {
	UUID            string     `json:"uuid"`
	DisplayName     string     `json:"display_name"`
	Commune         string     `json:"commune"`
	LastInterviewAt *time.Time `json:"last_interview_at"`
	OpenInterview   string     `json:"open_interview"` // UUID of an interview in progress, "" when none
	NextContact     string     `json:"next_contact"`   // YYYY-MM-DD: the earliest follow-up planned, "" when none
	LastContactAt   time.Time  `json:"last_contact_at"`
}
