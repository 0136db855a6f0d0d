package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/edas92/passerelle/internal/domain"
)

var _ domain.InterviewStore = (*DB)(nil)

// interviewColumns are the columns scanInterview reads, in order.
const interviewColumns = `uuid, usager_uuid, grid_id, grid_version, status, started_at, completed_at,
	current_domain, next_contact, created_at, updated_at, deleted_at`

func scanInterview(row interface{ Scan(...any) error }) (domain.Interview, error) {
	var (
		iv                        domain.Interview
		started, created, updated string
		completed, next, deleted  sql.NullString
	)
	if err := row.Scan(&iv.UUID, &iv.UsagerUUID, &iv.GridID, &iv.GridVersion, &iv.Status, &started, &completed,
		&iv.CurrentDomain, &next, &created, &updated, &deleted); err != nil {
		return iv, err
	}
	iv.NextContact = next.String
	var err error
	if iv.StartedAt, err = parseTime(started); err != nil {
		return iv, err
	}
	if iv.CompletedAt, err = parseNullTime(completed); err != nil {
		return iv, err
	}
	if iv.CreatedAt, err = parseTime(created); err != nil {
		return iv, err
	}
	if iv.UpdatedAt, err = parseTime(updated); err != nil {
		return iv, err
	}
	iv.DeletedAt, err = parseNullTime(deleted)
	return iv, err
}

func interviewNotFound(uuid string) error {
	return domain.Errorf(domain.ENOTFOUND, "Aucun entretien n’a l’identifiant %s (ou son dossier a été supprimé).", uuid)
}

// liveInterview returns the usager and status of a live interview; ENOTFOUND when it is unknown
// or deleted.
func liveInterview(ctx context.Context, tx *sql.Tx, uuid string) (usager, status string, err error) {
	err = tx.QueryRowContext(ctx, `SELECT usager_uuid, status FROM interview WHERE uuid = ? AND deleted_at IS NULL`, uuid).
		Scan(&usager, &status)
	if errors.Is(err, sql.ErrNoRows) {
		err = interviewNotFound(uuid)
	}
	return usager, status, err
}

// interviewExists returns ENOTFOUND when no interview, deleted or not, has this UUID.
func interviewExists(ctx context.Context, tx *sql.Tx, uuid string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM interview WHERE uuid = ?`, uuid).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return domain.Errorf(domain.ENOTFOUND, "Aucun entretien n’a l’identifiant %s.", uuid)
	}
	return nil
}

// StartInterview stores a new interview of a live file, in progress, with the grid version it
// is filled with. StartedAt is the clock's time when zero; Status and CompletedAt are ignored (an
// interview starts in progress). The file's last contact moves to the start. Returns ENOTFOUND
// when the file is unknown or deleted or the grid version is not stored, EINVALID when iv has no
// UUID or a next contact that is not a YYYY-MM-DD date, ECONFLICT when the UUID is taken.
func (db *DB) StartInterview(ctx context.Context, iv domain.Interview) error {
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		if iv.UUID == "" {
			return domain.Errorf(domain.EINVALID, "L’entretien n’a pas d’identifiant.")
		}
		next, err := nextContactValue(iv.NextContact)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM usager WHERE uuid = ? AND deleted_at IS NULL`,
			iv.UsagerUUID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return usagerNotFound(iv.UsagerUUID)
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM grid WHERE id = ? AND version = ?`,
			iv.GridID, iv.GridVersion).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return domain.Errorf(domain.ENOTFOUND,
				"La version %d de la grille d’entretien « %s » est inconnue sur ce poste.", iv.GridVersion, iv.GridID)
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM interview WHERE uuid = ?`, iv.UUID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return domain.Errorf(domain.ECONFLICT, "Un entretien porte déjà l’identifiant %s.", iv.UUID)
		}

		now := formatTime(db.clock())
		started := now
		if !iv.StartedAt.IsZero() {
			started = formatTime(iv.StartedAt)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO interview (uuid, usager_uuid, grid_id, grid_version, status,
			started_at, current_domain, next_contact, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			iv.UUID, iv.UsagerUUID, iv.GridID, iv.GridVersion, domain.InterviewInProgress, started, iv.CurrentDomain,
			next, now, now); err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		if err := logChange(ctx, tx, domain.KindInterview, iv.UUID, domain.OpUpsert, now); err != nil {
			return err
		}
		if err := touchUsager(ctx, tx, iv.UsagerUUID, started, now); err != nil {
			return err
		}
		return db.trackChanges(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("start interview: %w", err)
	}
	return nil
}

