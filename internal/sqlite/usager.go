package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/edas92/passerelle/internal/domain"
	"github.com/edas92/passerelle/internal/textfold"
)

// usagerColumns are the columns scanUsager reads, in order.
const usagerColumns = `uuid, display_name, birth_year, commune, household, contact, notes, consent_given,
	consent_at, consent_text, last_contact_at, anonymised, created_at, updated_at, deleted_at`

func scanUsager(row interface{ Scan(...any) error }) (domain.Usager, error) {
	var (
		u                         domain.Usager
		birth                     sql.NullInt64
		consentAt, deleted        sql.NullString
		lastContact, created, upd string
	)
	if err := row.Scan(&u.UUID, &u.DisplayName, &birth, &u.Commune, &u.Household, &u.Contact, &u.Notes,
		&u.ConsentGiven, &consentAt, &u.ConsentText, &lastContact, &u.Anonymised, &created, &upd, &deleted); err != nil {
		return u, err
	}
	if birth.Valid {
		u.BirthYear = domain.Ptr(int(birth.Int64))
	}
	var err error
	if u.ConsentAt, err = parseNullTime(consentAt); err != nil {
		return u, err
	}
	if u.LastContactAt, err = parseTime(lastContact); err != nil {
		return u, err
	}
	if u.CreatedAt, err = parseTime(created); err != nil {
		return u, err
	}
	if u.UpdatedAt, err = parseTime(upd); err != nil {
		return u, err
	}
	u.DeletedAt, err = parseNullTime(deleted)
	return u, err
}

// nullTime formats an optional time for a nullable column.
func nullTime(t *time.Time) sql.NullString {
	if t == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(*t), Valid: true}
}

func nullInt(p *int) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*p), Valid: true}
}

// CreateUsager stores a new file with the UUID the caller set. Creating the file is a contact:
// its last contact, creation and update times are the clock's; Anonymised and the Meta times of u
// are ignored, the other fields stored as given. Returns EINVALID when u has no UUID or no display
// name, ECONFLICT when a file (even deleted) already has this UUID.
func (db *DB) CreateUsager(ctx context.Context, u domain.Usager) error {
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		if u.UUID == "" {
			return domain.Errorf(domain.EINVALID, "Le dossier n’a pas d’identifiant.")
		}
		if err := checkDisplayName(u.DisplayName); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM usager WHERE uuid = ?`, u.UUID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return domain.Errorf(domain.ECONFLICT, "Un dossier porte déjà l’identifiant %s.", u.UUID)
		}
		now := formatTime(db.clock())
		if _, err := tx.ExecContext(ctx, `INSERT INTO usager (uuid, display_name, display_key, birth_year, commune,
			household, contact, notes, consent_given, consent_at, consent_text, last_contact_at, anonymised,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
			u.UUID, u.DisplayName, textfold.Key(u.DisplayName), nullInt(u.BirthYear), u.Commune, u.Household, u.Contact,
			u.Notes, u.ConsentGiven, nullTime(u.ConsentAt), u.ConsentText, now, now, now); err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		if err := logChange(ctx, tx, domain.KindUsager, u.UUID, domain.OpUpsert, now); err != nil {
			return err
		}
		return db.trackChanges(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("create usager: %w", err)
	}
	return nil
}

func checkDisplayName(name string) error {
	if strings.TrimSpace(name) == "" {
		return domain.Errorf(domain.EINVALID, "Le dossier doit porter un nom : des initiales ou un pseudonyme suffisent.")
	}
	return nil
}

// UpdateUsager replaces a live file's display name, year of birth, commune, household, contact
// and notes. Its consent history is not rewritten: the consent fields are only written when the
// file records no consent yet and u gives it (consent given after the file was created). Last
// contact, anonymisation and creation time are kept. Returns ENOTFOUND when the file is unknown
// or deleted, EINVALID when the display name is blank.
func (db *DB) UpdateUsager(ctx context.Context, u domain.Usager) error {
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		if err := checkDisplayName(u.DisplayName); err != nil {
			return err
		}
		var consented bool
		err := tx.QueryRowContext(ctx, `SELECT consent_given FROM usager WHERE uuid = ? AND deleted_at IS NULL`, u.UUID).
			Scan(&consented)
		if errors.Is(err, sql.ErrNoRows) {
			return usagerNotFound(u.UUID)
		} else if err != nil {
			return err
		}
		now := formatTime(db.clock())
		if _, err := tx.ExecContext(ctx, `UPDATE usager SET display_name = ?, display_key = ?, birth_year = ?,
			commune = ?, household = ?, contact = ?, notes = ?, updated_at = ? WHERE uuid = ?`,
			u.DisplayName, textfold.Key(u.DisplayName), nullInt(u.BirthYear), u.Commune, u.Household, u.Contact,
			u.Notes, now, u.UUID); err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if !consented && u.ConsentGiven {
			if _, err := tx.ExecContext(ctx, `UPDATE usager SET consent_given = 1, consent_at = ?, consent_text = ?
				WHERE uuid = ?`, nullTime(u.ConsentAt), u.ConsentText, u.UUID); err != nil {
				return fmt.Errorf("record consent: %w", err)
			}
		}
		if err := logChange(ctx, tx, domain.KindUsager, u.UUID, domain.OpUpsert, now); err != nil {
			return err
		}
		return db.trackChanges(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("update usager %s: %w", u.UUID, err)
	}
	return nil
}

