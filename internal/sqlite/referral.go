package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

var _ domain.ReferralStore = (*DB)(nil)

// referralColumns are the columns scanReferral reads, in order.
const referralColumns = `uuid, sheet_uuid, usager_uuid, interview_uuid, service_uuid, service_name, service_id, need,
	message, include_health, worker_name, edas, worker_phone, status, follow_up_on, created_at, updated_at, deleted_at`

// Orders of the referral lists. Referrals of one sheet share their creation time: position keeps
// them in the order they were prepared, and uuid makes the order total.
const (
	sheetOrder  = `position, created_at, uuid`
	recentOrder = `created_at DESC, sheet_uuid, position, uuid`
	dueOrder    = `follow_up_on, created_at, sheet_uuid, position, uuid`
	// sheetsOrder is the order of index referral_created, backwards: RecentSheets walks it and
	// stops after limit sheets. It keeps one referral per sheet, so needs no position.
	sheetsOrder = `created_at DESC, sheet_uuid DESC`
)

func scanReferral(row interface{ Scan(...any) error }) (domain.Referral, error) {
	var (
		r                            domain.Referral
		usager, interview, deletedAt sql.NullString
		created, updated             string
	)
	if err := row.Scan(&r.UUID, &r.SheetUUID, &usager, &interview, &r.ServiceUUID, &r.ServiceName, &r.ServiceID,
		&r.Need, &r.Message, &r.IncludeHealth, &r.WorkerName, &r.EDAS, &r.WorkerPhone, &r.Status, &r.FollowUpOn,
		&created, &updated, &deletedAt); err != nil {
		return r, err
	}
	r.UsagerUUID, r.InterviewUUID = usager.String, interview.String
	var err error
	if r.CreatedAt, err = parseTime(created); err != nil {
		return r, err
	}
	if r.UpdatedAt, err = parseTime(updated); err != nil {
		return r, err
	}
	r.DeletedAt, err = parseNullTime(deletedAt)
	return r, err
}

func referralNotFound(uuid string) error {
	return domain.Errorf(domain.ENOTFOUND, "Aucune orientation n’a l’identifiant %s.", uuid)
}

// statusLabel returns the French label of a referral status, the code itself when unknown.
func statusLabel(code string) string {
	for _, s := range domain.ReferralStatuses {
		if s.Code == code {
			return s.Label
		}
	}
	return code
}

func knownStatus(code string) bool {
	_, ok := domain.ReferralTransitions[code]
	return ok
}

func knownReason(code string) bool {
	for _, r := range domain.NonRecoursReasons {
		if r.Code == code {
			return true
		}
	}
	return false
}

// closedReferral names a referral of a closed status, for the message refusing to change it.
var closedReferral = map[string]string{
	domain.ReferralDone:      "Une orientation réalisée",
	domain.ReferralNotTaken:  "Une orientation en non-recours",
	domain.ReferralCancelled: "Une orientation annulée",
}

// checkTransition returns ECONFLICT unless domain.ReferralTransitions lets a referral go from one
// status to the other, with a message saying what is possible instead.
func checkTransition(from, to string) error {
	next := domain.ReferralTransitions[from]
	for _, s := range next {
		if s == to {
			return nil
		}
	}
	if len(next) == 0 {
		who, ok := closedReferral[from]
		if !ok {
			who = fmt.Sprintf("Une orientation au statut « %s »", statusLabel(from))
		}
		return domain.Errorf(domain.ECONFLICT, "%s ne peut plus changer de statut.", who)
	}
	if from == to {
		return domain.Errorf(domain.ECONFLICT, "L’orientation est déjà au statut « %s ».", statusLabel(to))
	}
	labels := make([]string, len(next))
	for i, s := range next {
		labels[i] = "« " + statusLabel(s) + " »"
	}
	return domain.Errorf(domain.ECONFLICT, "Une orientation au statut « %s » ne peut pas passer au statut « %s » : elle peut passer à %s.",
		statusLabel(from), statusLabel(to), strings.Join(labels, " ou "))
}

// checkFollowUp returns EINVALID unless date is a real YYYY-MM-DD date.
func checkFollowUp(date string) error {
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return domain.Errorf(domain.EINVALID, "La date de suivi « %s » n’est pas une date valide (AAAA-MM-JJ).", date)
	}
	return nil
}

// referralName names a referral in a message: by its service when it has a name.
func referralName(r domain.Referral, i int) string {
	if name := strings.TrimSpace(r.ServiceName); name != "" {
		return fmt.Sprintf("L’orientation vers « %s »", name)
	}
	return fmt.Sprintf("L’orientation n°%d de la fiche", i+1)
}