// nextContactValue checks a planned date and returns it as stored (NULL for "").
func nextContactValue(date string) (sql.NullString, error) {
	if date == "" {
		return sql.NullString{}, nil
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return sql.NullString{}, domain.Errorf(domain.EINVALID,
			"La date du prochain rendez-vous « %s » n’est pas une date valide (AAAA-MM-JJ).", date)
	}
	return sql.NullString{String: date, Valid: true}, nil
}

// Interview returns an interview; a deleted one (its file was deleted) comes back as a tombstone,
// with Meta.DeletedAt set. ENOTFOUND when unknown.
func (db *DB) Interview(ctx context.Context, uuid string) (domain.Interview, error) {
	iv, err := scanInterview(db.read.QueryRowContext(ctx, `SELECT `+interviewColumns+` FROM interview WHERE uuid = ?`, uuid))
	if errors.Is(err, sql.ErrNoRows) {
		err = domain.Errorf(domain.ENOTFOUND, "Aucun entretien n’a l’identifiant %s.", uuid)
	}
	if err != nil {
		return domain.Interview{}, fmt.Errorf("interview %s: %w", uuid, err)
	}
	return iv, nil
}

// InterviewsOf returns the live interviews of a file, oldest first (none for an unknown or
// deleted file).
func (db *DB) InterviewsOf(ctx context.Context, usagerUUID string) ([]domain.Interview, error) {
	var ivs []domain.Interview
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+interviewColumns+` FROM interview
			WHERE usager_uuid = ? AND deleted_at IS NULL ORDER BY started_at, uuid`, usagerUUID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			iv, err := scanInterview(rows)
			if err != nil {
				return err
			}
			ivs = append(ivs, iv)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("interviews of %s: %w", usagerUUID, err)
	}
	return ivs, nil
}

// answerTable is the table of an answer: a sensitive domain's answers live apart.
func answerTable(sensitive bool) string {
	if sensitive {
		return "answer_sensitive"
	}
	return "answer"
}

// answerKey is the change-log UUID of an answer: "interview:question".
func answerKey(interviewUUID, questionID string) string { return interviewUUID + ":" + questionID }

// SaveAnswer records an answer the moment it is given, in one short transaction: the answer
// (stored apart when a.Sensitive), the interview's current domain (the answered question's domain
// when currentDomain is "") and update time, and the file's last contact, each with its
// change-log row. AnsweredAt is the clock's time. A zero value clears the answer (its worker
// rating too). On a completed interview the answer is a correction: the former value goes to the
// history and the returned Answer has Correction set. Saving the value and rating already stored
// leaves the answer as it is (no history row) and returns it. Each change goes to the sync
// outbox in the same transaction; saving an answer whose question is in conflict (two colleagues
// answered differently, AnswerConflicts) settles the conflict, even with the value shown.
//
// Durability: the database runs in WAL mode with synchronous=NORMAL. When the commit returns, the
// transaction is written to the WAL file, that is handed to the operating system (not yet to the
// disk): the answer survives the app being killed or crashing (what the issue asks; the kill test
// checks it with SIGKILL), and the database stays consistent whatever happens. NORMAL only syncs
// the WAL to disk at checkpoints, so a power cut or an OS crash may lose the answers committed
// since the last checkpoint (without corrupting the file); synchronous=FULL would sync the WAL at
// every commit, for power-loss durability at the price of one fsync per answer.
//
// Returns ENOTFOUND when the interview is unknown or deleted, EINVALID when its grid version has
// no such question or a.Sensitive does not say the sensitivity of the question's domain (health
// answers must never land among the ordinary ones).
func (db *DB) SaveAnswer(ctx context.Context, a domain.Answer, currentDomain string) (domain.Answer, error) {
	var saved domain.Answer
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		var err error
		if saved, err = db.saveAnswer(ctx, tx, a, currentDomain); err != nil {
			return err
		}
		return db.trackAnswer(ctx, tx, answerKey(a.InterviewUUID, a.QuestionID))
	})
	if err != nil {
		return domain.Answer{}, fmt.Errorf("save answer %s: %w", answerKey(a.InterviewUUID, a.QuestionID), err)
	}
	return saved, nil
}

