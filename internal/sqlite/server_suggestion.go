package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/edas92/passerelle/internal/domain"
)

// The values of domain.CuratorSuggestion's Type and Status (the domain names them in comments
// only).
const (
	suggestionProposition = "proposition"
	suggestionCorrection  = "correction"

	suggestionNew      = "nouvelle"
	suggestionAccepted = "acceptee"
	suggestionRefused  = "refusee"
)

func validSuggestionStatus(status string) error {
	switch status {
	case suggestionNew, suggestionAccepted, suggestionRefused:
		return nil
	}
	return domain.Errorf(domain.EINVALID, "« %s » n’est pas un état de suggestion : nouvelle, acceptee ou refusee.", status)
}

// AddSuggestion stores a suggestion from a desk. It is idempotent on the suggestion's UUID: a
// replayed push keeps the first one as it is (and its status, which a curator may have set
// meanwhile). An empty Status means "nouvelle", a zero CreatedAt now. EINVALID for an empty UUID,
// an unknown type or status, or a service that is not JSON; ENOTFOUND for an unknown site or
// device.
func (t *serverTx) AddSuggestion(ctx context.Context, sg domain.CuratorSuggestion) error {
	if err := t.addSuggestion(ctx, sg); err != nil {
		return fmt.Errorf("add suggestion: %w", err)
	}
	return nil
}

func (t *serverTx) addSuggestion(ctx context.Context, sg domain.CuratorSuggestion) error {
	if sg.UUID == "" {
		return domain.Errorf(domain.EINVALID, "Une suggestion doit avoir un identifiant.")
	}
	if sg.Type != suggestionProposition && sg.Type != suggestionCorrection {
		return domain.Errorf(domain.EINVALID, "« %s » n’est pas un type de suggestion : proposition ou correction.", sg.Type)
	}
	if sg.Status == "" {
		sg.Status = suggestionNew
	}
	if err := validSuggestionStatus(sg.Status); err != nil {
		return err
	}
	service := sql.NullString{}
	if len(sg.Service) > 0 {
		if !json.Valid(sg.Service) {
			return domain.Errorf(domain.EINVALID, "La fiche proposée n’est pas du JSON valide.")
		}
		service = sql.NullString{String: string(sg.Service), Valid: true}
	}
	created := storedTime(sg.CreatedAt)
	if sg.CreatedAt.IsZero() {
		created = t.db.clock()
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO suggestion (uuid, site_id, device_id, type, service, message, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uuid) DO NOTHING`,
		sg.UUID, sg.SiteID, sg.DeviceID, sg.Type, service, sg.Message, sg.Status, formatTime(created))
	if isForeignKeyViolation(err) {
		return domain.Errorf(domain.ENOTFOUND, "Le site %s ou l’appareil %s de la suggestion est inconnu.", sg.SiteID, sg.DeviceID)
	}
	return err
}

// suggestionColumns are the columns scanSuggestion reads, in its order.
const suggestionColumns = `uuid, site_id, device_id, type, service, message, status, created_at`

func scanSuggestion(row interface{ Scan(...any) error }) (domain.CuratorSuggestion, error) {
	var sg domain.CuratorSuggestion
	var service sql.NullString
	var created string
	if err := row.Scan(&sg.UUID, &sg.SiteID, &sg.DeviceID, &sg.Type, &service, &sg.Message, &sg.Status, &created); err != nil {
		return domain.CuratorSuggestion{}, err
	}
	if service.Valid {
		sg.Service = json.RawMessage(service.String)
	}
	var err error
	if sg.CreatedAt, err = parseTime(created); err != nil {
		return domain.CuratorSuggestion{}, err
	}
	return sg, nil
}

// Suggestions returns the suggestions of a status ("" for all), oldest first. EINVALID for an
// unknown status.
func (s *ServerDB) Suggestions(ctx context.Context, status string) ([]domain.CuratorSuggestion, error) {
	if status != "" {
		if err := validSuggestionStatus(status); err != nil {
			return nil, fmt.Errorf("list suggestions: %w", err)
		}
	}
	var sgs []domain.CuratorSuggestion
	err := s.db.inRead(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+suggestionColumns+` FROM suggestion
			WHERE ?1 = '' OR status = ?1 ORDER BY created_at, uuid`, status)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			sg, err := scanSuggestion(rows)
			if err != nil {
				return err
			}
			sgs = append(sgs, sg)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list suggestions: %w", err)
	}
	return sgs, nil
}

// SetSuggestionStatus sets a suggestion's status and returns it. EINVALID for an unknown status,
// ENOTFOUND for an unknown suggestion.
func (s *ServerDB) SetSuggestionStatus(ctx context.Context, uuid, status string) (domain.CuratorSuggestion, error) {
	if err := validSuggestionStatus(status); err != nil {
		return domain.CuratorSuggestion{}, fmt.Errorf("set suggestion status: %w", err)
	}
	var sg domain.CuratorSuggestion
	err := s.db.inWrite(ctx, func(tx *sql.Tx) error {
		var err error
		sg, err = scanSuggestion(tx.QueryRowContext(ctx, `UPDATE suggestion SET status = ? WHERE uuid = ?
			RETURNING `+suggestionColumns, status, uuid))
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "Aucune suggestion n’a l’identifiant %s.", uuid)
		}
		return err
	})
	if err != nil {
		return domain.CuratorSuggestion{}, fmt.Errorf("set suggestion status: %w", err)
	}
	return sg, nil
}