// checkSheet validates the referrals of one CreateReferrals call, before any database access.
func checkSheet(rs []domain.Referral) error {
	if len(rs) == 0 {
		return domain.Errorf(domain.EINVALID, "La fiche d’orientation ne contient aucune orientation.")
	}
	first := rs[0]
	if first.SheetUUID == "" {
		return domain.Errorf(domain.EINVALID, "La fiche d’orientation n’a pas d’identifiant.")
	}
	seen := make(map[string]bool, len(rs))
	for i, r := range rs {
		name := referralName(r, i)
		switch {
		case r.UUID == "":
			return domain.Errorf(domain.EINVALID, "%s n’a pas d’identifiant.", name)
		case seen[r.UUID]:
			return domain.Errorf(domain.EINVALID, "Deux orientations de la fiche portent l’identifiant %s.", r.UUID)
		case r.SheetUUID != first.SheetUUID:
			return domain.Errorf(domain.EINVALID, "Les orientations enregistrées ensemble doivent appartenir à la même fiche.")
		case r.UsagerUUID != first.UsagerUUID:
			return domain.Errorf(domain.EINVALID, "Les orientations d’une même fiche doivent concerner la même personne.")
		case r.ServiceUUID == "":
			return domain.Errorf(domain.EINVALID, "%s ne désigne aucun service de l’annuaire.", name)
		case strings.TrimSpace(r.ServiceName) == "":
			// The directory may drop the service later: the name is what the history will show.
			return domain.Errorf(domain.EINVALID, "%s doit garder le nom du service.", name)
		case !knownStatus(r.Status):
			return domain.Errorf(domain.EINVALID, "%s a un statut inconnu : « %s ».", name, r.Status)
		case r.Status != domain.ReferralDraft && r.Status != domain.ReferralGiven:
			// A result (and a non-recours' reason) is recorded by SetReferralStatus, in the history.
			return domain.Errorf(domain.EINVALID,
				"%s ne peut pas commencer au statut « %s » : une orientation commence « Brouillon » ou « Remise », son résultat s’enregistre ensuite.",
				name, statusLabel(r.Status))
		case r.InterviewUUID != "" && r.UsagerUUID == "":
			return domain.Errorf(domain.EINVALID, "%s vient d’un entretien : elle doit concerner la personne reçue.", name)
		}
		if err := checkFollowUp(r.FollowUpOn); err != nil {
			return err
		}
		seen[r.UUID] = true
	}
	return nil
}