func usagerNotFound(uuid string) error {
	return domain.Errorf(domain.ENOTFOUND, "Aucun dossier d’usager n’a l’identifiant %s (ou il a été supprimé).", uuid)
}

// Usager returns a live file (anonymised or not). ENOTFOUND when unknown or deleted.
func (db *DB) Usager(ctx context.Context, uuid string) (domain.Usager, error) {
	u, err := scanUsager(db.read.QueryRowContext(ctx,
		`SELECT `+usagerColumns+` FROM usager WHERE uuid = ? AND deleted_at IS NULL`, uuid))
	if errors.Is(err, sql.ErrNoRows) {
		err = usagerNotFound(uuid)
	}
	if err != nil {
		return domain.Usager{}, fmt.Errorf("usager %s: %w", uuid, err)
	}
	return u, nil
}

// touchUsager moves a file's last contact to contactAt (never backwards: an interview may be
// recorded after the fact, and the clocks of two desks may disagree) and logs the change at now.
func touchUsager(ctx context.Context, tx *sql.Tx, uuid, contactAt, now string) error {
	res, err := tx.ExecContext(ctx, `UPDATE usager SET last_contact_at = ? WHERE uuid = ? AND last_contact_at < ?`,
		contactAt, uuid, contactAt)
	if err != nil {
		return fmt.Errorf("update last contact: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	return logChange(ctx, tx, domain.KindUsager, uuid, domain.OpUpsert, now)
}

// interviewsOfUsager selects the UUIDs of a usager's interviews (parameter: the usager's UUID).
const interviewsOfUsager = `SELECT uuid FROM interview WHERE usager_uuid = ?`

// DeleteUsager erases a file at the person's request (right to erasure): its display name becomes
// domain.DeletedName; year of birth, commune, household, contact, notes and consent text are wiped; its
// interviews' answers (sensitive ones included), their history and the selections are deleted;
// the file and its interviews stay as tombstones (deleted_at) for sync. Every record removed gets
// a change-log delete row. Deleting a deleted file does nothing. ENOTFOUND when the file is
// unknown.
func (db *DB) DeleteUsager(ctx context.Context, uuid string) error {
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		var deleted bool
		err := tx.QueryRowContext(ctx, `SELECT deleted_at IS NOT NULL FROM usager WHERE uuid = ?`, uuid).Scan(&deleted)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "Aucun dossier d’usager n’a l’identifiant %s.", uuid)
		} else if err != nil {
			return err
		}
		if deleted {
			return nil
		}
		now := formatTime(db.clock())
		// Referrals lose the person (and the message, the notes) but keep the service and the
		// outcome, for the indicators.
		if err := detachReferrals(ctx, tx, `SELECT ?`, []any{uuid}, now); err != nil {
			return err
		}
		// Change-log rows are selected before the rows they name are deleted or changed.
		for _, table := range []string{"answer", "answer_sensitive"} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO change_log (kind, uuid, op, changed_at)
				SELECT ?, interview_uuid || ':' || question_id, ?, ? FROM `+table+`
				WHERE interview_uuid IN (`+interviewsOfUsager+`) ORDER BY interview_uuid, question_id`,
				domain.KindAnswer, domain.OpDelete, now, uuid); err != nil {
				return fmt.Errorf("log %s: %w", table, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO change_log (kind, uuid, op, changed_at)
			SELECT ?, interview_uuid || ':' || service_uuid, ?, ? FROM selection
			WHERE interview_uuid IN (`+interviewsOfUsager+`) ORDER BY interview_uuid, selected_at`,
			domain.KindSelection, domain.OpDelete, now, uuid); err != nil {
			return fmt.Errorf("log selections: %w", err)
		}
		if err := deleteUsagerAnswers(ctx, tx, uuid); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO change_log (kind, uuid, op, changed_at)
			SELECT ?, uuid, ?, ? FROM interview WHERE usager_uuid = ? AND deleted_at IS NULL ORDER BY started_at, uuid`,
			domain.KindInterview, domain.OpDelete, now, uuid); err != nil {
			return fmt.Errorf("log interviews: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE interview SET deleted_at = ?, updated_at = ?, next_contact = NULL,
			current_domain = '' WHERE usager_uuid = ? AND deleted_at IS NULL`, now, now, uuid); err != nil {
			return fmt.Errorf("delete interviews: %w", err)
		}
		if err := wipeUsager(ctx, tx, uuid, now); err != nil {
			return err
		}
		if err := logChange(ctx, tx, domain.KindUsager, uuid, domain.OpDelete, now); err != nil {
			return err
		}
		return db.trackChanges(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("delete usager %s: %w", uuid, err)
	}
	return nil
}

