package domain

import (
	"context"
	"time"
)

// Interview statuses.
const (
	InterviewInProgress = "en-cours"
	InterviewCompleted  = "termine"
)

// Interview is one meeting with a usager, filled with one version of a grid.
type Interview struct {
	Meta `json:"-"`

	UsagerUUID    string     `json:"usager_uuid"`
	GridID        string     `json:"grid_id"`
	GridVersion   int        `json:"grid_version"`
	Status        string     `json:"status"`
	StartedAt     time.Time  `json:"started_at"`
	CompletedAt   *time.Time `json:"completed_at"`
	CurrentDomain string     `json:"current_domain"` // where the worker left it, to resume there
	NextContact   string     `json:"next_contact"`   // YYYY-MM-DD: the next meeting planned, "" when none
}

// AnswerValue is the value of an answer: Text for single choice, yes/no and text questions,
// Choices for multiple choice, Number for number and scale questions. The zero value is a cleared
// answer.
type AnswerValue struct {
	Text    string   `json:"text,omitempty"`
	Choices []string `json:"choices,omitempty"`
	Number  *float64 `json:"number,omitempty"`
}

// IsZero reports whether the value is empty (a cleared answer).
func (v AnswerValue) IsZero() bool { return v.Text == "" && len(v.Choices) == 0 && v.Number == nil }

// Answer is the current answer to one question of an interview.
type Answer struct {
	InterviewUUID string      `json:"interview_uuid"`
	QuestionID    string      `json:"question_id"`
	Value         AnswerValue `json:"value"`
	WorkerRating  *int        `json:"worker_rating"` // scale questions: the worker's rating beside the person's
	AnsweredAt    time.Time   `json:"answered_at"`
	// Correction: given after the interview was completed. The answer it replaced is kept in
	// the answer's history.
	Correction bool `json:"correction"`
	Sensitive  bool `json:"sensitive"` // of a sensitive domain: stored apart
}

// AnswerChange is a former value of an answer, kept when a completed interview is corrected.
type AnswerChange struct {
	QuestionID   string      `json:"question_id"`
	Value        AnswerValue `json:"value"`
	WorkerRating *int        `json:"worker_rating"`
	AnsweredAt   time.Time   `json:"answered_at"`
	ReplacedAt   time.Time   `json:"replaced_at"`
}

// Selection is a directory service the worker ticked among an interview's suggestions, to
// propose to the person (the referral sheet prints it).
type Selection struct {
	InterviewUUID string    `json:"interview_uuid"`
	ServiceUUID   string    `json:"service_uuid"`
	Why           string    `json:"why"`    // the explanation shown when it was ticked
	Domain        string    `json:"domain"` // the grid domain whose need it answers, "" when several
	SelectedAt    time.Time `json:"selected_at"`
}

// Kinds of the change log for the usager file.
const (
	KindGrid      = "grid"
	KindUsager    = "usager"
	KindInterview = "interview"
	KindAnswer    = "answer"
	KindSelection = "selection"
	KindReferral  = "referral"
)

// InterviewStore keeps grids, usager files and interviews. Every method is one transaction and
// writes its change-log rows in it.
type InterviewStore interface {
	// SaveGrid stores a grid version. Saving the same id and version again with the same content
	// does nothing and returns false; with a different content it is ECONFLICT (a published
	// version never changes).
	SaveGrid(ctx context.Context, g Grid, embedded bool) (bool, error)
	// Grid returns one version of a grid. ENOTFOUND when unknown.
	Grid(ctx context.Context, id string, version int) (Grid, error)
	// LatestGrid returns the highest version of a grid id. ENOTFOUND when unknown.
	LatestGrid(ctx context.Context, id string) (Grid, error)
	// Grids lists the stored grid versions, by id then version.
	Grids(ctx context.Context) ([]GridInfo, error)

	// CreateUsager stores a new file (u.UUID set by the caller).
	CreateUsager(ctx context.Context, u Usager) error
	// UpdateUsager replaces a file's fields (not its consent history). ENOTFOUND when unknown.
	UpdateUsager(ctx context.Context, u Usager) error
	// Usager returns a live file. ENOTFOUND when unknown or deleted.
	Usager(ctx context.Context, uuid string) (Usager, error)
	// DeleteUsager erases a file at the person's request: its personal fields, its interviews'
	// answers and selections are wiped, its referrals lose the person and the message (the
	// service and the outcome stay, for the indicators), and a tombstone stays for sync.
	// ENOTFOUND when unknown.
	DeleteUsager(ctx context.Context, uuid string) error
	// AnonymiseBefore anonymises the live files whose last contact is before t (retention): the
	// display name becomes AnonymousName, year of birth, contact and notes are erased, free-text
	// and sensitive answers deleted, referrals detached from the person; choices,
	// self-assessments and referral outcomes stay, without a person, for the indicators. Returns
	// how many files it anonymised.
	AnonymiseBefore(ctx context.Context, t time.Time) (int, error)
	// Usagers lists the live files whose display name contains query (case, accents and
	// ligatures folded; "" for all), most recent contact first.
	Usagers(ctx context.Context, query string) ([]UsagerSummary, error)

	// StartInterview stores a new interview (iv.UUID set by the caller). ENOTFOUND when the
	// usager is unknown.
	StartInterview(ctx context.Context, iv Interview) error
	// Interview returns an interview. ENOTFOUND when unknown.
	Interview(ctx context.Context, uuid string) (Interview, error)
	// InterviewsOf returns a usager's interviews, oldest first.
	InterviewsOf(ctx context.Context, usagerUUID string) ([]Interview, error)
	// SaveAnswer records an answer the moment it is given (and the interview's current domain,
	// and the usager's last contact). A zero value clears the answer. On a completed interview
	// the answer is a correction and the former one goes to the history. ENOTFOUND when the
	// interview is unknown.
	SaveAnswer(ctx context.Context, a Answer, currentDomain string) (Answer, error)
	// Answers returns an interview's current answers; sensitive ones only when asked.
	Answers(ctx context.Context, interviewUUID string, withSensitive bool) ([]Answer, error)
	// AnswerHistory returns the former values of an interview's corrected answers, oldest first;
	// sensitive ones only when asked.
	AnswerHistory(ctx context.Context, interviewUUID string, withSensitive bool) ([]AnswerChange, error)
	// CompleteInterview freezes an interview: later answers are corrections. ECONFLICT when it is
	// already completed.
	CompleteInterview(ctx context.Context, uuid string) (Interview, error)
	// SetCurrentDomain records where the worker is in an interview. ENOTFOUND.
	SetCurrentDomain(ctx context.Context, interviewUUID, domainID string) error
	// SetNextContact plans (or clears, with "") the next meeting of an interview's usager.
	SetNextContact(ctx context.Context, interviewUUID, date string) error
	// SetSelection ticks (selected=true) or unticks a suggestion of an interview.
	SetSelection(ctx context.Context, s Selection, selected bool) error
	// Selections returns an interview's ticked suggestions, in the order they were ticked.
	Selections(ctx context.Context, interviewUUID string) ([]Selection, error)
}