// CreateReferrals stores the referrals of one sheet in one transaction, each with the first step
// of its history: its status at the clock's time. The referrals must share one SheetUUID and one
// UsagerUUID ("" for an anonymous walk-in); they go on the sheet in the order given, after those
// it already holds when it was created before. The store sets the Meta times and the history
// (rs' are ignored). Returns:
//   - EINVALID when rs is empty, a UUID or the SheetUUID is missing, two referrals share a UUID,
//     the referrals name several sheets or persons, one names no service or has no service name,
//     its status is unknown or neither brouillon nor remise (a result is recorded with
//     SetReferralStatus), its follow-up date is not a YYYY-MM-DD date, or it names an interview
//     without a person or an interview of another person;
//   - ENOTFOUND when the usager is unknown or deleted, or an interview unknown or deleted;
//   - ECONFLICT when a UUID is already taken, or the sheet exists for another person.
func (db *DB) CreateReferrals(ctx context.Context, rs []domain.Referral) error {
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		if err := checkSheet(rs); err != nil {
			return err
		}
		sheet, usager := rs[0].SheetUUID, rs[0].UsagerUUID
		if usager != "" {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM usager WHERE uuid = ? AND deleted_at IS NULL`,
				usager).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return usagerNotFound(usager)
			}
		}
		for i, r := range rs {
			if r.InterviewUUID == "" {
				continue
			}
			of, _, err := liveInterview(ctx, tx, r.InterviewUUID)
			if err != nil {
				return err
			}
			if of != usager {
				return domain.Errorf(domain.EINVALID, "%s vient d’un entretien d’une autre personne que celle de la fiche.",
					referralName(r, i))
			}
		}
		for _, r := range rs {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM referral WHERE uuid = ?`, r.UUID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return domain.Errorf(domain.ECONFLICT, "Une orientation porte déjà l’identifiant %s.", r.UUID)
			}
		}

		// A sheet printed earlier may get more referrals: they follow the ones it holds.
		var (
			held     int
			next     int
			heldUser string
		)
		if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(max(position) + 1, 0),
			coalesce((SELECT usager_uuid FROM referral WHERE sheet_uuid = ?1 ORDER BY position LIMIT 1), '')
			FROM referral WHERE sheet_uuid = ?1`, sheet).Scan(&held, &next, &heldUser); err != nil {
			return err
		}
		if held > 0 && heldUser != usager {
			return domain.Errorf(domain.ECONFLICT, "La fiche d’orientation %s concerne une autre personne.", sheet)
		}

		now := formatTime(db.clock())
		insert, err := tx.PrepareContext(ctx, `INSERT INTO referral (uuid, sheet_uuid, position, usager_uuid,
			interview_uuid, service_uuid, service_name, service_id, need, message, include_health, worker_name, edas,
			worker_phone, status, follow_up_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insert.Close()
		for i, r := range rs {
			if _, err := insert.ExecContext(ctx, r.UUID, sheet, next+i, nullString(r.UsagerUUID),
				nullString(r.InterviewUUID), r.ServiceUUID, r.ServiceName, r.ServiceID, r.Need, r.Message, r.IncludeHealth,
				r.WorkerName, r.EDAS, r.WorkerPhone, r.Status, r.FollowUpOn, now, now); err != nil {
				return fmt.Errorf("insert: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO referral_event (referral_uuid, seq, status, at)
				VALUES (?, 1, ?, ?)`, r.UUID, r.Status, now); err != nil {
				return fmt.Errorf("insert first step: %w", err)
			}
			if err := logChange(ctx, tx, domain.KindReferral, r.UUID, domain.OpUpsert, now); err != nil {
				return err
			}
		}
		return db.trackChanges(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("create referrals: %w", err)
	}
	return nil
}

// nullString stores "" as NULL, for the optional links of a referral.
func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// checkChange validates a status change before any database access: the status must exist, a
// non-recours needs a reason of domain.NonRecoursReasons ("autre" with its text), and only a
// non-recours has a reason.
func checkChange(c domain.ReferralChange) error {
	switch {
	case !knownStatus(c.Status):
		return domain.Errorf(domain.EINVALID, "Le statut d’orientation « %s » n’existe pas.", c.Status)
	case c.Status != domain.ReferralNotTaken && c.Reason != "":
		return domain.Errorf(domain.EINVALID, "Seul un non-recours a un motif : le statut « %s » n’en prend pas.",
			statusLabel(c.Status))
	case c.Status != domain.ReferralNotTaken:
		return nil
	case c.Reason == "":
		return domain.Errorf(domain.EINVALID, "Indiquez le motif du non-recours.")
	case !knownReason(c.Reason):
		return domain.Errorf(domain.EINVALID, "Le motif de non-recours « %s » n’existe pas.", c.Reason)
	case c.Reason == "autre" && strings.TrimSpace(c.ReasonText) == "":
		return domain.Errorf(domain.EINVALID, "Précisez le motif du non-recours quand il est « Autre ».")
	}
	return nil
}

// SetReferralStatus moves a live referral to change.Status and appends the step to its history,
// at the clock's time (change.At is ignored) with its reason, reason text and note; it returns
// the referral with its whole history. Returns:
//   - EINVALID when the status is unknown, a non-recours has no reason of
//     domain.NonRecoursReasons (or "autre" without its text), or another status has a reason;
//   - ENOTFOUND when the referral is unknown or deleted;
//   - ECONFLICT when domain.ReferralTransitions does not allow the move (a closed referral, the
//     same status again, a draft marked done).
func (db *DB) SetReferralStatus(ctx context.Context, uuid string, change domain.ReferralChange) (domain.Referral, error) {
	var r domain.Referral
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		if err := checkChange(change); err != nil {
			return err
		}
		var from string
		err := tx.QueryRowContext(ctx, `SELECT status FROM referral WHERE uuid = ? AND deleted_at IS NULL`, uuid).Scan(&from)
		if errors.Is(err, sql.ErrNoRows) {
			return referralNotFound(uuid)
		} else if err != nil {
			return err
		}
		if err := checkTransition(from, change.Status); err != nil {
			return err
		}
		now := formatTime(db.clock())
		if _, err := tx.ExecContext(ctx, `INSERT INTO referral_event (referral_uuid, seq, status, at, reason,
			reason_text, note) SELECT ?1, coalesce(max(seq), 0) + 1, ?2, ?3, ?4, ?5, ?6 FROM referral_event
			WHERE referral_uuid = ?1`, uuid, change.Status, now, change.Reason, change.ReasonText, change.Note); err != nil {
			return fmt.Errorf("append step: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE referral SET status = ?, updated_at = ? WHERE uuid = ?`,
			change.Status, now, uuid); err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if err := logChange(ctx, tx, domain.KindReferral, uuid, domain.OpUpsert, now); err != nil {
			return err
		}
		if err := db.trackChanges(ctx, tx); err != nil {
			return err
		}
		r, err = readReferral(ctx, tx, uuid)
		return err
	})
	if err != nil {
		return domain.Referral{}, fmt.Errorf("set status of referral %s: %w", uuid, err)
	}
	return r, nil
}