func (db *DB) saveAnswer(ctx context.Context, tx *sql.Tx, a domain.Answer, currentDomain string) (domain.Answer, error) {
	var (
		usager, status, gridID string
		gridVersion            int
		questionDomain         sql.NullString
		sensitive              sql.NullBool
	)
	err := tx.QueryRowContext(ctx, `SELECT i.usager_uuid, i.status, i.grid_id, i.grid_version, q.domain_id, q.sensitive
		FROM interview AS i LEFT JOIN grid_question AS q
			ON q.grid_id = i.grid_id AND q.grid_version = i.grid_version AND q.question_id = ?
		WHERE i.uuid = ? AND i.deleted_at IS NULL`, a.QuestionID, a.InterviewUUID).
		Scan(&usager, &status, &gridID, &gridVersion, &questionDomain, &sensitive)
	if errors.Is(err, sql.ErrNoRows) {
		return a, interviewNotFound(a.InterviewUUID)
	} else if err != nil {
		return a, err
	}
	if !questionDomain.Valid {
		return a, domain.Errorf(domain.EINVALID, "La question « %s » n’existe pas dans la version %d de la grille « %s ».",
			a.QuestionID, gridVersion, gridID)
	}
	if a.Sensitive != sensitive.Bool {
		if sensitive.Bool {
			return a, domain.Errorf(domain.EINVALID,
				"La question « %s » relève d’un domaine sensible : sa réponse doit être enregistrée à part.", a.QuestionID)
		}
		return a, domain.Errorf(domain.EINVALID,
			"La question « %s » ne relève pas d’un domaine sensible : sa réponse ne peut pas être enregistrée à part.", a.QuestionID)
	}
	if currentDomain == "" {
		currentDomain = questionDomain.String
	}

	at := db.clock()
	now := formatTime(at)
	completed := status == domain.InterviewCompleted
	table := answerTable(a.Sensitive)
	key := answerKey(a.InterviewUUID, a.QuestionID)
	value := ""
	if !a.Value.IsZero() {
		b, err := json.Marshal(a.Value)
		if err != nil {
			return a, fmt.Errorf("encode value: %w", err)
		}
		value = string(b)
	}
	rating := nullInt(a.WorkerRating)

	var (
		oldValue, oldAnswered string
		oldRating             sql.NullInt64
		oldCorrection         bool
	)
	err = tx.QueryRowContext(ctx, `SELECT value, worker_rating, answered_at, correction FROM `+table+`
		WHERE interview_uuid = ? AND question_id = ?`, a.InterviewUUID, a.QuestionID).
		Scan(&oldValue, &oldRating, &oldAnswered, &oldCorrection)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("read answer: %w", err)
	}

	saved := domain.Answer{InterviewUUID: a.InterviewUUID, QuestionID: a.QuestionID, Sensitive: a.Sensitive}
	switch {
	case exists && value == oldValue && rating == oldRating:
		// The same answer again: keep it as it was given (no history row for nothing).
		if err := json.Unmarshal([]byte(oldValue), &saved.Value); err != nil {
			return a, fmt.Errorf("decode answer: %w", err)
		}
		if oldRating.Valid {
			saved.WorkerRating = domain.Ptr(int(oldRating.Int64))
		}
		if saved.AnsweredAt, err = parseTime(oldAnswered); err != nil {
			return a, err
		}
		saved.Correction = oldCorrection
	case !exists && value == "":
		// Clearing an answer that was never given changes nothing.
		saved.AnsweredAt, saved.Correction = at, completed
	default:
		if completed && exists {
			if _, err := tx.ExecContext(ctx, `INSERT INTO answer_history (interview_uuid, question_id, value,
				worker_rating, answered_at, replaced_at, sensitive) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				a.InterviewUUID, a.QuestionID, oldValue, oldRating, oldAnswered, now, a.Sensitive); err != nil {
				return a, fmt.Errorf("keep former answer: %w", err)
			}
		}
		op := domain.OpUpsert
		if value == "" {
			op = domain.OpDelete
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE interview_uuid = ? AND question_id = ?`,
				a.InterviewUUID, a.QuestionID); err != nil {
				return a, fmt.Errorf("clear answer: %w", err)
			}
		} else {
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (interview_uuid, question_id, value, worker_rating,
				answered_at, correction) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (interview_uuid, question_id) DO UPDATE SET value = excluded.value,
				worker_rating = excluded.worker_rating, answered_at = excluded.answered_at, correction = excluded.correction`,
				a.InterviewUUID, a.QuestionID, value, rating, now, completed); err != nil {
				return a, fmt.Errorf("write answer: %w", err)
			}
			saved.Value, saved.WorkerRating = a.Value, a.WorkerRating
		}
		saved.AnsweredAt, saved.Correction = at, completed
		if err := logChange(ctx, tx, domain.KindAnswer, key, op, now); err != nil {
			return a, err
		}
	}

	if _, err := tx.ExecContext(ctx, `UPDATE interview SET current_domain = ?, updated_at = ? WHERE uuid = ?`,
		currentDomain, now, a.InterviewUUID); err != nil {
		return a, fmt.Errorf("update interview: %w", err)
	}
	if err := logChange(ctx, tx, domain.KindInterview, a.InterviewUUID, domain.OpUpsert, now); err != nil {
		return a, err
	}
	return saved, touchUsager(ctx, tx, usager, now, now)
}

// answerColumns are the columns scanAnswer reads, in order.
const answerColumns = `question_id, value, worker_rating, answered_at, correction`

// Answers returns an interview's current answers in the order of its grid's questions; the
// answers of sensitive domains only when withSensitive. ENOTFOUND when the interview is unknown.
func (db *DB) Answers(ctx context.Context, interviewUUID string, withSensitive bool) ([]domain.Answer, error) {
	var answers []domain.Answer
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		if err := interviewExists(ctx, tx, interviewUUID); err != nil {
			return err
		}
		// position orders the answers as the grid asks its questions; an unknown question (it
		// cannot be saved, but a synced one might come) goes last.
		part := func(table string, sensitive int) string {
			return fmt.Sprintf(`SELECT a.question_id AS question_id, a.value, a.worker_rating, a.answered_at, a.correction, %d,
				coalesce(q.position, 1 << 30) AS position
				FROM %s AS a JOIN interview AS i ON i.uuid = a.interview_uuid
				LEFT JOIN grid_question AS q
					ON q.grid_id = i.grid_id AND q.grid_version = i.grid_version AND q.question_id = a.question_id
				WHERE a.interview_uuid = ?`, sensitive, table)
		}
		query, args := part("answer", 0), []any{interviewUUID}
		if withSensitive {
			query += " UNION ALL " + part("answer_sensitive", 1)
			args = append(args, interviewUUID)
		}
		rows, err := tx.QueryContext(ctx, query+` ORDER BY position, question_id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				ans      domain.Answer
				value    []byte
				rating   sql.NullInt64
				answered string
				position int
			)
			if err := rows.Scan(&ans.QuestionID, &value, &rating, &answered, &ans.Correction, &ans.Sensitive, &position); err != nil {
				return err
			}
			ans.InterviewUUID = interviewUUID
			if err := json.Unmarshal(value, &ans.Value); err != nil {
				return fmt.Errorf("decode answer %s: %w", ans.QuestionID, err)
			}
			if rating.Valid {
				ans.WorkerRating = domain.Ptr(int(rating.Int64))
			}
			if ans.AnsweredAt, err = parseTime(answered); err != nil {
				return err
			}
			answers = append(answers, ans)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("answers of %s: %w", interviewUUID, err)
	}
	return answers, nil
}

