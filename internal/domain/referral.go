package domain

import (
	"context"
	"time"
)

// A referral (orientation) sends a person to one directory service. The referrals prepared
// together are printed on one referral sheet (fiche d'orientation) handed to the person. Status
// words follow DORA (the national orientation service) and HL7 FHIR task statuses.
const (
	ReferralDraft     = "brouillon"   // prepared, not yet given
	ReferralGiven     = "remise"      // printed or given to the person
	ReferralDone      = "realisee"    // the person went and was helped
	ReferralNotTaken  = "non-recours" // the person did not go, or was not helped (with a reason)
	ReferralCancelled = "annulee"     // withdrawn; referrals are never deleted
)

// ReferralStatuses lists the statuses with their French labels, in lifecycle order.
var ReferralStatuses = []struct{ Code, Label string }{
	{ReferralDraft, "Brouillon"},
	{ReferralGiven, "Remise"},
	{ReferralDone, "Réalisée"},
	{ReferralNotTaken, "Non-recours"},
	{ReferralCancelled, "Annulée"},
}

// NonRecoursReasons is the managed list of reasons of a non-recours.
var NonRecoursReasons = []struct{ Code, Label string }{
	{"trop-loin", "Trop loin"},
	{"horaires", "Horaires"},
	{"pas-ose", "N’a pas osé"},
	{"plus-besoin", "Plus besoin"},
	{"refuse-structure", "Refusé par la structure"},
	{"autre", "Autre"},
}

// ReferralTransitions says which status may follow which: a draft is given (or cancelled) before
// anything else; a done, not-taken or cancelled referral is closed.
var ReferralTransitions = map[string][]string{
	ReferralDraft:     {ReferralGiven, ReferralCancelled},
	ReferralGiven:     {ReferralDone, ReferralNotTaken, ReferralCancelled},
	ReferralDone:      {},
	ReferralNotTaken:  {},
	ReferralCancelled: {},
}

// DefaultFollowUpDays is the follow-up delay of a referral when the settings say nothing.
const DefaultFollowUpDays = 30

// Referral is one orientation of a person (or an anonymous walk-in) towards one service.
type Referral struct {
	Meta `json:"-"`

	SheetUUID     string `json:"sheet_uuid"`     // the referrals prepared together share it
	UsagerUUID    string `json:"usager_uuid"`    // "" for an anonymous walk-in
	InterviewUUID string `json:"interview_uuid"` // the interview it comes from, "" when from the directory
	ServiceUUID   string `json:"service_uuid"`
	// ServiceName and ServiceID keep what the service was called when the referral was made:
	// the directory may change or drop it later, the history must still read.
	ServiceName string `json:"service_name"`
	ServiceID   string `json:"service_id"`
	Need        string `json:"need"`    // the need it answers, in plain words
	Message     string `json:"message"` // a message to the person, printed on the sheet
	// IncludeHealth: the worker ticked that health information may appear on this sheet.
	IncludeHealth bool   `json:"include_health"`
	WorkerName    string `json:"worker_name"` // from the settings, at the time
	EDAS          string `json:"edas"`
	WorkerPhone   string `json:"worker_phone"`

	Status     string           `json:"status"`
	FollowUpOn string           `json:"follow_up_on"` // YYYY-MM-DD: when to ask how it went
	History    []ReferralChange `json:"history"`      // oldest first
}

// ReferralChange is one step of a referral's history.
type ReferralChange struct {
	Status     string    `json:"status"`
	At         time.Time `json:"at"`
	Reason     string    `json:"reason"`      // non-recours: a NonRecoursReasons code
	ReasonText string    `json:"reason_text"` // free text ("autre", or details)
	Note       string    `json:"note"`
}

// Settings are the desk's worker and EDAS, printed on referral sheets.
type Settings struct {
	WorkerName    string `json:"worker_name"`
	EDAS          string `json:"edas"`
	WorkerPhone   string `json:"worker_phone"`
	FollowUpDays  int    `json:"follow_up_days"` // default delay before asking how a referral went
	IncludeHealth bool   `json:"include_health"` // never set by default: health stays off sheets
}

// ReferralStore keeps referrals. Every method is one transaction with its change-log rows.
type ReferralStore interface {
	// CreateReferrals stores the referrals of one sheet (UUIDs and SheetUUID set by the caller),
	// each with its first history step.
	CreateReferrals(ctx context.Context, rs []Referral) error
	// Referral returns one referral with its history. ENOTFOUND.
	Referral(ctx context.Context, uuid string) (Referral, error)
	// Sheet returns the referrals of one sheet, in the order they were created. ENOTFOUND when
	// the sheet has none.
	Sheet(ctx context.Context, sheetUUID string) ([]Referral, error)
	// SetReferralStatus moves a referral to a status and appends the step to its history.
	// ECONFLICT when the transition is not allowed (ReferralTransitions), ENOTFOUND.
	SetReferralStatus(ctx context.Context, uuid string, change ReferralChange) (Referral, error)
	// SetFollowUp changes when to ask how a referral went. ENOTFOUND.
	SetFollowUp(ctx context.Context, uuid, date string) error
	// ReferralsOf returns a person's referrals, most recent first.
	ReferralsOf(ctx context.Context, usagerUUID string) ([]Referral, error)
	// DueReferrals returns the referrals given (status remise) whose follow-up date is on or
	// before date, oldest first.
	DueReferrals(ctx context.Context, date string) ([]Referral, error)
	// RecentSheets returns the latest sheets (their first referral each), most recent first.
	RecentSheets(ctx context.Context, limit int) ([]Referral, error)
}