// deleteUsagerAnswers deletes the answers (sensitive ones too), their history and the selections
// of every interview of a file. Erasing a file here (DeleteUsager) and an erasure pulled from a
// colleague both call it, so that the two erase the same.
func deleteUsagerAnswers(ctx context.Context, tx *sql.Tx, uuid string) error {
	for _, table := range []string{"answer", "answer_sensitive", "answer_history", "selection"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE interview_uuid IN (`+interviewsOfUsager+`)`, uuid); err != nil {
			return fmt.Errorf("delete %s: %w", table, err)
		}
	}
	return nil
}

// wipeUsager wipes a file's personal fields and marks it erased: the one list of what an erasure
// wipes, for DeleteUsager and for an erasure pulled from a colleague. A personal field added to
// usager is added here.
func wipeUsager(ctx context.Context, tx *sql.Tx, uuid, now string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE usager SET display_name = ?, display_key = ?, birth_year = NULL,
		commune = '', household = '', contact = '', notes = '', consent_text = '', updated_at = ?, deleted_at = ?
		WHERE uuid = ?`, domain.DeletedName, textfold.Key(domain.DeletedName), now, now, uuid); err != nil {
		return fmt.Errorf("erase file: %w", err)
	}
	return nil
}

// AnonymiseBefore anonymises the live files not yet anonymised whose last contact is before t
// (retention: domain.RetentionYears after the last contact) and returns how many it anonymised;
// files already anonymised are not counted again. The display name becomes domain.AnonymousName;
// year of birth, contact and notes are erased; the answers of sensitive domains and the answers
// to free-text questions (and to questions their grid version does not know) are deleted with
// their history. Answers to choice, yes/no, number and scale questions stay, with the worker's
// ratings, and so do commune, household, consent record, interviews and selections: without a
// person, they feed the indicators. Deleted answers and changed files get change-log rows.
func (db *DB) AnonymiseBefore(ctx context.Context, t time.Time) (int, error) {
	var count int64
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		now := formatTime(db.clock())
		// Stored times have milliseconds: a stored time is before t when it is at or before t
		// truncated, unless t has nothing below the millisecond.
		before := "last_contact_at < ?"
		if cut := t.Truncate(time.Millisecond); !cut.Equal(t) {
			before = "last_contact_at <= ?"
		}
		due := `SELECT uuid FROM usager WHERE deleted_at IS NULL AND anonymised = 0 AND ` + before
		interviews := `SELECT uuid FROM interview WHERE usager_uuid IN (` + due + `)`
		cutoff := formatTime(t.Truncate(time.Millisecond))

		// An answer is kept only when its grid version knows its question as one that is not free
		// text; sensitive answers all go.
		const freeText = `NOT EXISTS (SELECT 1 FROM interview AS i JOIN grid_question AS q
			ON q.grid_id = i.grid_id AND q.grid_version = i.grid_version AND q.question_id = %[1]s.question_id
			WHERE i.uuid = %[1]s.interview_uuid AND q.type NOT IN (?, ?))`
		targets := []struct {
			table, where string
			args         []any
		}{
			{"answer_sensitive", "", nil},
			{"answer", " AND " + fmt.Sprintf(freeText, "answer"), []any{domain.QShortText, domain.QLongText}},
		}
		for _, tg := range targets {
			args := append([]any{domain.KindAnswer, domain.OpDelete, now, cutoff}, tg.args...)
			if _, err := tx.ExecContext(ctx, `INSERT INTO change_log (kind, uuid, op, changed_at)
				SELECT ?, interview_uuid || ':' || question_id, ?, ? FROM `+tg.table+`
				WHERE interview_uuid IN (`+interviews+`)`+tg.where+` ORDER BY interview_uuid, question_id`,
				args...); err != nil {
				return fmt.Errorf("log %s: %w", tg.table, err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+tg.table+` WHERE interview_uuid IN (`+interviews+`)`+tg.where,
				append([]any{cutoff}, tg.args...)...); err != nil {
				return fmt.Errorf("delete %s: %w", tg.table, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM answer_history WHERE interview_uuid IN (`+interviews+`)
			AND (sensitive = 1 OR `+fmt.Sprintf(freeText, "answer_history")+`)`,
			cutoff, domain.QShortText, domain.QLongText); err != nil {
			return fmt.Errorf("delete history: %w", err)
		}

		// Before the files are marked anonymised (due selects the others): their referrals lose
		// the person, keeping the service and the outcome.
		if err := detachReferrals(ctx, tx, due, []any{cutoff}, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO change_log (kind, uuid, op, changed_at)
			SELECT ?, uuid, ?, ? FROM usager WHERE uuid IN (`+due+`) ORDER BY last_contact_at, uuid`,
			domain.KindUsager, domain.OpUpsert, now, cutoff); err != nil {
			return fmt.Errorf("log files: %w", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE usager SET display_name = ?, display_key = ?, birth_year = NULL,
			contact = '', notes = '', anonymised = 1, updated_at = ? WHERE uuid IN (`+due+`)`,
			domain.AnonymousName, textfold.Key(domain.AnonymousName), now, cutoff)
		if err != nil {
			return fmt.Errorf("anonymise files: %w", err)
		}
		if count, err = res.RowsAffected(); err != nil {
			return err
		}
		return db.trackChanges(ctx, tx)
	})
	if err != nil {
		return 0, fmt.Errorf("anonymise files: %w", err)
	}
	return int(count), nil
}

// Usagers lists the live files whose folded display name contains the folded query (case,
// accents and ligatures folded by textfold.Key, so that "eloise" finds « Éloïse » and "coeur"
// « Cœur »; "" lists them all), most recent contact first, in one query. Each line carries the
// start of the file's last interview, an interview in progress (the most recently started), and
// its next contact: the earliest date planned by its interviews that is today or later, or that
// is past with no interview started since (overdue) — a planned meeting that took place is no
// longer due. Today is the clock's date in the clock's time zone.
func (db *DB) Usagers(ctx context.Context, query string) ([]domain.UsagerSummary, error) {
	key := textfold.Key(query)
	today := db.now().Format(time.DateOnly)
	var list []domain.UsagerSummary
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		// Comparing started_at (UTC) with a date compares UTC days: an interview held just after
		// local midnight counts for the day before, which office hours make moot.
		rows, err := tx.QueryContext(ctx, `SELECT u.uuid, u.display_name, u.commune, u.last_contact_at,
			(SELECT max(started_at) FROM interview AS i WHERE i.usager_uuid = u.uuid AND i.deleted_at IS NULL),
			(SELECT uuid FROM interview AS i WHERE i.usager_uuid = u.uuid AND i.deleted_at IS NULL AND i.status = ?
				ORDER BY started_at DESC, uuid LIMIT 1),
			(SELECT min(next_contact) FROM interview AS i
				WHERE i.usager_uuid = u.uuid AND i.deleted_at IS NULL AND i.next_contact IS NOT NULL
				AND (i.next_contact >= ? OR NOT EXISTS (SELECT 1 FROM interview AS o
					WHERE o.usager_uuid = u.uuid AND o.deleted_at IS NULL AND o.uuid <> i.uuid
					AND o.started_at >= i.next_contact)))
			FROM usager AS u
			WHERE u.deleted_at IS NULL AND (? = '' OR instr(u.display_key, ?) > 0)
			ORDER BY u.last_contact_at DESC, u.uuid`,
			domain.InterviewInProgress, today, key, key)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				s                  domain.UsagerSummary
				lastContact        string
				lastIv, open, next sql.NullString
			)
			if err := rows.Scan(&s.UUID, &s.DisplayName, &s.Commune, &lastContact, &lastIv, &open, &next); err != nil {
				return err
			}
			if s.LastContactAt, err = parseTime(lastContact); err != nil {
				return err
			}
			if s.LastInterviewAt, err = parseNullTime(lastIv); err != nil {
				return err
			}
			s.OpenInterview, s.NextContact = open.String, next.String
			list = append(list, s)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list usagers: %w", err)
	}
	return list, nil
}
