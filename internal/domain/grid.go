package domain

// A grid (grille d'entretien) is data: domains of questions, versioned. An interview is stamped
// with the grid id and version it was filled with and is always shown with that version.

// Question types of a grid.
const (
	QSingle    = "choix-unique"    // one option
	QMultiple  = "choix-multiples" // several options
	QYesNo     = "oui-non"         // "oui" or "non"; options may carry needs for either
	QNumber    = "nombre"          // a number, optionally bounded
	QShortText = "texte-court"     // one line, in the person's words
	QLongText  = "texte-long"      // several lines, in the person's words
	QScale     = "echelle"         // the person's self-assessment, 1–5; the worker may rate beside it
)

// Yes/no answer values.
const (
	Yes = "oui"
	No  = "non"
)

// Grid is an interview grid at one version.
type Grid struct {
	ID          string       `json:"id"`      // stable across versions, e.g. "grille-edas"
	Version     int          `json:"version"` // 1, 2, …: a published version never changes
	Title       string       `json:"title"`
	Description string       `json:"description,omitempty"`
	Domains     []GridDomain `json:"domains"`
}

// GridDomain is one life area of the grid (social ties, health, food…).
type GridDomain struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	// Sensitive marks special-category data (health, GDPR art. 9): answers are stored apart,
	// shown only where needed, and never printed on a referral sheet unless the worker asks.
	Sensitive bool `json:"sensitive,omitempty"`
	// Thematiques and Categories are the domain's needs when the person's self-assessment (the
	// domain's first scale question) is at or below NeedThreshold.
	Thematiques []string   `json:"thematiques,omitempty"`
	Categories  []string   `json:"categories,omitempty"`
	Questions   []Question `json:"questions"`
}

// NeedThreshold is the self-assessment (1–5) at or below which a domain's own needs count.
const NeedThreshold = 2

// Question is one question of a domain.
type Question struct {
	ID       string     `json:"id"` // unique in the grid
	Type     string     `json:"type"`
	Label    string     `json:"label"`
	Help     string     `json:"help,omitempty"`
	Required bool       `json:"required,omitempty"`
	Options  []Option   `json:"options,omitempty"` // choice and yes/no questions
	Min      *float64   `json:"min,omitempty"`     // number questions
	Max      *float64   `json:"max,omitempty"`
	Unit     string     `json:"unit,omitempty"`
	Scale    *Scale     `json:"scale,omitempty"`   // scale questions
	ShowIf   *Condition `json:"show_if,omitempty"` // shown only when it holds
}

// Option is one possible answer of a choice or yes/no question, with the needs it reveals.
type Option struct {
	Value       string   `json:"value"`
	Label       string   `json:"label"`
	Thematiques []string `json:"thematiques,omitempty"` // data·inclusion thématiques
	Categories  []string `json:"categories,omitempty"`  // local categories of the guide
	// Publics: choosing it says the person belongs to these data·inclusion publics
	// (demandeurs-emploi…), so that services for them are suggested.
	Publics []string `json:"publics,omitempty"`
	// Give: choosing it says the person would like to give (volunteer, share a skill): places
	// where one can give are suggested.
	Give bool `json:"give,omitempty"`
}

// Scale describes a self-assessment question: 1 (très difficile) to 5 (tout va bien).
type Scale struct {
	MinLabel     string `json:"min_label,omitempty"`
	MaxLabel     string `json:"max_label,omitempty"`
	WorkerRating bool   `json:"worker_rating,omitempty"` // the worker may give their own rating beside
}

// ScaleMin and ScaleMax bound every self-assessment.
const (
	ScaleMin = 1
	ScaleMax = 5
)

// Condition says when a question is shown, from the answer to another question. Exactly one of
// Equals, In, Answered, All, Any is set.
type Condition struct {
	Question string      `json:"question,omitempty"`
	Equals   string      `json:"equals,omitempty"`   // the answer is this value (or, for multiple choice, contains it)
	In       []string    `json:"in,omitempty"`       // the answer is (or contains) one of these values
	Answered *bool       `json:"answered,omitempty"` // the question was answered (true) or not (false)
	All      []Condition `json:"all,omitempty"`      // every condition holds
	Any      []Condition `json:"any,omitempty"`      // at least one holds
}

// GridInfo describes a stored grid version.
type GridInfo struct {
	ID       string `json:"id"`
	Version  int    `json:"version"`
	Title    string `json:"title"`
	Embedded bool   `json:"embedded"` // the default grid shipped with Passerelle
	Current  bool   `json:"current"`  // the latest version of its id: new interviews use it
}
