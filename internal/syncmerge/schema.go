package syncmerge

import (
	"slices"

	"github.com/edas92/passerelle/internal/domain"
)

// KindReferralEvent is a step of a referral's history (a status change with its date, reason and
// note). It is written once and never modified, except that its free texts may be erased.
const KindReferralEvent = "referral_event"

// Answer fields. An answer record holds AnswerField, written by desks, and AnswerSettledField,
// kept by the server: the highest base any write of this answer named. Every answer stamped at
// or before it was replaced by a person who had the answer in front of them, so it is no
// conflict any more, whenever it reaches the server. Without it the server could not tell a late
// write that was already settled from a new disagreement, and the result would depend on the
// order of arrival.
const (
	AnswerField        = "value"
	AnswerSettledField = "settled"
)

// uuidForm is how the uuid of a kind is built.
type uuidForm int

const (
	uuidPlain    uuidForm = iota // a UUID
	uuidQuestion                 // "interview-uuid:question-id"
	uuidPair                     // "interview-uuid:service-uuid"
)

// kindSchema is what the protocol says of one kind.
type kindSchema struct {
	up   bool     // desks push it
	down bool     // the server sends it on pull
	site bool     // it belongs to one site (EDAS); else it is the same for every site
	uuid uuidForm // how its uuid is built
	// fields a desk may write. Values are opaque JSON here: their meaning belongs to the desk's
	// store.
	fields []string
}

// schema is the one table of synced kinds and their fields. The desk's store (what it writes in
// its outbox and reads back from a pull) and the server (what it accepts and keeps) must agree
// on it: a field missing here is rejected by the server, and a field a desk does not know is
// lost on that desk. Change it on both sides at once.
var schema = map[string]kindSchema{
	// The directory and the grids: the server is authoritative, desks never push them. A record
	// travels whole, as one field.
	domain.KindStructure: {down: true, fields: []string{"data"}},
	domain.KindService:   {down: true, fields: []string{"data"}},
	domain.KindGrid:      {down: true, fields: []string{"content"}}, // domain.Grid as JSON

	// The work of an EDAS, shared by its desks.
	domain.KindUsager: {up: true, down: true, site: true, fields: []string{
		"display_name", "birth_year", "commune", "household", "contact", "notes", "consent_given",
		"consent_at", "consent_text", "last_contact_at", "anonymised"}},
	domain.KindInterview: {up: true, down: true, site: true, fields: []string{
		"usager_uuid", "grid_id", "grid_version", "status", "started_at", "completed_at",
		"current_domain", "next_contact"}},
	// The value holds the person's answer, the worker's rating, the sensitive and correction
	// flags: one field, so that an answer is never half of one desk's and half of another's.
	domain.KindAnswer: {up: true, down: true, site: true, uuid: uuidQuestion, fields: []string{AnswerField}},
	domain.KindSelection: {up: true, down: true, site: true, uuid: uuidPair, fields: []string{
		"interview_uuid", "service_uuid", "why", "domain", "selected_at", "selected"}},
	domain.KindReferral: {up: true, down: true, site: true, fields: []string{
		"sheet_uuid", "usager_uuid", "interview_uuid", "service_uuid", "service_name", "service_id",
		"need", "message", "include_health", "worker_name", "edas", "worker_phone", "status",
		"follow_up_on"}},
	KindReferralEvent: {up: true, down: true, site: true, fields: []string{
		"referral_uuid", "status", "at", "reason", "reason_text", "note"}},

	// Proposals and corrections for the curators: up only. They belong to the site that sent
	// them (the protocol's table): a server that sent records down by site would never leak one.
	domain.KindSuggestion: {up: true, site: true, fields: []string{"type", "service", "message"}},
}

// erasable are the fields of a referral event that a later write may empty (anonymising or
// erasing a file erases the free texts of its referrals' history): the one change an event
// accepts.
var erasable = map[string]bool{"reason_text": true, "note": true}

// Pushable reports whether desks may push records of a kind (false for an unknown kind).
func Pushable(kind string) bool { return schema[kind].up }

// Pulled reports whether the server sends records of a kind to desks (false for suggestions,
// which only go up, and for an unknown kind).
func Pulled(kind string) bool { return schema[kind].down }

// SiteScoped reports whether records of a kind belong to one site (EDAS), so that another site
// never reads or writes them. The directory and the grids are the same for every site.
func SiteScoped(kind string) bool { return schema[kind].site }

// Fields returns the fields desks may write in records of a kind, nil for an unknown kind. The
// answer's server-kept AnswerSettledField is not among them.
func Fields(kind string) []string { return slices.Clone(schema[kind].fields) }

// hasField reports whether a kind has a field; the lists are short, a scan beats a map.
func (k kindSchema) hasField(name string) bool { return slices.Contains(k.fields, name) }
