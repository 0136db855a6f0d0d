package syncserver

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/edas92/passerelle/internal/datainclusion"
	"github.com/edas92/passerelle/internal/domain"
)

// Suggestions returns the suggestions sent by desks with a status (SuggestionNew,
// SuggestionAccepted, SuggestionRejected; "" for all), oldest first. EINVALID for an unknown
// status.
func (s *Server) Suggestions(ctx context.Context, status string) ([]domain.CuratorSuggestion, error) {
	switch status {
	case "", SuggestionNew, SuggestionAccepted, SuggestionRejected:
	default:
		return nil, domain.Errorf(domain.EINVALID, "État de suggestion inconnu « %s » : nouvelle, acceptee ou refusee.", status)
	}
	sgs, err := s.store.Suggestions(ctx, status)
	if err != nil {
		return nil, fmt.Errorf("suggestions: %w", err)
	}
	if sgs == nil {
		sgs = []domain.CuratorSuggestion{}
	}
	return sgs, nil
}

// suggestion finds one suggestion and checks it still waits for a decision. ENOTFOUND,
// ECONFLICT when a curator already decided.
func (s *Server) suggestion(ctx context.Context, uuid string) (domain.CuratorSuggestion, error) {
	sgs, err := s.Suggestions(ctx, "")
	if err != nil {
		return domain.CuratorSuggestion{}, err
	}
	for _, sg := range sgs {
		if sg.UUID != uuid {
			continue
		}
		if sg.Status != SuggestionNew {
			return domain.CuratorSuggestion{}, domain.Errorf(domain.ECONFLICT, "La suggestion %s a déjà été %s.", uuid, decided(sg.Status))
		}
		return sg, nil
	}
	return domain.CuratorSuggestion{}, domain.Errorf(domain.ENOTFOUND, "Suggestion « %s » inconnue (passerelle-server suggestion list).", uuid)
}

func decided(status string) string {
	if status == SuggestionAccepted {
		return "acceptée"
	}
	return "refusée"
}

// Accept accepts a suggestion. A proposition is published first: its service field holds
// data·inclusion records (one object, or an array of a structure and its services) read with
// the rules of an import, written as directory records that flow down to every desk; a
// correction is only marked accepted (the curator corrects the source of the directory, whose
// next import brings the fix). It returns the suggestion and what was published. EINVALID when
// the proposition does not make valid records (nothing is published; the reason says why),
// ENOTFOUND, ECONFLICT when already decided.
func (s *Server) Accept(ctx context.Context, uuid string) (domain.CuratorSuggestion, domain.ImportCounts, error) {
	sg, err := s.suggestion(ctx, uuid)
	if err != nil {
		return domain.CuratorSuggestion{}, domain.ImportCounts{}, err
	}
	var counts domain.ImportCounts
	if sg.Type == SuggestionProposition {
		b, err := propositionRecords(sg)
		if err != nil {
			return domain.CuratorSuggestion{}, domain.ImportCounts{}, err
		}
		// Published before the status is set: should setting it fail, accepting again publishes
		// the same records, which changes nothing.
		if counts, _, err = s.publishDirectory(ctx, b, true); err != nil {
			if domain.ErrorCode(err) == domain.EINVALID {
				return domain.CuratorSuggestion{}, domain.ImportCounts{}, domain.Errorf(domain.EINVALID,
					"La proposition %s ne peut pas être publiée : %s.", uuid, domain.ErrorMessage(err))
			}
			return domain.CuratorSuggestion{}, domain.ImportCounts{}, fmt.Errorf("accept suggestion: %w", err)
		}
	}
	sg, err = s.store.SetSuggestionStatus(ctx, uuid, SuggestionAccepted)
	if err != nil {
		return domain.CuratorSuggestion{}, counts, fmt.Errorf("accept suggestion: %w", err)
	}
	s.log.Info("suggestion accepted", "suggestion", uuid, "type", sg.Type, "imported", counts.Imported, "updated", counts.Updated)
	return sg, counts, nil
}

// propositionRecords reads the records of a proposition, all valid or EINVALID.
func propositionRecords(sg domain.CuratorSuggestion) (dirBatch, error) {
	raw := bytes.TrimSpace(sg.Service)
	if len(raw) > 0 && raw[0] == '{' {
		raw = append(append([]byte("["), raw...), ']')
	}
	name := "suggestion " + sg.UUID
	p, err := datainclusion.Decode(bytes.NewReader(raw), name, datainclusion.Options{Format: datainclusion.FormatDIJSON})
	if err != nil {
		return dirBatch{}, domain.Errorf(domain.EINVALID, "La proposition %s ne peut pas être publiée : %s", sg.UUID, domain.ErrorMessage(err))
	}
	if len(p.Rejected) > 0 {
		var reasons []string
		for _, r := range p.Rejected {
			reasons = append(reasons, r.Reason)
		}
		return dirBatch{}, domain.Errorf(domain.EINVALID, "La proposition %s ne peut pas être publiée : %s.", sg.UUID, strings.Join(reasons, " ; "))
	}
	if len(p.Services) == 0 {
		return dirBatch{}, domain.Errorf(domain.EINVALID, "La proposition %s ne contient aucun service à publier.", sg.UUID)
	}
	b := dirBatch{structures: p.Structures, services: p.Services}
	for _, pos := range p.StructurePositions {
		b.stPlaces = append(b.stPlaces, placedRecord{name, pos})
	}
	for _, pos := range p.ServicePositions {
		b.svPlaces = append(b.svPlaces, placedRecord{name, pos})
	}
	return b, nil
}

// Reject refuses a suggestion: nothing is published. ENOTFOUND, ECONFLICT when already decided.
func (s *Server) Reject(ctx context.Context, uuid string) (domain.CuratorSuggestion, error) {
	if _, err := s.suggestion(ctx, uuid); err != nil {
		return domain.CuratorSuggestion{}, err
	}
	sg, err := s.store.SetSuggestionStatus(ctx, uuid, SuggestionRejected)
	if err != nil {
		return domain.CuratorSuggestion{}, fmt.Errorf("reject suggestion: %w", err)
	}
	s.log.Info("suggestion rejected", "suggestion", uuid)
	return sg, nil
}