// SetFollowUp changes when to ask how a live referral went (date YYYY-MM-DD), whatever its
// status. The date already set changes nothing. Returns EINVALID when date is not a date,
// ENOTFOUND when the referral is unknown or deleted.
func (db *DB) SetFollowUp(ctx context.Context, uuid, date string) error {
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		if err := checkFollowUp(date); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM referral WHERE uuid = ? AND deleted_at IS NULL`,
			uuid).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return referralNotFound(uuid)
		}
		now := formatTime(db.clock())
		res, err := tx.ExecContext(ctx, `UPDATE referral SET follow_up_on = ?, updated_at = ?
			WHERE uuid = ? AND follow_up_on <> ?`, date, now, uuid, date)
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		if err := logChange(ctx, tx, domain.KindReferral, uuid, domain.OpUpsert, now); err != nil {
			return err
		}
		return db.trackChanges(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("set follow-up of referral %s: %w", uuid, err)
	}
	return nil
}

// readReferral reads one referral, deleted or not, with its history; sql.ErrNoRows when unknown.
func readReferral(ctx context.Context, tx *sql.Tx, uuid string) (domain.Referral, error) {
	r, err := scanReferral(tx.QueryRowContext(ctx, `SELECT `+referralColumns+` FROM referral WHERE uuid = ?`, uuid))
	if err != nil {
		return r, err
	}
	rs := []domain.Referral{r}
	if err := attachHistories(ctx, tx, rs); err != nil {
		return r, err
	}
	return rs[0], nil
}

// queryReferrals runs a query of referralColumns and returns its referrals with their histories.
func queryReferrals(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]domain.Referral, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var rs []domain.Referral
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return rs, attachHistories(ctx, tx, rs)
}

// attachHistories fills the History of rs, oldest step first, with one query whatever their
// number: their UUIDs go in as one JSON array, which json_each spreads out.
func attachHistories(ctx context.Context, tx *sql.Tx, rs []domain.Referral) error {
	if len(rs) == 0 {
		return nil
	}
	index := make(map[string]int, len(rs))
	uuids := make([]string, len(rs))
	for i, r := range rs {
		index[r.UUID], uuids[i] = i, r.UUID
	}
	list, err := json.Marshal(uuids)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT referral_uuid, status, at, reason, reason_text, note FROM referral_event
		WHERE referral_uuid IN (SELECT value FROM json_each(?)) ORDER BY referral_uuid, seq`, string(list))
	if err != nil {
		return fmt.Errorf("read history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			uuid, at string
			c        domain.ReferralChange
		)
		if err := rows.Scan(&uuid, &c.Status, &at, &c.Reason, &c.ReasonText, &c.Note); err != nil {
			return err
		}
		if c.At, err = parseTime(at); err != nil {
			return err
		}
		i := index[uuid]
		rs[i].History = append(rs[i].History, c)
	}
	return rows.Err()
}

// Referral returns one referral with its history, oldest step first; a deleted one comes back as
// a tombstone, with Meta.DeletedAt set. ENOTFOUND when unknown.
func (db *DB) Referral(ctx context.Context, uuid string) (domain.Referral, error) {
	var r domain.Referral
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = readReferral(ctx, tx, uuid)
		if errors.Is(err, sql.ErrNoRows) {
			return referralNotFound(uuid)
		}
		return err
	})
	if err != nil {
		return domain.Referral{}, fmt.Errorf("referral %s: %w", uuid, err)
	}
	return r, nil
}

// Sheet returns the live referrals of one sheet, with their histories, in the order they were
// prepared. ENOTFOUND when the sheet has none.
func (db *DB) Sheet(ctx context.Context, sheetUUID string) ([]domain.Referral, error) {
	var rs []domain.Referral
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		var err error
		rs, err = queryReferrals(ctx, tx, `SELECT `+referralColumns+` FROM referral
			WHERE sheet_uuid = ? AND deleted_at IS NULL ORDER BY `+sheetOrder, sheetUUID)
		if err == nil && len(rs) == 0 {
			err = domain.Errorf(domain.ENOTFOUND, "Aucune orientation n’est enregistrée sur la fiche %s.", sheetUUID)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sheet %s: %w", sheetUUID, err)
	}
	return rs, nil
}