// AnswerHistory returns the former values of an interview's corrected answers, oldest first; those
// of sensitive domains only when withSensitive. ENOTFOUND when the interview is unknown.
func (db *DB) AnswerHistory(ctx context.Context, interviewUUID string, withSensitive bool) ([]domain.AnswerChange, error) {
	var history []domain.AnswerChange
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		if err := interviewExists(ctx, tx, interviewUUID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT question_id, value, worker_rating, answered_at, replaced_at
			FROM answer_history WHERE interview_uuid = ? AND (sensitive = 0 OR ?) ORDER BY replaced_at, rowid`,
			interviewUUID, withSensitive)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				c                  domain.AnswerChange
				value              []byte
				rating             sql.NullInt64
				answered, replaced string
			)
			if err := rows.Scan(&c.QuestionID, &value, &rating, &answered, &replaced); err != nil {
				return err
			}
			if err := json.Unmarshal(value, &c.Value); err != nil {
				return fmt.Errorf("decode former answer %s: %w", c.QuestionID, err)
			}
			if rating.Valid {
				c.WorkerRating = domain.Ptr(int(rating.Int64))
			}
			if c.AnsweredAt, err = parseTime(answered); err != nil {
				return err
			}
			if c.ReplacedAt, err = parseTime(replaced); err != nil {
				return err
			}
			history = append(history, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("answer history of %s: %w", interviewUUID, err)
	}
	return history, nil
}

// CompleteInterview freezes an interview at the clock's time and returns it: later answers are
// corrections. The file's last contact moves too. Returns ENOTFOUND when the interview is unknown
// or deleted, ECONFLICT when it is already completed.
func (db *DB) CompleteInterview(ctx context.Context, uuid string) (domain.Interview, error) {
	var iv domain.Interview
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		usager, status, err := liveInterview(ctx, tx, uuid)
		if err != nil {
			return err
		}
		if status == domain.InterviewCompleted {
			return domain.Errorf(domain.ECONFLICT, "Cet entretien est déjà terminé : les réponses changées seront des corrections.")
		}
		now := formatTime(db.clock())
		if _, err := tx.ExecContext(ctx, `UPDATE interview SET status = ?, completed_at = ?, updated_at = ? WHERE uuid = ?`,
			domain.InterviewCompleted, now, now, uuid); err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if err := logChange(ctx, tx, domain.KindInterview, uuid, domain.OpUpsert, now); err != nil {
			return err
		}
		if err := touchUsager(ctx, tx, usager, now, now); err != nil {
			return err
		}
		if err := db.trackChanges(ctx, tx); err != nil {
			return err
		}
		iv, err = scanInterview(tx.QueryRowContext(ctx, `SELECT `+interviewColumns+` FROM interview WHERE uuid = ?`, uuid))
		return err
	})
	if err != nil {
		return domain.Interview{}, fmt.Errorf("complete interview %s: %w", uuid, err)
	}
	return iv, nil
}

// SetNextContact plans the next meeting (date YYYY-MM-DD) on a live interview, or clears it with
// "". Setting the date already planned changes nothing. Returns ENOTFOUND when the interview is
// unknown or deleted, EINVALID when date is not a date.
func (db *DB) SetNextContact(ctx context.Context, interviewUUID, date string) error {
	next, err := nextContactValue(date)
	if err != nil {
		return fmt.Errorf("set next contact of %s: %w", interviewUUID, err)
	}
	if err := db.setInterviewColumn(ctx, interviewUUID, "next_contact", next); err != nil {
		return fmt.Errorf("set next contact of %s: %w", interviewUUID, err)
	}
	return nil
}

// selectionKey is the change-log UUID of a selection: "interview:service".
func selectionKey(interviewUUID, serviceUUID string) string { return interviewUUID + ":" + serviceUUID }

// SetSelection ticks (selected) or unticks a directory service among a live interview's
// suggestions. A tick is stamped with the clock's time (s.SelectedAt is ignored); ticking a
// ticked service again only updates Why and Domain, keeping its place in the order. Ticking as
// it is, or unticking what is not ticked, changes nothing. Returns ENOTFOUND when the interview is
// unknown or deleted, EINVALID when s names no service.
func (db *DB) SetSelection(ctx context.Context, s domain.Selection, selected bool) error {
	err := db.inWrite(ctx, func(tx *sql.Tx) error {
		if s.ServiceUUID == "" {
			return domain.Errorf(domain.EINVALID, "La suggestion cochée ne désigne aucun service de l’annuaire.")
		}
		if _, _, err := liveInterview(ctx, tx, s.InterviewUUID); err != nil {
			return err
		}
		now := formatTime(db.clock())
		key := selectionKey(s.InterviewUUID, s.ServiceUUID)
		if !selected {
			res, err := tx.ExecContext(ctx, `DELETE FROM selection WHERE interview_uuid = ? AND service_uuid = ?`,
				s.InterviewUUID, s.ServiceUUID)
			if err != nil {
				return fmt.Errorf("untick: %w", err)
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err
			}
			if err := logChange(ctx, tx, domain.KindSelection, key, domain.OpDelete, now); err != nil {
				return err
			}
			return db.trackChanges(ctx, tx)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO selection (interview_uuid, service_uuid, why, domain, selected_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (interview_uuid, service_uuid) DO UPDATE SET why = excluded.why, domain = excluded.domain
			WHERE why <> excluded.why OR domain <> excluded.domain`,
			s.InterviewUUID, s.ServiceUUID, s.Why, s.Domain, now)
		if err != nil {
			return fmt.Errorf("tick: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		if err := logChange(ctx, tx, domain.KindSelection, key, domain.OpUpsert, now); err != nil {
			return err
		}
		return db.trackChanges(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("set selection %s: %w", selectionKey(s.InterviewUUID, s.ServiceUUID), err)
	}
	return nil
}

// Selections returns an interview's ticked services, in the order they were ticked. ENOTFOUND
// when the interview is unknown.
func (db *DB) Selections(ctx context.Context, interviewUUID string) ([]domain.Selection, error) {
	var list []domain.Selection
	err := db.inRead(ctx, func(tx *sql.Tx) error {
		if err := interviewExists(ctx, tx, interviewUUID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT service_uuid, why, domain, selected_at FROM selection
			WHERE interview_uuid = ? ORDER BY selected_at, rowid`, interviewUUID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			s := domain.Selection{InterviewUUID: interviewUUID}
			var at string
			if err := rows.Scan(&s.ServiceUUID, &s.Why, &s.Domain, &at); err != nil {
				return err
			}
			if s.SelectedAt, err = parseTime(at); err != nil {
				return err
			}
			list = append(list, s)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("selections of %s: %w", interviewUUID, err)
	}
	return list, nil
}

// SetCurrentDomain records where the worker is in an interview; the same domain again writes
// nothing. ENOTFOUND for an unknown or deleted interview.
func (db *DB) SetCurrentDomain(ctx context.Context, interviewUUID, domainID string) error {
	if err := db.setInterviewColumn(ctx, interviewUUID, "current_domain", domainID); err != nil {
		return fmt.Errorf("set current domain of %s: %w", interviewUUID, err)
	}
	return nil
}

// setInterviewColumn sets one column of a live interview, with its change-log row; the same value
// again writes nothing. ENOTFOUND for an unknown or deleted interview. column is a constant of
// this package, never user input.
func (db *DB) setInterviewColumn(ctx context.Context, interviewUUID, column string, value any) error {
	return db.inWrite(ctx, func(tx *sql.Tx) error {
		if _, _, err := liveInterview(ctx, tx, interviewUUID); err != nil {
			return err
		}
		now := formatTime(db.clock())
		res, err := tx.ExecContext(ctx, `UPDATE interview SET `+column+` = ?, updated_at = ?
			WHERE uuid = ? AND `+column+` IS NOT ?`, value, now, interviewUUID, value)
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		if err := logChange(ctx, tx, domain.KindInterview, interviewUUID, domain.OpUpsert, now); err != nil {
			return err
		}
		return db.trackChanges(ctx, tx)
	})
}
