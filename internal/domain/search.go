package domain

// DefaultNearKm is the radius of a proximity search when none is given.
const DefaultNearKm = 5

// SearchQuery is what a worker asks of the directory. Communes are INSEE codes here: resolving
// what the worker typed (a name, a postcode) happens before.
type SearchQuery struct {
	Text        string   `json:"text"`
	Themes      []string `json:"themes"`     // thématique codes; a category code ("sante") matches all its sub-themes
	Categories  []string `json:"categories"` // local guide categories (vocab.Categories)
	Publics     []string `json:"publics"`    // a service for "tous-publics" matches every public
	FreeOnly    bool     `json:"free_only"`
	Mode        string   `json:"mode"`         // "", "en-presentiel" or "a-distance"
	Commune     string   `json:"commune"`      // located in this commune
	Near        string   `json:"near"`         // ordered by distance from this commune's centre
	Km          float64  `json:"km"`           // radius around Near; DefaultNearKm when 0
	EligibleFor string   `json:"eligible_for"` // the usager lives in this commune
	OpenOn      int      `json:"open_on"`      // ISO weekday 1 (Monday)…7 (Sunday); 0 = any day
	CanGive     bool     `json:"can_give"`     // only places where a usager can also give
	Limit       int      `json:"limit"`        // 0 = 50
	Offset      int      `json:"offset"`
}

// Freshness levels, from the data·inclusion quality rule on date_maj.
const (
	FreshUpToDate = "a-jour"     // under 6 months: score 1
	FreshToCheck  = "a-verifier" // 6 months to 2 years: score falls linearly
	FreshStale    = "ancienne"   // 2 years or more: score 0
	FreshUnknown  = "inconnue"   // no readable date
)

// Freshness tells how recent a record's information is.
type Freshness struct {
	Level     string  `json:"level"`
	Score     float64 `json:"score"` // 0…1
	MonthsOld int     `json:"months_old"`
}

// Opening states of a service on a given weekday.
const (
	DayOpen      = "ouvert"
	DayClosed    = "ferme"
	DaySometimes = "certaines-semaines" // e.g. only the first Saturday of the month, or some months
	DayUnknown   = "inconnu"            // no hours, or hours that could not be read
)

// Hit is one service in a search result.
type Hit struct {
	ServiceUUID   string    `json:"service_uuid"`
	ID            string    `json:"id"` // data·inclusion identifier of the service
	StructureUUID string    `json:"structure_uuid"`
	StructureID   string    `json:"structure_id"`
	Source        string    `json:"source"`
	Nom           string    `json:"nom"`
	StructureNom  string    `json:"structure_nom"`
	Commune       string    `json:"commune"`
	CodeInsee     string    `json:"code_insee"`
	DistanceKm    *float64  `json:"distance_km"`
	Remote        bool      `json:"remote"`      // offered only at a distance: listed apart in proximity searches
	Thematiques   []string  `json:"thematiques"` // the record's own, as exported
	Frais         string    `json:"frais"`
	ModesAccueil  []string  `json:"modes_accueil"` // the record's own, as exported
	Categorie     string    `json:"categorie"`     // explicit or inferred local category; "" when none
	PeutDonner    bool      `json:"peut_donner"`
	Freshness     Freshness `json:"freshness"`
	OpenState     string    `json:"open_state"` // on the asked weekday; "" when none was asked
	Week          [7]string `json:"week"`       // Monday…Sunday: DayOpen, DayClosed, DaySometimes or DayUnknown
	Origin        Origin    `json:"origin"`
	Score         float64   `json:"score"`
	Why           []string  `json:"why"` // why it matched and where it ranks, in French
}

// Facets counts, for each filter value, the services that would match if that value were chosen
// (the other filters staying as they are).
type Facets struct {
	Categories map[string]int `json:"categories"`
	Themes     map[string]int `json:"themes"` // keyed by category code and by sub-theme code
	Publics    map[string]int `json:"publics"`
	Frais      map[string]int `json:"frais"`
	Modes      map[string]int `json:"modes"`
	Communes   map[string]int `json:"communes"` // by INSEE code
	OpenDays   map[int]int    `json:"open_days"`
	CanGive    int            `json:"can_give"`
}

// SearchResult is a ranked page of hits with the facet counts of the whole match.
type SearchResult struct {
	Total  int    `json:"total"`  // services matching every filter
	Remote int    `json:"remote"` // of which offered only at a distance (proximity searches)
	Hits   []Hit  `json:"hits"`
	Facets Facets `json:"facets"`
}