// ReferralsOf returns a person's live referrals with their histories, most recent first (those
// of one sheet in the sheet's order); none for an unknown file, or one whose referrals lost
// their person when it was erased or anonymised.
func (db *DB) ReferralsOf(ctx context.Context, usagerUUID string) ([]domain.Referral, error) {
	var rs []domain.Referral
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		var err error
		rs, err = queryReferrals(ctx, tx, `SELECT `+referralColumns+` FROM referral
			WHERE usager_uuid = ? AND deleted_at IS NULL ORDER BY `+recentOrder, usagerUUID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("referrals of %s: %w", usagerUUID, err)
	}
	return rs, nil
}

// DueReferrals returns the live referrals given to their person (status remise) whose follow-up
// date is date or before, with their histories, the oldest follow-up date first. Drafts and
// closed referrals are never due. EINVALID when date is not a YYYY-MM-DD date.
func (db *DB) DueReferrals(ctx context.Context, date string) ([]domain.Referral, error) {
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return nil, fmt.Errorf("due referrals: %w",
			domain.Errorf(domain.EINVALID, "La date « %s » n’est pas une date valide (AAAA-MM-JJ).", date))
	}
	var rs []domain.Referral
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		var err error
		// Dates as YYYY-MM-DD text compare as dates.
		rs, err = queryReferrals(ctx, tx, `SELECT `+referralColumns+` FROM referral
			WHERE status = ? AND follow_up_on <= ? AND deleted_at IS NULL ORDER BY `+dueOrder,
			domain.ReferralGiven, date)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("due referrals: %w", err)
	}
	return rs, nil
}

// RecentSheets returns the latest limit sheets, most recent first, as their first live referral
// each (with its history): a sheet is as recent as its first referral's creation, and referrals
// added to it later neither move it nor show. Sheets made in the same millisecond come by
// descending sheet UUID. EINVALID when limit is not positive.
func (db *DB) RecentSheets(ctx context.Context, limit int) ([]domain.Referral, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("recent sheets: %w",
			domain.Errorf(domain.EINVALID, "Le nombre de fiches demandé doit être positif (%d demandé).", limit))
	}
	var rs []domain.Referral
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		var err error
		rs, err = queryReferrals(ctx, tx, `SELECT `+referralColumns+` FROM referral AS r
			WHERE deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM referral AS o
				WHERE o.sheet_uuid = r.sheet_uuid AND o.deleted_at IS NULL AND o.position < r.position)
			ORDER BY `+sheetsOrder+` LIMIT ?`, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("recent sheets: %w", err)
	}
	return rs, nil
}

// detachReferrals takes the person out of the referrals of the usagers that usagersSQL selects
// (a SELECT of usager UUIDs, with args), when a file is erased at the person's request
// (DeleteUsager) or anonymised (AnonymiseBefore): the links to the file and to its interview (the
// interview leads back to the file) and the message to the person are removed, and so are the
// free texts of their histories (reason text, note), which speak of the person. The service, its
// name, the need, the statuses with their dates and non-recours reason codes, the follow-up date
// and the worker stay: without a person, they feed the indicators. Every referral changed gets a
// change-log upsert at now. It must run in the caller's transaction, before the file itself
// changes when usagersSQL selects on the file's state (AnonymiseBefore's files not yet
// anonymised).
func detachReferrals(ctx context.Context, tx *sql.Tx, usagersSQL string, args []any, now string) error {
	referrals := `SELECT uuid FROM referral WHERE usager_uuid IN (` + usagersSQL + `)`
	// Change-log rows are selected before the rows they name lose their person.
	if _, err := tx.ExecContext(ctx, `INSERT INTO change_log (kind, uuid, op, changed_at)
		SELECT ?, uuid, ?, ? FROM referral WHERE usager_uuid IN (`+usagersSQL+`) ORDER BY `+recentOrder,
		append([]any{domain.KindReferral, domain.OpUpsert, now}, args...)...); err != nil {
		return fmt.Errorf("log referrals: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE referral_event SET reason_text = '', note = ''
		WHERE referral_uuid IN (`+referrals+`)`, args...); err != nil {
		return fmt.Errorf("erase referral history texts: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE referral SET usager_uuid = NULL, interview_uuid = NULL, message = '',
		updated_at = ? WHERE usager_uuid IN (`+usagersSQL+`)`, append([]any{now}, args...)...); err != nil {
		return fmt.Errorf("detach referrals: %w", err)
	}
	return nil
}
