package domain

// Need is what an interview reveals in one domain of its grid.
type Need struct {
	Domain      string   `json:"domain"` // grid domain id
	DomainTitle string   `json:"domain_title"`
	Sensitive   bool     `json:"sensitive"`
	Thematiques []string `json:"thematiques"` // data·inclusion thématiques, from chosen options and a low self-assessment
	Categories  []string `json:"categories"`  // local categories of the guide
	Publics     []string `json:"publics"`     // data·inclusion publics the answers place the person in
	Give        bool     `json:"give"`        // the person would like to give here (volunteer, share skills)
	Words       []string `json:"words"`       // the person's own words: text answers of the domain
	// SelfAssessment is the person's answer to the domain's first scale question (1–5), nil
	// when not given; WorkerRating the worker's beside it.
	SelfAssessment *float64 `json:"self_assessment"`
	WorkerRating   *int     `json:"worker_rating"`
}

// HasNeed reports whether the need asks for services (some thématique or category).
func (n Need) HasNeed() bool { return len(n.Thematiques) > 0 || len(n.Categories) > 0 || n.Give }

// Suggestion is a directory service proposed for an interview's needs.
type Suggestion struct {
	Hit      Hit      `json:"hit"`
	Domains  []string `json:"domains"` // the needs (grid domain ids) it answers
	Give     bool     `json:"give"`    // a place where the person can give
	Score    float64  `json:"score"`
	Why      string   `json:"why"` // « lien social · 1,2 km · gratuit · ouvert mardi »
	Selected bool     `json:"selected"`
}
